/// Streams text to a terminal `width` columns wide, moving a word that would cross the edge to
/// the next line as Ollama's `displayResponse` does: the word already printed is erased with
/// ANSI cursor moves and printed again after the line break. Each character counts one column.
struct WordWrapper {
    let width: Int
    private var lineLength = 0
    private var word = ""

    init(width: Int) { self.width = width }

    /// The bytes to write for the next piece of text.
    mutating func wrap(_ text: String) -> String {
        var out = ""
        for ch in text {
            if lineLength + 1 > width - 5 {
                if word.count > width - 10 {
                    // A word too long to move: break it where it is.
                    out += "\n" + String(ch)
                    word = String(ch)
                    lineLength = 1
                    continue
                }
                if !word.isEmpty { out += "\u{1B}[\(word.count)D" }
                out += "\u{1B}[K\n" + word + String(ch)
                lineLength = word.count + 1
                if ch == " " || ch == "\t" { word = "" } else { word.append(ch) }
            } else {
                out.append(ch)
                lineLength += 1
                switch ch {
                case " ", "\t": word = ""
                case "\n", "\r", "\r\n":
                    lineLength = 0
                    word = ""
                default: word.append(ch)
                }
            }
        }
        return out
    }
}
