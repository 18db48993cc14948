/// A binary min-heap: the priority queue behind both merge loops.
struct MinHeap<Element: Comparable> {
    private var items: [Element] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    mutating func push(_ item: Element) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard item < items[parent] else { break }
            items[child] = items[parent]
            child = parent
        }
        items[child] = item
    }

    /// Removes and returns the smallest element; the heap must not be empty.
    mutating func pop() -> Element {
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            var parent = 0
            let count = items.count
            while true {
                var child = 2 * parent + 1
                if child >= count { break }
                if child + 1 < count && items[child + 1] < items[child] { child += 1 }
                guard items[child] < last else { break }
                items[parent] = items[child]
                parent = child
            }
            items[parent] = last
        }
        return top
    }
}
