import JSON
import Testing
@testable import GoTemplate

/// Each small template runs over the same data as in Go; output or error text must match Go's.
struct InterpreterFixtureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var template: String
        var data: JSONValue
        var expected: Fixtures.Expected
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let expected = Fixtures.json("interpreter-expected.json").objectValue!
        return Fixtures.json("interpreter-cases.json").arrayValue!.map { json in
            let object = json.objectValue!
            let name = object["name"]!.stringValue!
            return Case(name: name, template: object["template"]!.stringValue!, data: object["data"]!,
                        expected: Fixtures.Expected(expected[name]!))
        }
    }()

    @Test(arguments: cases)
    func matchesGo(_ c: Case) {
        let result: Fixtures.Expected
        do {
            result = .output(try Template(c.template).execute(ToolModel.any(c.data)))
        } catch {
            result = .error(error.description)
        }
        #expect(result == c.expected)
    }

    @Test func everyCaseHasAnExpectation() {
        #expect(Self.cases.count > 90)
    }
}
