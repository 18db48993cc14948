/// Ollama's borderless tables (tablewriter with no whitespace and a four-space padding): every
/// cell padded to its column's width and followed by four spaces; a header row ends its last
/// cell with one space instead. Rows may have fewer cells than others.
struct TextTable {
    var header: [String]?
    var rows: [[String]]

    init(header: [String]? = nil, rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    var rendered: String {
        let all = (header.map { [$0] } ?? []) + rows
        var widths: [Int] = []
        for row in all {
            for (i, cell) in row.enumerated() {
                if i == widths.count { widths.append(0) }
                widths[i] = max(widths[i], cell.count)
            }
        }
        func padded(_ cell: String, _ column: Int) -> String {
            cell + String(repeating: " ", count: widths[column] - cell.count)
        }
        var out = ""
        if let header {
            for (i, cell) in header.enumerated() {
                out += padded(cell, i) + (i == header.count - 1 ? " " : "    ")
            }
            out += "\n"
        }
        for row in rows {
            for (i, cell) in row.enumerated() { out += padded(cell, i) + "    " }
            out += "\n"
        }
        return out
    }
}
