import GGUF
import JSON
import Placement
import Testing

/// The issue's acceptance checks on the R1 671B skeleton with eight 48 GiB GPUs and 2 TiB of RAM.
@Suite("R1 671B on 8 × 48 GiB")
struct R1PlanTests {
    static func plan(_ layout: DeepSeekR1Skeleton.Layout, _ policy: PlanOptions.Policy, context: Int = 2048,
                     numGPU: Int? = nil, overrides: String? = nil) throws -> Plan {
        var options = PlanOptions()
        options.policy = policy
        options.contextLength = context
        options.numGPU = numGPU
        if let overrides { options.overrides = try TensorOverride.parseList(overrides) }
        return try Planner.plan(footprint: R1Skeleton.footprint(layout), inventory: R1Skeleton.eightGPUs, options: options)
    }

    @Test(arguments: DeepSeekR1Skeleton.Layout.allCases)
    func ternKeepsEveryNonExpertTensorAndTheCacheOnGPUs(layout: DeepSeekR1Skeleton.Layout) throws {
        let plan = try Self.plan(layout, .tern)
        #expect(plan.fits)
        #expect(plan.contextLength == 2048)
        let ram = try #require(plan.devices.last)
        #expect(ram.device.kind == .ram)
        #expect(ram.kvBytes == 0)
        // Only routed experts and the embedding (one row read per token) stay in RAM.
        #expect(ram.holds.allSatisfy { $0.hasPrefix("routed experts") || $0 == "token embedding" }, "\(ram.holds)")
        for gpu in plan.devices.dropLast() { #expect(gpu.totalBytes <= gpu.device.freeBytes, "\(gpu.device.id)") }
    }

    @Test(arguments: DeepSeekR1Skeleton.Layout.allCases)
    func ternReadsAtLeastThreeTimesFewerRAMBytesThanOllama(layout: DeepSeekR1Skeleton.Layout) throws {
        let tern = try Self.plan(layout, .tern), ollama = try Self.plan(layout, .ollama)
        #expect(tern.ramBytesPerToken * 3 <= ollama.ramBytesPerToken, "tern \(tern.ramBytesPerToken), ollama \(ollama.ramBytesPerToken)")
        #expect(tern.predictedDecodeTokensPerSecond > ollama.predictedDecodeTokensPerSecond)
    }

    /// Spec §6.5.4: at 2048 tokens Ollama deals 51 of 62 layers as 7,7,7,6,6,6,6,6 with a 9.5 GiB cache.
    @Test func ollamaReproducesTheWorkedExample() throws {
        let plan = try Self.plan(.legacy, .ollama)
        #expect(plan.gpuLayers == 51)
        let estimate = try #require(plan.notes.first)
        #expect(estimate.contains("51/62 layers on GPUs (split 7,7,7,6,6,6,6,6)"), "\(estimate)")
        #expect(estimate.contains("KV 9.5 GiB"), "\(estimate)")
        // The whole first ten blocks (attention included) and the output run from RAM.
        #expect(plan.devices.last?.holds.contains("attention blk 0–9") == true)
    }

    @Test func eightThousandTokensOverflowUnderOllamasSplit() throws {
        let plan = try Self.plan(.legacy, .ollama, context: 8192)
        #expect(!plan.fits)
        #expect(plan.refusal?.contains("unable to allocate") == true)
    }

    @Test(arguments: DeepSeekR1Skeleton.Layout.allCases)
    func ternFitsA128kContextBecauseTheMLACacheIsCompressed(layout: DeepSeekR1Skeleton.Layout) throws {
        let plan = try Self.plan(layout, .tern, context: 131_072)
        #expect(plan.fits)
        #expect(plan.contextLength == 131_072)
        // 61 × 576 × 2 bytes per token, all of it on GPUs.
        #expect(plan.devices.reduce(0) { $0 + $1.kvBytes } == 70_272 * 131_072)
        #expect(plan.devices.last?.kvBytes == 0)
    }

    @Test(arguments: PlanOptions.Policy.allCases)
    func numGPU61IsRefusedWithTheShortfall(policy: PlanOptions.Policy) throws {
        let plan = try Self.plan(.legacy, policy, numGPU: 61)
        #expect(!plan.fits)
        let refusal = try #require(plan.refusal)
        #expect(refusal.hasPrefix("num_gpu 61 does not fit: gpu"), "\(refusal)")
        #expect(refusal.contains("short by"))
        #expect(refusal.contains("at most num_gpu"))
    }

    @Test func aNumGPUThatFitsIsHonoured() throws {
        let plan = try Self.plan(.legacy, .tern, numGPU: 40)
        #expect(plan.fits)
        #expect(plan.gpuLayers == 40)
        #expect(plan.devices.last?.holds.contains("attention blk 0–20") == true)
    }

    @Test func overridesPinTensorsAndAreRefusedWhenTheyOverfill() throws {
        let pinned = try Self.plan(.legacy, .tern, overrides: #"blk\.(3|4)\.ffn_.*_exps=CPU"#)
        #expect(pinned.fits)
        #expect(pinned.devices.last?.holds.contains("routed experts blk 3–4") == true)
        let overfull = try Self.plan(.legacy, .tern, overrides: "exps=gpu0")
        #expect(!overfull.fits)
        #expect(overfull.refusal?.hasPrefix("gpu0 needs") == true)
        #expect(throws: PlacementError.unknownDevice("gpu9", known: (0..<8).map { "gpu\($0)" } + ["ram"])) {
            try Self.plan(.legacy, .tern, overrides: "exps=CUDA9")
        }
    }

    @Test func jsonCarriesTheIssuesFields() throws {
        let json = try Self.plan(.legacy, .tern).json
        let object = try #require(json.objectValue)
        for key in ["policy", "fits", "total_bytes", "gpu_layers", "cpu_fraction", "ram_bytes_per_token", "predicted_decode_tps", "devices"] {
            #expect(object[key] != nil, "\(key)")
        }
        #expect(object["devices"]?.arrayValue?.count == 9)
    }
}
