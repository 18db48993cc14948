#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import JSON
import Engine
import GGUF
import Models

/// `tern bench`: prompt processing and generation speed with llama-bench's definitions, so the
/// two tools' numbers compare directly: pp = one batch of p prompt tokens into an empty cache;
/// tg = n single-token decodes into an empty cache; each test repeated r times after a warm-up.
/// On a mixture-of-experts model the tg test also reports the expert weight bytes each decoded
/// token read, against all expert bytes and the share routing should read.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prompt-processing and generation tokens/s, as llama-bench does.")

    @Option(name: .shortAndLong, help: "GGUF model file(s).")
    var model: [String]

    @Option(name: [.customShort("p"), .customLong("n-prompt")], help: "Prompt tokens for the pp test (0 skips it).")
    var prompt = 512

    @Option(name: [.customShort("n"), .customLong("n-gen")], help: "Generated tokens for the tg test (0 skips it).")
    var generate = 128

    @Option(name: [.customShort("t"), .customLong("threads")], help: "Threads.")
    var threads = LoadedModel.defaultThreads

    @Option(name: [.customShort("r"), .customLong("repetitions")], help: "Repetitions of each test.")
    var repetitions = 5

    @Option(name: [.customShort("b"), .customLong("batch-size")], help: "Prompt batch size.")
    var batch = 512

    @Option(name: [.customShort("d"), .customLong("n-depth")],
            help: "Tokens already in the cache when each test starts, filled untimed (llama-bench's -d).")
    var depth = 0

    @Option(help: "Sequences the tg test decodes together, one token of each per step (its t/s is their sum).")
    var parallel = 1

    @Flag(help: "Print one JSON record per test with llama-bench's field names.")
    var json = false

    struct Result {
        var model: String, size: Int, params: Int, test: String, nPrompt: Int, nGen: Int, nDepth: Int, samples: [UInt64]
        var experts: ExpertReads? = nil
    }

    /// Expert weights read while decoding, for MoE models.
    struct ExpertReads {
        /// Bytes of routed and shared expert weights one decoded token read (the last repetition's mean).
        var perToken: Double
        /// Bytes of all expert weights in the model.
        var total: Int
        /// The share routing should read: (used + shared) / (total + shared) experts.
        var expectedFraction: Double
    }

    func validate() throws {
        guard depth >= 0 else { throw ValidationError("--n-depth must be 0 or more") }
    }

    func run() throws {
        var results: [Result] = []
        for path in model {
            let loaded = try failing { try LoadedModel(path: path, threads: threads) }
            let vocab = loaded.model.vocabularySize
            var rng = SystemRandomNumberGenerator()
            func tokens(_ n: Int) -> [Int32] { (0..<n).map { _ in Int32.random(in: 0..<Int32(vocab), using: &rng) } }
            let context = depth + max(prompt, generate) + 1
            // llama-bench's test names: "tg64", or "tg64 @ d1024" over a filled cache.
            func named(_ test: String) -> String { depth > 0 ? "\(test) @ d\(depth)" : test }
            /// The depth's tokens decoded into `state`, untimed, in batches as a prompt is.
            func fill(_ state: ModelState) throws {
                if depth > 0 { _ = try loaded.model.forward(tokens(depth), state: state, allLogits: false) }
            }
            func timed(_ body: () throws -> Void) rethrows -> UInt64 {
                let t0 = now()
                try body()
                return now() - t0
            }
            let size = loaded.file.tensors.reduce(0) { $0 + $1.byteCount }
            let params = loaded.file.tensors.reduce(0) { $0 + $1.elementCount }
            let name = String(path.split(separator: "/").last ?? "")
            if prompt > 0 {
                let run = {
                    let state = loaded.model.makeState(contextSize: context, batchSize: batch, pool: loaded.pool)
                    try fill(state)
                    let input = tokens(prompt)
                    return try timed { _ = try loaded.model.forward(input, state: state, allLogits: false) }
                }
                _ = try failing { try run() }
                let samples = try failing { try (0..<repetitions).map { _ in try run() } }
                results.append(Result(model: name, size: size, params: params, test: named("pp\(prompt)"), nPrompt: prompt, nGen: 0,
                                      nDepth: depth, samples: samples))
            }
            if generate > 0 {
                var expertBytesRead = 0
                let run = {
                    let states = (0..<parallel).map { _ in
                        loaded.model.makeState(contextSize: context, batchSize: max(batch, parallel), pool: loaded.pool)
                    }
                    for state in states { try fill(state) }
                    let bytesBefore = states[0].expertBytesRead
                    let input = (0..<generate).map { _ in tokens(parallel) }
                    let ns = try timed {
                        for step in input {
                            if parallel == 1 {
                                _ = try loaded.model.forward(step, state: states[0], allLogits: false)
                            } else {
                                _ = try loaded.model.forward(oneTokenEach: step, states: states)
                            }
                        }
                    }
                    expertBytesRead = (states[0].expertBytesRead - bytesBefore) / parallel
                    return ns
                }
                _ = try failing { try run() }
                let samples = try failing { try (0..<repetitions).map { _ in try run() } }
                let experts = (loaded.model as? any MoEStatistics).map {
                    ExpertReads(perToken: Double(expertBytesRead) / Double(generate), total: $0.expertWeightBytes,
                                expectedFraction: $0.expectedExpertFraction)
                }
                results.append(Result(model: name, size: size, params: params, test: named(parallel == 1 ? "tg\(generate)" : "tg\(generate)×\(parallel)"),
                                      nPrompt: 0, nGen: generate * parallel, nDepth: depth,
                                      samples: samples, experts: experts))
            }
        }
        json ? printJSON(results) : printTable(results)
    }

    private func rates(_ r: Result) -> (mean: Double, stddev: Double) {
        let tokens = Double(r.nPrompt + r.nGen)
        let ts = r.samples.map { tokens / (Double($0) / 1e9) }
        let mean = ts.reduce(0, +) / Double(ts.count)
        let variance = ts.count > 1 ? ts.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(ts.count - 1) : 0
        return (mean, variance.squareRoot())
    }

    private func printTable(_ results: [Result]) {
        print("| model | size | threads | test | t/s |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for r in results {
            let (mean, sd) = rates(r)
            print("| \(r.model) | \(HumanBytes.format(r.size)) | \(threads) | \(r.test) | \(fixed(mean)) ± \(fixed(sd)) |")
        }
        for r in results {
            guard let e = r.experts else { continue }
            print("\(r.model) \(r.test): expert weights read per decoded token: \(HumanBytes.format(Int(e.perToken.rounded()))) "
                  + "of \(HumanBytes.format(e.total)) (\(fixed(100 * e.perToken / Double(e.total)))%; "
                  + "(used + shared) / (total + shared) experts = \(fixed(100 * e.expectedFraction))%)")
        }
    }

    private func printJSON(_ results: [Result]) {
        let records = results.map { r -> JSONValue in
            let (mean, sd) = rates(r)
            return .object(JSONObject([
                ("model_filename", .string(r.model)), ("model_size", .int(r.size)), ("model_n_params", .int(r.params)),
                ("n_batch", .int(batch)), ("n_threads", .int(threads)), ("n_prompt", .int(r.nPrompt)), ("n_gen", .int(r.nGen)),
                ("n_depth", .int(r.nDepth)),
                ("avg_ns", .int(Int(r.samples.reduce(0, +) / UInt64(max(1, r.samples.count))))),
                ("avg_ts", .double(mean)), ("stddev_ts", .double(sd)),
                ("samples_ns", .array(r.samples.map { .int(Int($0)) })),
            ] + (r.experts.map { e in
                [("expert_bytes_per_token", .double(e.perToken)), ("expert_bytes_total", .int(e.total)),
                 ("expert_fraction_expected", .double(e.expectedFraction))]
            } ?? [])))
        }
        print(JSONValue.array(records).text(pretty: true))
    }

    private func fixed(_ v: Double) -> String { String((v * 100).rounded() / 100).paddedDecimals(2) }

    private func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
