@testable import Client
import Testing

@Suite("NDJSON lines across buffer boundaries")
struct NDJSONSplitterTests {
    static let stream = Array("{\"a\":1}\n{\"b\":\"é ☃\"}\r\n\n{\"c\":3}\n{\"d\":4}".utf8)

    /// Whatever the buffers' sizes, the same lines come out: a line, a character or a CRLF
    /// split between two buffers waits for the rest.
    @Test(arguments: [1, 2, 3, 5, 7, 11, 64])
    func sameLinesForEveryBufferSize(size: Int) {
        var splitter = NDJSONSplitter()
        var lines: [String] = []
        for start in stride(from: 0, to: Self.stream.count, by: size) {
            let chunk = Self.stream[start..<min(start + size, Self.stream.count)]
            lines += splitter.feed(chunk).map { String(decoding: $0, as: UTF8.self) }
        }
        if let last = splitter.finish() { lines.append(String(decoding: last, as: UTF8.self)) }
        #expect(lines == [#"{"a":1}"#, #"{"b":"é ☃"}"#, #"{"c":3}"#, #"{"d":4}"#])
    }

    @Test func nothingPendingAfterAFinalNewline() {
        var splitter = NDJSONSplitter()
        #expect(splitter.feed(Array("{}\n".utf8)).count == 1)
        #expect(splitter.finish() == nil)
    }

    @Test func anErrorLineThrowsItsMessage() {
        #expect(throws: ClientError.server(status: 200, message: "model 'x' not found")) {
            try OllamaClient.decodeLine(Array(#"{"error":"model 'x' not found"}"#.utf8), status: 200)
        }
        #expect(throws: ClientError.malformedResponse("not json")) {
            try OllamaClient.decodeLine(Array("not json".utf8), status: 200)
        }
    }

    @Test func errorStatusTakesTheBodysErrorTextElseTheBody() {
        #expect(OllamaClient.statusError(404, body: Array(#"{"error":"model 'm' not found"}"#.utf8)).description == "model 'm' not found")
        #expect(OllamaClient.statusError(404, body: Array("404 page not found\n".utf8)).description == "404 page not found")
        #expect(OllamaClient.statusError(500, body: []).description == "something went wrong, please see the tern server logs for details")
    }
}
