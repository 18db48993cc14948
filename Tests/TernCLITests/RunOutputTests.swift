@testable import Client
@testable import TernCLI
import JSON
import Testing

@Suite("run output and show's info view")
struct RunOutputTests {
    @Test func wordWrapMovesTheWordThatCrossesTheEdge() {
        var wrapper = WordWrapper(width: 20)  // lines break once they would pass 15 columns
        let out = wrapper.wrap("hello there general kenobi")
        // "general" crossed the edge at "gen": erased (3 columns back), line cleared, reprinted below.
        #expect(out == "hello there gen\u{1B}[3D\u{1B}[K\ngeneral kenobi")
    }

    @Test func wordWrapBreaksAWordLongerThanTheLine() {
        var wrapper = WordWrapper(width: 12)
        #expect(wrapper.wrap("abcdefghijk") == "abcdefg\nhijk")
    }

    @Test func infoViewSections() throws {
        let json = try #require(try JSONParser.parse(Array("""
            {"license":"MIT License\\n\\nCopyright\\nmore\\n","parameters":"stop                           \\"<|im_end|>\\"\\ntemperature                    0.7",
             "system":"Be brief.","details":{"family":"qwen2","parameter_size":"494.03M","quantization_level":"Q8_0"},
             "model_info":{"general.architecture":"qwen2","qwen2.context_length":32768,"qwen2.embedding_length":896},
             "capabilities":["completion","tools"]}
            """.utf8)).objectValue)
        let text = ModelInfoView.render(ShowResponse(json: json), verbose: false)
        let rows = { (cells: [String]) in "    " + cells.map { $0 + "    " }.joined() + "\n" }
        #expect(text == "  Model\n"
            + rows(["architecture    ", "qwen2  "]) + rows(["parameters      ", "494.03M"])
            + rows(["context length  ", "32768  "]) + rows(["embedding length", "896    "]) + rows(["quantization    ", "Q8_0   "]) + "\n"
            + "  Capabilities\n" + rows(["completion"]) + rows(["tools     "]) + "\n"
            + "  Parameters\n" + rows(["stop       ", "\"<|im_end|>\""]) + rows(["temperature", "0.7         "]) + "\n"
            + "  System\n" + rows(["Be brief."]) + "\n"
            + "  License\n" + rows(["MIT License"]) + rows(["Copyright  "]) + rows(["...        "]) + "\n")
    }

    @Test func metadataArraysAreAbbreviated() {
        #expect(ModelInfoView.metadataText(.array([.string("<unk>"), .string("<s>"), .string("</s>")])) == "[<unk> ...+2 more]")
        #expect(ModelInfoView.metadataText(.array([.int(1), .int(2)])) == "[1 2]")
        #expect(ModelInfoView.metadataText(.int(1_000_000)) == "1e+06")
        #expect(ModelInfoView.humanNumber(8_000_000_000) == "8B")
        #expect(ModelInfoView.humanNumber(135_000_000) == "135M")
        #expect(ModelInfoView.humanNumber(494_032_768) == "494.03M")
    }
}
