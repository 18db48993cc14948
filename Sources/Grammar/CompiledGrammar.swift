/// The nodes of one grammar with what the recognizer looks up per byte precomputed: each node's
/// alternatives (a choice flattened, anything else itself) and the bytes that can open it.
/// Immutable and shared by every state of the grammar.
final class CompiledGrammar: Sendable {
    let nodes: [GrammarNode]
    let root: NodeID
    let alternatives: [[NodeID]]
    let firstBytes: [ByteSet]

    init(nodes: [GrammarNode], paths: [String], root: NodeID) throws(GrammarError) {
        self.nodes = nodes
        self.root = root
        var alternatives = [[NodeID]?](repeating: nil, count: nodes.count)
        for id in nodes.indices {
            var visiting = Set<NodeID>()
            alternatives[id] = try Self.flatten(id, nodes: nodes, paths: paths, memo: &alternatives, visiting: &visiting)
        }
        self.alternatives = alternatives.map { $0! }
        firstBytes = nodes.indices.map { id in
            var set = ByteSet()
            for alternative in alternatives[id]! { set.formUnion(Self.openingBytes(of: nodes[alternative])) }
            return set
        }
    }

    private static func flatten(_ id: NodeID, nodes: [GrammarNode], paths: [String], memo: inout [[NodeID]?],
                                visiting: inout Set<NodeID>) throws(GrammarError) -> [NodeID] {
        if let known = memo[id] { return known }
        guard case .choice(let options) = nodes[id] else { return [id] }
        guard visiting.insert(id).inserted else { throw .circularReference(paths[id]) }
        var flat: [NodeID] = []
        for option in options {
            for alternative in try flatten(option, nodes: nodes, paths: paths, memo: &memo, visiting: &visiting)
            where !flat.contains(alternative) {
                flat.append(alternative)
            }
        }
        visiting.remove(id)
        memo[id] = flat
        return flat
    }

    private static func openingBytes(of node: GrammarNode) -> ByteSet {
        switch node {
        case .object: return ByteSet([UInt8(ascii: "{")])
        case .array: return ByteSet([UInt8(ascii: "[")])
        case .string: return ByteSet([UInt8(ascii: "\"")])
        case .literals(let table): return ByteSet(table.entries.compactMap(\.first))
        case .number(let rule):
            return ByteSet(Array("-0123456789".utf8).filter { byte in
                var scanner = NumberScanner()
                return scanner.feed(byte, rule: rule)
            })
        case .choice: preconditionFailure("choices are flattened first")
        }
    }
}
