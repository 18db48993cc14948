import Foundation
import Jinja
import JSON
import Testing

/// Every fixture template over every corpus conversation renders exactly what Python jinja2
/// rendered in HF's environment, or fails where it failed (with the same message when the
/// template raised it).
@Suite("Chat templates against jinja2")
struct CorpusTests {
    static let fixture = Result { try CorpusFixture() }

    static var templateNames: [String] { ((try? fixture.get())?.templates.keys).map { $0.sorted() } ?? [] }

    @Test func fixtureCoversEveryTemplate() throws {
        let fixture = try Self.fixture.get()
        #expect(fixture.templates.count >= 28)
        #expect(Set(fixture.cases.map(\.template)) == Set(fixture.templates.keys))
        #expect(fixture.cases.count == fixture.templates.count * fixture.contexts.count * 2)
    }

    @Test(arguments: templateNames)
    func rendersLikeJinja2(template name: String) throws {
        let fixture = try Self.fixture.get()
        let template = try ChatTemplate(fixture.templates[name]!)
        for c in fixture.cases where c.template == name {
            let label = "\(c.conversation) add_generation_prompt=\(c.addGenerationPrompt)"
            let context = fixture.contexts[c.conversation]![c.addGenerationPrompt]!
            do {
                let output = try template.render(context, now: fixture.now)
                #expect(output == c.output, "\(label): rendered although jinja2 failed with \(c.error ?? "")")
            } catch {
                #expect(c.output == nil, "\(label): \(error)")
                if c.raised {
                    #expect(error.kind == .raised && error.message == c.error, "\(label): \(error)")
                }
            }
        }
    }
}
