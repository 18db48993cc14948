import Synchronization

/// Transfer speed per digest, measured from the first update seen, so a resumed download's
/// bytes already on disk do not count as speed.
final class RateTracker: Sendable {
    private struct Start { var time: Double; var completed: Int }
    private let starts = Mutex<[String: Start]>([:])

    func hasSeen(_ key: String) -> Bool { starts.withLock { $0[key] != nil } }

    /// Bytes per second since `key` was first seen; nil until some time has passed.
    func rate(_ key: String, completed: Int, now: Double) -> Double? {
        starts.withLock { starts in
            guard let start = starts[key] else {
                starts[key] = Start(time: now, completed: completed)
                return nil
            }
            let elapsed = now - start.time
            return elapsed > 0.2 ? Double(completed - start.completed) / elapsed : nil
        }
    }
}
