import Foundation

extension ModelStore {
    /// The store root the environment selects (§6.1): `TERN_MODELS`, else `OLLAMA_MODELS`, else
    /// `~/.ollama/models`, so that Tern shares Ollama's models unless told otherwise. Values are
    /// read as Ollama reads its variables: surrounding whitespace and any leading or trailing
    /// `"` or `'` characters are stripped; an empty value counts as unset.
    public static func defaultRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        for key in ["TERN_MODELS", "OLLAMA_MODELS"] {
            if let value = environment[key].map(cleanEnvironmentValue), !value.isEmpty { return value }
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.ollama/models"
    }

    static func cleanEnvironmentValue(_ value: String) -> String {
        let quotes: Set<Character> = ["\"", "'"]
        var s = Substring(value.trimmingCharacters(in: .whitespacesAndNewlines))
        while let c = s.first, quotes.contains(c) { s = s.dropFirst() }
        while let c = s.last, quotes.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
