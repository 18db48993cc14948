import Foundation

/// Finds the GGUF models and fixtures that tests use, in one place.
///
/// Real models come from `scripts/fetch-models` into `$TERN_MODEL_CACHE` (default
/// `~/.cache/tern/models`); the tiny DeepSeek files and llama.cpp's reference outputs live in the
/// `shared/` folder beside the checkout (`$TERN_SHARED` overrides it).
/// Under `CI=true` a missing model is a test failure, never a skip.
public enum TestModel: String, CaseIterable, Sendable, CustomStringConvertible {
    case smollm2 = "SmolLM2-135M-Instruct.Q4_1"
    case gemma3 = "gemma-3-270m-q4_k_m"
    case qwen25 = "qwen2.5-coder-0.5b-instruct"
    case tinyDeepSeekF16 = "tiny-deepseek-r1-F16"
    case tinyDeepSeekQ8_0 = "tiny-deepseek-r1-Q8_0"
    case tinyDeepSeekQ4_K_M = "tiny-deepseek-r1-Q4_K_M"

    public var description: String { rawValue }
    public var fileName: String { rawValue + ".gguf" }

    /// True for the models fetched from PyPI (as opposed to the ones in shared/models).
    public var isFetched: Bool {
        switch self {
        case .smollm2, .gemma3, .qwen25: true
        default: false
        }
    }

    public var path: String {
        isFetched ? TestPaths.modelCache + "/" + fileName : TestPaths.shared + "/models/" + fileName
    }

    /// Whether the model's test should run: always under CI (so a missing file fails), otherwise
    /// only when the file is present.
    public var shouldTest: Bool { TestPaths.isCI || FileManager.default.fileExists(atPath: path) }

    /// The reference JSON that llama.cpp produced for this model.
    public var referencePath: String { TestPaths.shared + "/fixtures/reference/" + rawValue + ".json" }
}

public enum TestPaths {
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The checkout's root, derived from this source file's location.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Sources/TestSupport/TestModels.swift
        return url.path
    }()

    public static var shared: String {
        if let s = ProcessInfo.processInfo.environment["TERN_SHARED"], !s.isEmpty { return s }
        return URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent().appendingPathComponent("shared").path
    }

    public static var modelCache: String {
        let env = ProcessInfo.processInfo.environment
        if let s = env["TERN_MODEL_CACHE"], !s.isEmpty { return s }
        return (env["HOME"] ?? "/root") + "/.cache/tern/models"
    }

    public static var quantFixture: String { shared + "/fixtures/quant/quant-types.gguf" }
}
