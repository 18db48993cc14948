import Engine
import Sampling
import Testing

@Suite("Run options (Modelfile PARAMETER / -o name=value)")
struct RunOptionsTests {
    @Test func defaultsAreOllamas() {
        let o = RunOptions()
        #expect(o.sampling.temperature == 0.8 && o.sampling.topK == 40 && o.sampling.topP == 0.9)
        #expect(o.sampling.numCtx == 4096 && o.sampling.numPredict == -1 && o.numBatch == 512)
    }

    @Test func setsTypedValues() throws {
        var o = RunOptions()
        try o.set("temperature", text: "0")
        try o.set("num_ctx", text: "256")
        try o.set("seed", text: "42")
        try o.set("stop", text: "\n\n")
        try o.set("stop", text: "User:")
        try o.set("num_thread", text: "2")
        try o.set("mirostat", text: "2")  // legacy: accepted and ignored
        #expect(o.sampling.temperature == 0 && o.sampling.numCtx == 256 && o.sampling.seed == 42)
        #expect(o.sampling.stop == ["\n\n", "User:"] && o.numThread == 2)
    }

    @Test func rejectsWrongTypesAndUnknownNames() {
        var o = RunOptions()
        #expect(throws: RunOptionError.wrongType("num_ctx", .integer)) { try o.set("num_ctx", text: "big") }
        #expect(throws: RunOptionError.wrongType("top_p", .float32)) { try o.set("top_p", text: "high") }
        #expect(throws: RunOptionError.unknown("num_gpus")) { try o.set("num_gpus", text: "1") }
        #expect(throws: RunOptionError.outOfRange("num_ctx", "at least 4")) { try o.set("num_ctx", text: "2") }
        #expect(RunOptionError.wrongType("seed", .integer).description == "option \"seed\" must be of type integer")
    }
}
