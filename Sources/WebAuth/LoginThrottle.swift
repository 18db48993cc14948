import Synchronization

/// Limits password guessing: after `maxFailures` failed logins from one client within `window`
/// seconds, that client waits until the oldest failure leaves the window. A success clears its record.
public final class LoginThrottle: Sendable {
    public let maxFailures: Int
    public let window: Double
    private let failures = Mutex<[String: [Double]]>([:])

    public init(maxFailures: Int = 5, window: Double = 60) {
        self.maxFailures = maxFailures
        self.window = window
    }

    /// Seconds the client must wait before trying again, or nil when it may try now.
    public func retryAfter(client: String, now: Double) -> Double? {
        failures.withLock { table in
            let recent = (table[client] ?? []).filter { $0 > now - window }
            table[client] = recent.isEmpty ? nil : recent
            guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
            return oldest + window - now
        }
    }

    public func recordFailure(client: String, now: Double) {
        failures.withLock { table in
            // Forget clients whose failures have all aged out, so the table stays as small as the attack.
            if table.count > 10_000 { table = table.filter { $0.value.contains { $0 > now - window } } }
            table[client, default: []].append(now)
        }
    }

    public func recordSuccess(client: String) {
        _ = failures.withLock { $0.removeValue(forKey: client) }
    }
}
