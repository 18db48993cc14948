import Foundation

/// The functions HF puts in a chat template's environment, next to jinja2's own `range`,
/// `dict` and `namespace`: `raise_exception(message)` and `strftime_now(format)`.
enum Globals {
    static func install(in scope: Scope, now: Date) {
        scope.set("range", .function(Function("range", range)))
        scope.set("dict", .function(Function("dict") { args throws(JinjaError) in
            var d = Dict()
            for value in args.positional {
                guard case .dict(let other) = value else { throw .runtime("dict() positional argument must be a mapping") }
                for (k, v) in other.entries { d[k] = v }
            }
            for (k, v) in args.keyword { d[k] = v }
            return .dict(d)
        }))
        scope.set("namespace", .function(Function("namespace") { args throws(JinjaError) in
            var attributes = Dict()
            for value in args.positional {
                guard case .dict(let other) = value else { throw .runtime("namespace() positional argument must be a mapping") }
                for (k, v) in other.entries { attributes[k] = v }
            }
            for (k, v) in args.keyword { attributes[k] = v }
            for key in attributes.keys { try checkNamespaceName(key, at: nil) }
            return .namespace(Namespace(attributes))
        }))
        scope.set("raise_exception", .function(Function("raise_exception") { args throws(JinjaError) in
            let message = try args.require("raise_exception", ["message"])[0]
            throw JinjaError(.raised, PythonFormat.str(message))
        }))
        scope.set("strftime_now", .function(Function("strftime_now") { args throws(JinjaError) in
            let format = try args.require("strftime_now", ["format"])[0]
            return .string(strftime(PythonFormat.str(format), now))
        }))
    }

    /// HF's namespaces refuse underscore-prefixed attributes (a sandbox rule).
    static func checkNamespaceName(_ name: String, at location: SourceLocation?) throws(JinjaError) {
        guard name.hasPrefix("_") else { return }
        let error = JinjaError.runtime("Chat templates cannot store underscore-prefixed attributes on a namespace, but got '\(name)'.")
        throw location.map { error.located(at: $0) } ?? error
    }

    /// jinja2's sandbox caps ranges at 100 000 items.
    private static let maxRange = 100_000

    private static func range(_ args: CallArguments) throws(JinjaError) -> Value {
        var bounds: [Int] = []
        for value in args.positional {
            guard case .int(let i)? = value.number, !value.isFloat else {
                throw .runtime("'\(value.typeName)' object cannot be interpreted as an integer")
            }
            bounds.append(i)
        }
        let (start, stop, step): (Int, Int, Int)
        switch bounds.count {
        case 1: (start, stop, step) = (0, bounds[0], 1)
        case 2: (start, stop, step) = (bounds[0], bounds[1], 1)
        case 3: (start, stop, step) = (bounds[0], bounds[1], bounds[2])
        default: throw .runtime("range expected 1 to 3 arguments, got \(bounds.count)")
        }
        guard step != 0 else { throw .runtime("range() arg 3 must not be zero") }
        let values = stride(from: start, to: stop, by: step)
        guard values.underestimatedCount <= maxRange else {
            throw .runtime("Range too big. The sandbox blocks ranges larger than MAX_RANGE (\(maxRange)).")
        }
        return .list(values.map(Value.int))
    }

    /// C's `strftime` in local time, which is what Python's `datetime.now().strftime` calls.
    private static func strftime(_ format: String, _ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 1024)
        let count = Foundation.strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
