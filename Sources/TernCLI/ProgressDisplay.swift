import Synchronization

/// Progress on stderr as Ollama's progress UI shows it (spec §3.5): one line per step, the
/// current one redrawn in place with a braille spinner on a terminal. Elsewhere (a log, a pipe)
/// each step is written once, in its final form, when the next begins.
final class ProgressDisplay: Sendable {
    private struct State {
        /// What identifies the current line (a status text, or a digest whose percentage changes).
        var key: String?
        var text = ""
        var frame = 0
    }

    private static let frames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
    private let live = Terminal.isTerminal(.standardError)
    private let state = Mutex(State())

    /// Shows `text` as the line for `key`: redrawn in place while the key stays the same,
    /// a new line (the previous one kept) when it changes.
    func show(_ text: String, key: String? = nil) {
        state.withLock { s in
            let key = key ?? text
            if s.key != key { finish(&s) }
            s.key = key
            s.text = text
            if live {
                Terminal.err("\r\u{1B}[K" + text + " " + String(Self.frames[s.frame]))
                s.frame = (s.frame + 1) % Self.frames.count
            }
        }
    }

    /// Leaves the current line as it stands.
    func finish() { state.withLock { finish(&$0) } }

    private func finish(_ s: inout State) {
        guard s.key != nil else { return }
        Terminal.err(live ? "\r\u{1B}[K" + s.text + " \n" : s.text + "\n")
        s.key = nil
    }
}
