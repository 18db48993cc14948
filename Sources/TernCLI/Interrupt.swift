#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Ctrl-C stops the current generation, not the program: SIGINT only raises a flag that the
/// generation loop polls once per token.
enum Interrupt {
    private static let raised = Atomic<Bool>(false)

    static func install() {
        signal(SIGINT) { _ in Interrupt.raised.store(true, ordering: .relaxed) }
    }

    /// Whether Ctrl-C was pressed since the last call (and clears it).
    static func take() -> Bool { raised.exchange(false, ordering: .relaxed) }
}

extension Interrupt {
    /// `source`, ended early when Ctrl-C is pressed: ending it cancels the request behind it,
    /// and the consumer's loop simply finishes.
    static func stoppable<Element: Sendable>(_ source: AsyncThrowingStream<Element, any Error>) -> AsyncThrowingStream<Element, any Error> {
        _ = take()
        return AsyncThrowingStream { continuation in
            let pump = Task {
                do {
                    for try await element in source { continuation.yield(element) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            let watcher = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(50))
                    if take() { continuation.finish() }
                }
            }
            continuation.onTermination = { _ in
                pump.cancel()
                watcher.cancel()
            }
        }
    }
}
