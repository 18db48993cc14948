/// Variables visible at one point of a render. A for-loop iteration, a macro call and the template
/// body each get their own scope; `{% if %}` does not, so a `set` inside an `if` reaches the
/// enclosing body, and a `set` inside a loop is gone after the iteration (jinja2's rules).
final class Scope {
    private var variables: [String: Value] = [:]
    private let parent: Scope?

    init(parent: Scope?) { self.parent = parent }

    func lookup(_ name: String) -> Value? {
        var scope: Scope? = self
        while let s = scope {
            if let v = s.variables[name] { return v }
            scope = s.parent
        }
        return nil
    }

    func set(_ name: String, _ value: Value) { variables[name] = value }
}
