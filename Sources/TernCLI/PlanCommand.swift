import ArgumentParser
import Foundation
import GGUF
import JSON
import ModelStore
import Placement
import Server

/// `tern plan MODEL`: where every tensor, the KV cache and the buffers would go on this machine (or
/// on described hardware), what each device holds, what decoding reads from RAM per token and how
/// fast that predicts it to be — before a byte is loaded. MODEL is a GGUF path (header-only files
/// too) or a model name in the store.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a model's placement on GPUs and RAM from its GGUF header (docs/placement.md).")

    @Argument(help: "A GGUF file (a header-only skeleton is enough) or a model name in the store.")
    var model: String

    @Option(help: "Hardware to plan for instead of this machine: 8x48GiB, gpu:48GiB,gpu:80GiB,ram:2TiB,cores:64.")
    var devices: String?

    @Option(help: "Context tokens per slot (num_ctx); default TERN_CONTEXT_LENGTH or 4096.")
    var ctx: Int?

    @Option(help: "Request slots; the cache holds ctx × parallel tokens. Default TERN_NUM_PARALLEL or 1.")
    var parallel: Int?

    @Option(help: "KV cache type: f16, f32, q8_0 or q4_0.")
    var kv = "f16"

    @Option(help: "tern (per tensor), ollama (Ollama's layer estimator) or both.")
    var policy = "tern"

    @Option(name: .customShort("o"), help: ArgumentHelp("num_gpu, num_ctx, num_batch or override_tensor (REGEX=DEVICE,…).", valueName: "name=value"))
    var parameters: [String] = []

    @Option(help: "GPU read bandwidth for the decode prediction (default 800GB/s).")
    var gpuBandwidth: String?

    @Option(help: "RAM read bandwidth for the decode prediction (default 100GB/s).")
    var ramBandwidth: String?

    @Option(help: "Memory to leave unused on each GPU (OLLAMA_GPU_OVERHEAD), e.g. 1GiB.")
    var gpuOverhead: String?

    @Flag(help: "Print the plan as JSON.")
    var json = false

    func run() throws {
        let config = ServerConfig(environment: ProcessInfo.processInfo.environment)
        let path = try resolve(model, storeRoot: config.modelsRoot)
        let file = try failing { try GGUFFile(path: path, data: .headerOnly) }
        let footprint = try failing { try ModelFootprint(file: file) }
        let inventory = try makeInventory()
        var options = try makeOptions(defaultContext: config.contextLength, defaultParallel: config.numParallel)
        let policies: [PlanOptions.Policy] = policy == "both" ? [.tern, .ollama] : try [parsePolicy(policy)]
        let plans = try policies.map { p in
            options.policy = p
            return try failing { try Planner.plan(footprint: footprint, inventory: inventory, options: options) }
        }
        if json {
            print((plans.count == 1 ? plans[0].json : .array(plans.map(\.json))).text(pretty: true))
        } else {
            print(PlanReport.header(model: model, file: file, footprint: footprint, inventory: inventory))
            if plans.count > 1 { print(PlanReport.comparison(plans)) }
            for plan in plans { print(PlanReport.details(plan)) }
            if plans.contains(where: { $0.gpuBytes > 0 }) {
                print("This build has no GPU backend yet: `tern run` and `tern serve` run every model on the CPU; "
                      + "the GPU placement above is what a GPU backend would load.")
            }
        }
        if let first = plans.first, !first.fits { throw ExitCode(1) }
    }

    /// A path that exists is a file; anything else is a model name in the store.
    private func resolve(_ model: String, storeRoot: String) throws -> String {
        if FileManager.default.fileExists(atPath: model) { return model }
        let name = try failing { try ModelName(parsing: model) }
        return try failing { try ModelStore(root: storeRoot).modelBlobPath(name) }
    }

    private func makeInventory() throws -> Inventory {
        let base = try devices.map { d in try failing { try InventoryDescription.parse(d, local: LocalInventory.detect()) } }
            ?? LocalInventory.detect()
        return base.withBandwidth(gpu: try gpuBandwidth.map { try rate($0, "--gpu-bandwidth") },
                                  ram: try ramBandwidth.map { try rate($0, "--ram-bandwidth") })
    }

    private func rate(_ text: String, _ flag: String) throws -> Double {
        let amount = text.lowercased().hasSuffix("/s") ? String(text.dropLast(2)) : text
        guard let bytes = ByteSize.parse(amount.uppercased().hasSuffix("B") ? amount : amount + "B"), bytes > 0 else {
            throw ValidationFailure(message: "\(flag) \(text): expected a rate like 864GB/s")
        }
        return Double(bytes)
    }

    private func makeOptions(defaultContext: Int, defaultParallel: Int) throws -> PlanOptions {
        var options = PlanOptions()
        options.contextLength = ctx ?? defaultContext
        options.parallel = parallel ?? defaultParallel
        guard let type = Placement.KVCacheType(rawValue: kv) else {
            throw ValidationFailure(message: "--kv \(kv): expected one of f16, f32, q8_0, q4_0")
        }
        options.kvType = type
        if let gpuOverhead {
            guard let bytes = ByteSize.parse(gpuOverhead) else { throw ValidationFailure(message: "--gpu-overhead \(gpuOverhead): expected a size like 1GiB") }
            options.gpuOverheadBytes = bytes
        }
        for parameter in parameters {
            guard let eq = parameter.firstIndex(of: "=") else { throw ValidationFailure(message: "-o \(parameter): expected name=value") }
            let name = String(parameter[..<eq]), value = String(parameter[parameter.index(after: eq)...])
            func integer() throws -> Int {
                guard let n = Int(value) else { throw ValidationFailure(message: "-o \(name)=\(value): expected an integer") }
                return n
            }
            switch name {
            case "num_gpu": let n = try integer(); options.numGPU = n < 0 ? nil : n
            case "num_ctx": options.contextLength = try integer()
            case "num_batch": options.batchSize = try integer()
            case "override_tensor", "ot": options.overrides += try failing { try TensorOverride.parseList(value) }
            default: throw ValidationFailure(message: "-o \(name): not a placement parameter (num_gpu, num_ctx, num_batch, override_tensor)")
            }
        }
        return options
    }

    private func parsePolicy(_ text: String) throws -> PlanOptions.Policy {
        guard let p = PlanOptions.Policy(rawValue: text) else { throw ValidationFailure(message: "--policy \(text): expected tern, ollama or both") }
        return p
    }
}
