import Foundation
import Jinja
import JSON
import Testing

/// The language pieces one at a time; every expected string is what Python jinja2 3.1.6 renders
/// in HF's environment (trim_blocks, lstrip_blocks, loopcontrols, HF's tojson).
@Suite("Jinja language")
struct LanguageTests {
    static let users: JSONValue = .array([
        .object(["name": .string("Ann"), "admin": .bool(true)]),
        .object(["name": .string("Bob"), "admin": .bool(false)]),
    ])

    static func render(_ source: String, _ context: JSONObject = [:]) throws(JinjaError) -> String {
        try ChatTemplate(source).render(context, now: Date(timeIntervalSince1970: 1735732800))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var source: String
        var expected: String
        var testDescription: String { source }
        init(_ source: String, _ expected: String) {
            self.source = source
            self.expected = expected
        }
    }

    static let filters: [Case] = [
        .init("{{ 'a,b' | replace(',', ';') }}", "a;b"),
        .init("{{ [3, 1, 2] | sort | join('-') }}", "1-2-3"),
        .init("[{{ ' x \n' | trim }}]", "[x]"),
        .init("{{ 'Hi' | upper }}{{ 'Hi' | lower }}{{ 'hello world' | title }}{{ 'hELLO' | capitalize }}", "HIhiHello WorldHello"),
        .init("{{ {'b': 1, 'a': 2} | items | list }}", "[('b', 1), ('a', 2)]"),
        .init("{{ missing | default('d') }}{{ '' | default('e', true) }}{{ 0 | default(5) }}", "de0"),
        .init("{{ [1, 2, 3] | first }}{{ [1, 2, 3] | last }}{{ [1, 2, 3] | length }}{{ 'héllo' | length }}", "1335"),
        .init("{{ '42' | int + 1 }} {{ 3.7 | int }} {{ 'x' | int }} {{ '2.5' | float }} {{ 7 | string + '!' }}", "43 3 0 2.5 7!"),
        .init("{{ users | map(attribute='name') | join(', ') }}", "Ann, Bob"),
        .init("{{ users | selectattr('admin') | map(attribute='name') | list }}", "['Ann']"),
        .init("{{ users | rejectattr('admin') | list | length }}", "1"),
        .init("{{ [1, 2, 3, 4] | select('even') | list }}{{ [1, 2, 3] | reject('odd') | list }}", "[2, 4][2]"),
        .init("{{ ['a', 'b'] | map('upper') | join }}", "AB"),
        .init(#"{{ {'a': [1, 2.5, None, true, 'é"\n']} | tojson }}"#, #"{"a": [1, 2.5, null, true, "é\"\n"]}"#),
        .init("{{ {'a': {'b': [], 'c': [1]}} | tojson(indent=2) }}", "{\n  \"a\": {\n    \"b\": [],\n    \"c\": [\n      1\n    ]\n  }\n}"),
        .init("{{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }}", #"{"a": 2, "b": 1}"#),
        .init("{{ 'a\nb' | indent(2) }}|{{ 'a\n\nb' | indent(2, true, true) }}", "a\n  b|  a\n  \n  b"),
        .init("{{ [1, 2, 2, 1] | unique | list }}{{ [3, 1] | max }}{{ [3, 1] | min }}{{ [1, 2.5] | sum }}", "[1, 2]313.5"),
        .init("{{ {'b': 1, 'a': 2} | dictsort }}{{ [1, 2] | reverse | list }}{{ 'ab' | reverse }}", "[('a', 2), ('b', 1)][2, 1]ba"),
        .init("{{ -3 | abs }}{{ 2.567 | round(2) }}{{ 2.5 | round }}", "32.572.0"),
    ]

    @Test(arguments: filters) func filter(_ c: Case) throws {
        #expect(try Self.render(c.source, ["users": Self.users]) == c.expected)
    }

    static let tests: [Case] = [
        .init("{{ x is defined }}{{ y is defined }}{{ y is undefined }}", "TrueFalseTrue"),
        .init("{{ none is none }}{{ 'a' is string }}{{ {} is mapping }}{{ [] is mapping }}", "TrueTrueTrueFalse"),
        .init("{{ [] is iterable }}{{ 3 is iterable }}{{ 'a' is not mapping }}", "TrueFalseTrue"),
        .init("{{ 6 is divisibleby 3 }}{{ 1 is number }}{{ 1.0 is integer }}{{ true is boolean }}{{ 2 is even }}", "TrueTrueFalseTrueTrue"),
        .init("{{ 'ab' is lower }}{{ 1 is in [1, 2] }}{{ x is eq 1 }}", "TrueTrueTrue"),
    ]

    @Test(arguments: tests) func test(_ c: Case) throws {
        #expect(try Self.render(c.source, ["x": .int(1)]) == c.expected)
    }

    static let statements: [Case] = [
        .init("{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.revindex }}{{ loop.length }}|{% endfor %}",
              "10TrueFalse33|21FalseFalse23|32FalseTrue13|"),
        .init("{% for x in [1, 2, 3, 4] if x is even %}{{ x }}{{ loop.cycle('a', 'b') }}{% else %}none{% endfor %}", "2a4b"),
        .init("{% for x in [] %}{{ x }}{% else %}none{% endfor %}", "none"),
        .init("{% for x in range(10) %}{% if x == 1 %}{% continue %}{% endif %}{% if x == 4 %}{% break %}{% endif %}{{ x }}{% endfor %}", "023"),
        .init("{% for x in [1, 2, 3] %}{{ loop.previtem | default('-') }}{{ loop.nextitem | default('-') }} {% endfor %}", "-2 13 2- "),
        .init("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}", "a=1;b=2;"),
        .init("{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}", "3"),
        .init("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{{ x }}{% endfor %}{{ x }}", "21"),
        .init("{% if true %}{% set y = 5 %}{% endif %}{{ y }}", "5"),
        .init("{% if 0 %}a{% elif '' %}b{% elif [1] %}c{% else %}d{% endif %}", "c"),
        .init("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('Bob') }} {{ greet('Al', punct='?') }}", "Hi Bob! Hi Al?"),
        .init("{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}bold{% endcall %}", "<b>bold</b>"),
        .init("{% macro m() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, k=3) }}", "(1, 2){'k': 3}"),
        .init("{% set block %}  text  {% endset %}[{{ block }}]{% filter upper %}shout{% endfilter %}", "[  text  ]SHOUT"),
        .init("{% raw %}{{ not rendered }}{% endraw %}", "{{ not rendered }}"),
        .init("{# a comment #}x{{ 'y' }}", "xy"),
    ]

    @Test(arguments: statements) func statement(_ c: Case) throws {
        #expect(try Self.render(c.source) == c.expected)
    }

    static let expressions: [Case] = [
        .init(#"{{ [1, 'a', None, True, 1.5, {'k': "it's"}] }}"#, #"[1, 'a', None, True, 1.5, {'k': "it's"}]"#),
        .init("{{ 1e16 }} {{ 1e-5 }} {{ 0.1 + 0.2 }} {{ 10 / 4 }} {{ 7 // 2 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 3.0 }} {{ 123456.789 }}",
              "1e+16 1e-05 0.30000000000000004 2.5 3 2 1024 3.0 123456.789"),
        .init("{{ (1, 2) }}{{ (1,) }}{{ [1, 2] + [3] }}{{ 'ab' * 2 }}{{ 1 ~ 'x' ~ none }}", "(1, 2)(1,)[1, 2, 3]abab1xNone"),
        .init("{{ 'hello'[1:3] }}{{ [1, 2, 3, 4][::-1] }}{{ 'hello'[-1] }}{{ [1, 2, 3][:-1] }}{{ 'héllo'[1] }}", "el[4, 3, 2, 1]o[1, 2]é"),
        .init("{{ True == 1 }}{{ 1 == 1.0 }}{{ 'a' in 'abc' }}{{ 'k' in {'k': 1} }}{{ 2 not in [1] }}{{ 1 < 2 < 3 }}", "TrueTrueTrueTrueTrueTrue"),
        .init("{{ 'yes' if 0 else 'no' }}{{ 0 or 'b' }}{{ 1 and 'c' }}{{ not none }}", "nobcTrue"),
        .init("{{ 'a b  c'.split() }}{{ 'a,b'.split(',') }}{{ 'xhix'.strip('x') }}{{ 'abc'.startswith('ab') }}{{ 'abc'.endswith(('x', 'c')) }}",
              "['a', 'b', 'c']['a', 'b']hiTrueTrue"),
        .init("{{ 'a\\nb'.splitlines() }}{{ 'abcabc'.find('c') }}{{ 'abcabc'.rfind('c') }}{{ ', '.join(['a', 'b']) }}{{ 'x'.upper() }}",
              "['a', 'b']25a, bX"),
        .init("{{ d.get('a') }}{{ d.get('z', 0) }}{{ d.keys() | list }}{{ d['a'] }}{{ d.a }}{{ d.missing }}", "10['a']11"),
        .init(#"{{ 'it''s' }}{{ "tab\there" }}{{ '\u00e9\x41' }}"#, "itstab\thereéA"),
        .init("{{ strftime_now('%Y-%m-%d') }}", "2025-01-01"),
        .init("{{ dict(a=1, b='x') }}{{ range(2, 8, 3) | list }}", "{'a': 1, 'b': 'x'}[2, 5]"),
    ]

    @Test(arguments: expressions) func expression(_ c: Case) throws {
        #expect(try Self.render(c.source, ["d": .object(["a": .int(1)])]) == c.expected)
    }

    static let whitespace: [Case] = [
        .init("  {% if true %}\n  x\n  {% endif %}\n", "  x\n"),
        .init("a  {%- if true -%}  b  {%- endif -%}  c", "abc"),
        .init("  {%+ if true %}x{% endif %}", "  x"),
        .init("{% if true +%}\nx{% endif %}", "\nx"),
        .init("a\n  {{ 'b' }}\n  {# c #}\nd\n", "a\n  b\nd"),
        .init("a {{- ' b ' -}} c", "a b c"),
        .init("line\r\nnext\rlast", "line\nnext\nlast"),
    ]

    @Test(arguments: whitespace) func whitespaceControl(_ c: Case) throws {
        #expect(try Self.render(c.source) == c.expected)
    }

    @Test func syntaxErrorNamesTheLine() {
        #expect(throws: JinjaError.self) { try ChatTemplate("one\ntwo {{ x(}}") }
        do {
            _ = try ChatTemplate("one\n{% if x %}\n{% endfor %}")
            Issue.record("parsed an if closed by endfor")
        } catch {
            #expect(error.kind == .syntax && error.line == 3)
        }
    }

    @Test func runtimeErrorNamesTheLine() {
        do {
            _ = try Self.render("a\n\n  {{ x.y.z }}")
            Issue.record("rendered an attribute of an undefined value")
        } catch {
            #expect(error.kind == .runtime && error.line == 3 && error.message == "'x' is undefined")
        }
    }

    @Test func raiseExceptionSurfacesItsMessage() {
        do {
            _ = try Self.render("{% if true %}\n  {{ raise_exception('Roles must alternate') }}{% endif %}")
            Issue.record("raise_exception did not raise")
        } catch {
            #expect(error.kind == .raised && error.message == "Roles must alternate" && error.line == 2)
        }
    }

    @Test func undefinedInArithmeticFails() {
        #expect(throws: JinjaError.self) { try Self.render("{{ missing + 1 }}") }
        #expect(throws: JinjaError.self) { try Self.render("{{ 'a' + 1 }}") }
        #expect(throws: JinjaError.self) { try Self.render("{% set ns = namespace(_hidden=1) %}") }
    }
}
