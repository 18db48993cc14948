/// A sampling option with a value no sampler can use, named the way Ollama spells it.
public struct SamplingOptionError: Error, Equatable, CustomStringConvertible {
    /// The option's Ollama name, e.g. `repeat_penalty`.
    public let option: String
    /// What the value must be, e.g. `finite and greater than 0`.
    public let requirement: String

    public var description: String { "\(option) must be \(requirement)" }
}
