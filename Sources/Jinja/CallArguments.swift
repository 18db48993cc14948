/// The evaluated arguments of a call, and binding them to a Python-style signature.
struct CallArguments {
    var positional: [Value] = []
    var keyword: [(name: String, value: Value)] = []

    /// The arguments matched to `parameters` in order (nil where not given); an unknown keyword,
    /// a duplicate or too many positionals is an error naming `function`, as Python's would be.
    func bind(_ function: String, _ parameters: [String]) throws(JinjaError) -> [Value?] {
        guard positional.count <= parameters.count else {
            throw .runtime("\(function)() takes at most \(parameters.count) positional arguments (\(positional.count) given)")
        }
        var bound: [Value?] = positional.map(Optional.some) + Array(repeating: nil, count: parameters.count - positional.count)
        for (name, value) in keyword {
            guard let i = parameters.firstIndex(of: name) else {
                throw .runtime("\(function)() got an unexpected keyword argument '\(name)'")
            }
            guard bound[i] == nil else { throw .runtime("\(function)() got multiple values for argument '\(name)'") }
            bound[i] = value
        }
        return bound
    }

    /// `bind` with every parameter required.
    func require(_ function: String, _ parameters: [String]) throws(JinjaError) -> [Value] {
        let bound = try bind(function, parameters)
        return try bound.enumerated().map { (i, value) throws(JinjaError) -> Value in
            guard let value else { throw .runtime("\(function)() missing required argument '\(parameters[i])'") }
            return value
        }
    }
}
