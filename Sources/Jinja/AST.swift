/// The parsed template: statements holding expressions, each expression with the place it was
/// written so runtime errors can name the template line.

enum Constant: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
}

struct Arguments: Sendable {
    var positional: [Expression] = []
    var keyword: [(name: String, value: Expression)] = []
    /// `*args` and `**kwargs` spread into the call.
    var spreadPositional: Expression?
    var spreadKeyword: Expression?
}

/// `| name(args)` as written after a value or on a `{% filter %}` / `{% set x | f %}` block.
struct FilterCall: Sendable {
    var name: String
    var arguments: Arguments
    var location: SourceLocation
}

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
}

enum ComparisonOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case contains = "in", notContains = "not in"
}

struct Expression: Sendable {
    indirect enum Kind: Sendable {
        case constant(Constant)
        case name(String)
        case list([Expression])
        case tuple([Expression])
        case dict([(key: Expression, value: Expression)])
        case attribute(Expression, String)
        case item(Expression, Expression)
        case slice(Expression, start: Expression?, stop: Expression?, step: Expression?)
        case call(Expression, Arguments)
        case filter(Expression, FilterCall)
        case test(Expression, name: String, Arguments, negated: Bool)
        case negate(Expression)
        case plus(Expression)
        case not(Expression)
        case binary(BinaryOperator, Expression, Expression)
        case compare(Expression, [(ComparisonOperator, Expression)])
        case and(Expression, Expression)
        case or(Expression, Expression)
        /// `a ~ b ~ c`: every operand converted to a string and joined.
        case concat([Expression])
        /// `a if condition else b`; without `else` the result is undefined.
        case conditional(value: Expression, condition: Expression, otherwise: Expression?)
    }

    var kind: Kind
    var location: SourceLocation
}

/// Where `{% set %}` and `{% for %}` store values.
enum AssignTarget: Sendable {
    case name(String)
    case tuple([String])
    /// `{% set ns.attr = … %}` writes into a namespace object.
    case attribute(object: String, attribute: String)
}

struct Parameter: Sendable {
    var name: String
    var defaultValue: Expression?
}

struct MacroDefinition: Sendable {
    var name: String
    var parameters: [Parameter]
    var body: [Statement]
}

struct ForLoop: Sendable {
    var target: AssignTarget
    var iterable: Expression
    var filter: Expression?
    var body: [Statement]
    var otherwise: [Statement]
    var recursive: Bool
    var location: SourceLocation
}

indirect enum Statement: Sendable {
    case text(String)
    case output(Expression)
    case conditional(branches: [(condition: Expression, body: [Statement])], otherwise: [Statement])
    case forLoop(ForLoop)
    case assign(AssignTarget, Expression, SourceLocation)
    /// `{% set x %}…{% endset %}`: the rendered body, through optional filters.
    case assignBlock(AssignTarget, body: [Statement], filters: [FilterCall], SourceLocation)
    case macro(MacroDefinition)
    /// `{% call(params) macro(args) %}body{% endcall %}`: the body becomes the macro's `caller`.
    case callBlock(call: Expression, parameters: [Parameter], body: [Statement])
    case filterBlock(filters: [FilterCall], body: [Statement])
    case loopBreak(SourceLocation)
    case loopContinue(SourceLocation)
}
