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
