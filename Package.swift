// swift-tools-version: 6.1
import PackageDescription

// One place decides the ISA for every Swift target: inlined and CMO-serialized code takes the
// caller's flags, so mixing levels silently turns SIMD into library calls (design/aesthetics.md §3.2, §3.6).
let isa: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]
let common: [SwiftSetting] = isa + [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]
// Hot targets are optimized even in debug builds so tests can afford real forward passes (debug SIMD is 170–1000× slower).
let hot: [SwiftSetting] = common + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Tern",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tern", targets: ["tern"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.100.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // L0: the file format. No Foundation: it parses untrusted files with every check kept on.
        .target(name: "GGUF", swiftSettings: hot),
        // L0: out-of-line C islands for instructions Swift cannot spell (VNNI, maddubs), each
        // function carrying its own target attribute and chosen at run time by CPU features.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        // L0: file calls Swift's Glibc module leaves out (sync_file_range needs _GNU_SOURCE).
        .target(name: "CFileIO"),
        // L1: tensor types (dequantize / quantize) and compute kernels.
        .target(name: "Kernels", dependencies: ["GGUF", "CKernels"], swiftSettings: hot),
        .target(name: "Tokenizer", dependencies: ["GGUF"], exclude: ["generate-unicode-categories.py"], swiftSettings: hot),
        // L2: one file per architecture, over the kernels.
        .target(name: "Models", dependencies: ["GGUF", "Kernels"], swiftSettings: hot),
        // Turning logits into the next token: the composable sampler chain, seeded RNG, stop strings.
        .target(name: "Sampling", swiftSettings: hot),
        // JSON values that keep key order, a strict parser, and writers (Go-compatible bytes for the store).
        .target(name: "JSON", swiftSettings: common),
        // Structured outputs: a byte-by-byte JSON recognizer, generic or compiled from a JSON Schema.
        .target(name: "Grammar", dependencies: ["JSON"], swiftSettings: hot),
        // Chat templates: the Jinja subset HF transformers renders GGUF `tokenizer.chat_template`s with.
        .target(name: "Jinja", dependencies: ["JSON"], swiftSettings: common),
        // Ollama's Modelfile TEMPLATE language: a Go text/template interpreter and Ollama's prompt rendering.
        .target(name: "GoTemplate", dependencies: ["JSON"], swiftSettings: common),
        // Ollama's on-disk model store (manifests, sha256 blobs), model names, Modelfiles.
        .target(name: "ModelStore", dependencies: [
            "GGUF", "JSON", .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: common),
        // Reading a model's output: thinking split from content, tool calls parsed out.
        .target(name: "ChatOutput", dependencies: ["JSON"], swiftSettings: common),
        // The Ollama wire format: request decoding with Ollama's error texts, response shapes, durations.
        .target(name: "OllamaAPI", dependencies: ["JSON"], swiftSettings: common),
        // Per-tensor GPU/RAM placement, planned from GGUF headers alone (docs/placement.md).
        .target(name: "Placement", dependencies: ["GGUF", "JSON"], swiftSettings: common),
        // Pulling and pushing models over Ollama's registry protocol: parallel ranged parts,
        // resumable and verified downloads, chunked uploads, TERN_LIBRARY mirrors.
        .target(name: "Registry", dependencies: [
            "ModelStore", "JSON", "CFileIO",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: common),
        // The web UI's accounts, sessions, API keys and saved chats in SQLite (GRDB), with versioned migrations.
        .target(name: "WebStore", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: common),
        // Who may call what: the authentication policy, session cookies and the login throttle, free of HTTP plumbing.
        .target(name: "WebAuth", swiftSettings: common),
        // The chat UI's HTML, CSS and JavaScript as generated string literals (scripts/gen-webui-assets).
        .target(name: "WebUI", exclude: ["Sources"], swiftSettings: common),
        // L3: a loaded model + tokenizer + sampler: the prefill/decode loop and its statistics.
        .target(name: "Engine", dependencies: ["GGUF", "Kernels", "Models", "Tokenizer", "Sampling", "Grammar"], swiftSettings: hot),
        // `tern serve`: the Ollama-compatible HTTP API over the store, the scheduler and the engine.
        .target(name: "Server", dependencies: [
            "OllamaAPI", "JSON", "ModelStore", "Engine", "Models", "Tokenizer", "Sampling", "GGUF", "GoTemplate", "Jinja", "ChatOutput", "Registry", "Grammar", "Placement",
            "WebStore", "WebAuth", "WebUI",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: common),
        // The CLI's side of the API: an HTTP client for a running `tern serve` (or Ollama).
        .target(name: "Client", dependencies: [
            "OllamaAPI", "JSON",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: common),
        // The CLI's commands live in a library so tests can drive them without a subprocess.
        .target(name: "TernCLI", dependencies: [
            "GGUF", "JSON", "Client", "OllamaAPI", "ModelStore", "Server",
            "Tokenizer", "Engine", "Models", "Sampling", "Kernels", "Placement",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: common),
        .executableTarget(name: "tern", dependencies: [
            "TernCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: common),

        // Test-only helpers: locating the test models and fixtures, building small GGUF files.
        .target(name: "TestSupport", dependencies: ["GGUF"], swiftSettings: common),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "TestSupport"], swiftSettings: common),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "GGUF", "TestSupport"], exclude: ["Fixtures"], swiftSettings: hot),
        .testTarget(name: "TokenizerTests", dependencies: ["Tokenizer", "GGUF", "TestSupport"], exclude: ["Fixtures"], swiftSettings: hot),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "GGUF", "Kernels", "TestSupport"], swiftSettings: hot),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Models", "Sampling", "TestSupport", "Grammar", "JSON", "Tokenizer"], exclude: ["Fixtures"], swiftSettings: hot),
        .testTarget(name: "ChatOutputTests", dependencies: ["ChatOutput", "JSON"], swiftSettings: common),
        .testTarget(name: "OllamaAPITests", dependencies: ["OllamaAPI", "JSON"], swiftSettings: common),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: common),
        .testTarget(name: "GrammarTests", dependencies: ["Grammar", "JSON"], swiftSettings: hot),
        .testTarget(name: "JinjaTests", dependencies: ["Jinja", "JSON"], exclude: ["Fixtures"], swiftSettings: common),
        .testTarget(name: "GoTemplateTests", dependencies: ["GoTemplate", "JSON"], exclude: ["Fixtures"], swiftSettings: common),
        .testTarget(name: "ModelStoreTests", dependencies: ["ModelStore", "JSON", "GGUF", "TestSupport"], swiftSettings: common),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling", "TestSupport"], swiftSettings: hot),
        .testTarget(name: "TernCLITests", dependencies: ["TernCLI", "JSON", "GGUF", "OllamaAPI", "Client", "TestSupport"], swiftSettings: common),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "ModelStore", .product(name: "NIOCore", package: "swift-nio")], swiftSettings: common),
        .testTarget(name: "ClientTests", dependencies: ["Client", "OllamaAPI", "JSON"], swiftSettings: common),
        .testTarget(name: "WebStoreTests", dependencies: ["WebStore"], swiftSettings: common),
        .testTarget(name: "WebAuthTests", dependencies: ["WebAuth"], swiftSettings: common),
        .testTarget(name: "WebUITests", dependencies: ["WebUI"], swiftSettings: common),
        .testTarget(name: "PlacementTests", dependencies: ["Placement", "GGUF", "JSON", "Models", "Kernels", "TestSupport"], swiftSettings: common),
    ]
)
