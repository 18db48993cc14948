import Foundation

/// Ollama's `format.HumanNumber`, which writes `model_type` (shown as `parameter_size`):
/// billions with one decimal unless whole ("8B", "1.5B"), millions with two unless whole
/// ("134.52M", "135M"), thousands with none ("500K"), smaller counts as digits.
///
/// GGUF's `ModelSummary.formatParameters` differs on whole numbers ("8.0B"), thousands and
/// trillions, so the config blob uses this one to match what Ollama stores.
public enum ParameterSize {
    /// `count` parameters as Ollama prints them.
    public static func format(_ count: Int) -> String {
        let n = Double(count)
        switch count {
        case 1_000_000_000...: return scaled(n / 1e9, decimals: 1, suffix: "B")
        case 1_000_000...: return scaled(n / 1e6, decimals: 2, suffix: "M")
        case 1_000...: return String(format: "%.0fK", n / 1e3)
        default: return String(count)
        }
    }

    private static func scaled(_ value: Double, decimals: Int, suffix: String) -> String {
        // Go's %.Nf rounds the exact binary value half to even, as C's printf does.
        value == value.rounded(.down) ? String(format: "%.0f", value) + suffix : String(format: "%.\(decimals)f", value) + suffix
    }
}
