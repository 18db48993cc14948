import Foundation
import Testing
import WebUI

@Suite("Web UI assets")
struct AssetsTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/WebUI/Sources").standardized

    /// Assets.swift is generated; a source edited without rerunning scripts/gen-webui-assets fails here.
    @Test func generatedFileMatchesTheSources() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path).sorted()
        #expect(Asset.all.map(\.name) == names, "rerun scripts/gen-webui-assets")
        for name in names {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(name), encoding: .utf8)
            let asset = try #require(Asset.named(name))
            #expect(asset.body.description == text, "\(name) changed: rerun scripts/gen-webui-assets")
        }
    }

    @Test func thePageAndItsScriptAreThere() {
        #expect(Asset.page.contentType.hasPrefix("text/html"))
        #expect(Asset.named("app.js")?.contentType.hasPrefix("text/javascript") == true)
        #expect(Asset.named("style.css")?.contentType.hasPrefix("text/css") == true)
        #expect(Asset.named("missing.js") == nil)
    }
}
