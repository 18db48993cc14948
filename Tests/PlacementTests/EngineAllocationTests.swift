import GGUF
import Kernels
import Models
import Placement
import TestSupport
import Testing

/// On this CPU, the plan of each test model must match what the engine really allocates: the cache
/// to the byte (`ModelState.cacheBytes`), and the resident bytes (weights, header, cache) within
/// 10 % of the mapped file plus that cache. The working set is planned on top (the engine's scratch
/// is not public, so it is compared with the batch it scales with instead).
@Suite("Plans against the engine's allocations")
struct EngineAllocationTests {
    static let cases: [(TestModel, Placement.KVCacheType, Models.KVCacheType, Int)] = [
        (.smollm2, .f16, .f16, 2048), (.smollm2, .q8_0, .q8_0, 8192), (.smollm2, .f32, .f32, 512),
        (.qwen25, .f16, .f16, 4096), (.qwen25, .q8_0, .q8_0, 32768),
        (.gemma3, .f16, .f16, 2048), (.gemma3, .q8_0, .q8_0, 16384),
        (.tinyDeepSeekF16, .f16, .f16, 4096), (.tinyDeepSeekQ8_0, .f16, .f16, 163_840), (.tinyDeepSeekQ4_K_M, .f16, .f16, 2048),
    ]

    @Test(arguments: cases)
    func planMatchesTheEngine(model: TestModel, planType: Placement.KVCacheType, engineType: Models.KVCacheType, context: Int) throws {
        guard model.shouldTest else { return }
        let file = try GGUFFile(path: model.path)
        let local = LocalInventory.detect()
        let cpuOnly = Inventory(gpus: [], ram: local.ram, cores: local.cores, origin: "test")
        var options = PlanOptions()
        options.contextLength = context
        options.kvType = planType
        let plan = try Planner.plan(file: file, inventory: cpuOnly, options: options)
        #expect(plan.fits, "\(plan.refusal ?? "")")
        #expect(plan.contextLength == context)
        #expect(plan.processor == "100% CPU")

        let state = try Architectures.load(file).makeState(contextSize: context, batchSize: options.batchSize,
                                                           pool: ThreadPool(threads: 1), cacheType: engineType)
        #expect(plan.devices.reduce(0) { $0 + $1.kvBytes } == state.cacheBytes)
        let engine = Double(file.fileSize + state.cacheBytes)
        let ram = try #require(plan.devices.last)
        let resident = ram.weightBytes + ram.overheadBytes + ram.kvBytes
        #expect(abs(Double(resident) / engine - 1) < 0.10, "plan \(resident), engine \(Int(engine))")
        // At least the batch's hidden states, in f32.
        #expect(ram.computeBytes >= 4 * options.batchSize * (file["\(file.architecture!).embedding_length"]?.intValue ?? 0))
    }
}
