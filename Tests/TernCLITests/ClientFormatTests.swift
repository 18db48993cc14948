@testable import TernCLI
import OllamaAPI
import Testing

@Suite("list / ps formatting (spec §3.2, §3.3)")
struct ClientFormatTests {
    private let gap = "    "
    private func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: width - s.count) }

    @Test(arguments: [(Int, String)]([
        (0, "0 B"), (999, "999 B"), (1000, "1 KB"), (1500, "1.5 KB"), (2_000_000_000, "2 GB"), (2_500_000_000, "2.5 GB"),
        (9_990_000_000, "10.0 GB") /* %.1f rounds up, as in Go */, (10_900_000_000, "10 GB"), (404_430_000_000, "404 GB"), (98_362_432, "98 MB"), (3_100_000_000_000, "3.1 TB"),
    ]))
    func humanBytes(bytes: Int, expected: String) {
        #expect(HumanBytes.format(bytes) == expected)
    }

    @Test(arguments: [(Double, String)]([
        (0.5, "Less than a second"), (1.2, "1 second"), (59.9, "59 seconds"), (60, "About a minute"), (119, "About a minute"),
        (240, "4 minutes"), (3599, "59 minutes"), (3600, "About an hour"), (5399, "About an hour"), (5400, "2 hours"),
        // 47 hours, 48 hours, 13 days, 21 days, 90 days, 800 days:
        (169_200, "47 hours"), (172_800, "2 days"), (1_123_200, "13 days"), (1_814_400, "3 weeks"),
        (7_776_000, "3 months"), (69_120_000, "2 years"),
    ]))
    func durations(seconds: Double, expected: String) {
        #expect(RelativeTime.duration(seconds) == expected)
    }

    @Test func agoFromNowForeverNever() {
        let now = 1_700_000_000.0
        #expect(RelativeTime.describe(now - 70, now: now) == "About a minute ago")
        #expect(RelativeTime.describe(now + 4 * 60 + 30, now: now) == "4 minutes from now")
        #expect(RelativeTime.describe(now + 292 * 365 * 86400, now: now) == "Forever")
        #expect(RelativeTime.describe(nil, now: now) == "Never")
    }

    @Test func rfc3339() throws {
        #expect(RFC3339.seconds("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.seconds("2024-05-01T12:00:00.5+02:00") == 1_714_557_600.5)
        #expect(RFC3339.seconds("2024-05-01T10:00:00.5Z") == 1_714_557_600.5)
        #expect(RFC3339.seconds("0001-01-01T00:00:00Z") == nil)
        #expect(RFC3339.seconds("yesterday") == nil)
        // ~292 years ahead ("forever") still reads, in seconds.
        #expect(try #require(RFC3339.seconds("2318-01-01T00:00:00Z")) > 1e10)
    }

    @Test func listTable() {
        let now = try! #require(RFC3339.seconds("2025-01-22T00:00:00Z"))
        var details = ModelDetails()
        details.family = "llama"
        let models = [
            ListedModel(name: "deepseek-r1:671b", modifiedAt: "2025-01-01T00:00:00Z", size: 404_430_188_519,
                        digest: "739e1b229ad7" + String(repeating: "0", count: 52), details: details, capabilities: []),
            ListedModel(name: "llama3.2:latest", modifiedAt: "2025-01-20T00:00:00-00:00", size: 2_019_393_189,
                        digest: "a80c4f17acd5" + String(repeating: "1", count: 52), details: details, capabilities: []),
        ]
        #expect(ModelTables.list(models, now: now) == [
            pad("NAME", 16) + gap + pad("ID", 12) + gap + pad("SIZE", 6) + gap + pad("MODIFIED", 11) + " ",
            "deepseek-r1:671b" + gap + "739e1b229ad7" + gap + "404 GB" + gap + "3 weeks ago" + gap,
            pad("llama3.2:latest", 16) + gap + "a80c4f17acd5" + gap + "2.0 GB" + gap + pad("2 days ago", 11) + gap,
        ].map { $0 + "\n" }.joined())
    }

    @Test(arguments: [(Int, Int, String)]([
        (100, 0, "100% CPU"), (100, 100, "100% GPU"), (100, 150, "Unknown"), (0, 5, "Unknown"),
        (449, 346, "23%/77% CPU/GPU"), (1000, 5, "100%/0% CPU/GPU"),
    ]))
    func processorColumn(size: Int, vram: Int, expected: String) {
        #expect(ModelTables.processor(size: size, vram: vram) == expected)
    }

    @Test func psTableStoppingAndForever() {
        let now = try! #require(RFC3339.seconds("2025-01-22T00:00:00Z"))
        let details = ModelDetails()
        let models = [
            RunningModel(name: "a:latest", size: 449_000_000_000, digest: String(repeating: "a", count: 64), details: details,
                         expiresAt: "2025-01-22T00:04:30Z", sizeVRAM: 346_000_000_000, contextLength: 8192),
            RunningModel(name: "b:latest", size: 1_000, digest: String(repeating: "b", count: 64), details: details,
                         expiresAt: "2318-04-01T00:00:00Z", sizeVRAM: 0, contextLength: 4096),
            RunningModel(name: "c:latest", size: 1_000, digest: String(repeating: "c", count: 64), details: details,
                         expiresAt: "2025-01-21T23:59:00Z", sizeVRAM: 0, contextLength: 4096),
        ]
        let lines = ModelTables.ps(models, now: now).split(separator: "\n").map(String.init)
        #expect(lines[0] == pad("NAME", 8) + gap + pad("ID", 12) + gap + pad("SIZE", 6) + gap + pad("PROCESSOR", 15) + gap
            + "CONTEXT" + gap + pad("UNTIL", 18) + " ")
        #expect(lines[1] == "a:latest" + gap + "aaaaaaaaaaaa" + gap + "449 GB" + gap + "23%/77% CPU/GPU" + gap + pad("8192", 7) + gap
            + "4 minutes from now" + gap)
        #expect(lines[2].hasSuffix(gap + pad("100% CPU", 15) + gap + pad("4096", 7) + gap + pad("Forever", 18) + gap))
        #expect(lines[3].hasSuffix(gap + pad("Stopping...", 18) + gap))
    }
}
