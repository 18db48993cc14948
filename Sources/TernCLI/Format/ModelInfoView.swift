import Client
import JSON
import OllamaAPI

/// `tern show MODEL`'s info view (spec §3.4): sections headed by two spaces, rows indented by
/// four, in Ollama's order; `verbose` adds every metadata key and tensor.
enum ModelInfoView {
    static func render(_ show: ShowResponse, verbose: Bool) -> String {
        var out = section("Model", modelRows(show))
        if !show.capabilities.isEmpty { out += section("Capabilities", show.capabilities.map { [$0] }) }
        if let projector = show.projectorInfo { out += section("Projector", projectorRows(projector)) }
        if !show.parameters.isEmpty {
            let rows = show.parameters.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
            out += section("Parameters", rows.filter { !$0.isEmpty })
        }
        if verbose {
            out += section("Metadata", show.modelInfo.keys.sorted().map { [$0, metadataText(show.modelInfo[$0]!)] })
            if !show.tensors.isEmpty {
                out += section("Tensors", show.tensors.map { [$0.name, $0.type, "[" + $0.shape.map(String.init).joined(separator: " ") + "]"] })
            }
        }
        if !show.system.isEmpty { out += section("System", head(show.system)) }
        if !show.license.isEmpty { out += section("License", head(show.license)) }
        return out
    }

    private static func modelRows(_ show: ShowResponse) -> [[String]] {
        var rows: [[String]] = []
        let info = show.modelInfo
        if info.isEmpty {
            rows = [["architecture", show.details.family], ["parameters", show.details.parameterSize]]
        } else {
            let arch = info["general.architecture"]?.stringValue ?? ""
            if !arch.isEmpty { rows.append(["architecture", arch]) }
            let parameters = show.details.parameterSize.isEmpty
                ? info["general.parameter_count"]?.intValue.map(humanNumber) ?? "" : show.details.parameterSize
            if !parameters.isEmpty { rows.append(["parameters", parameters]) }
            if let v = info[arch + ".context_length"], let text = number(v) { rows.append(["context length", text]) }
            if let v = info[arch + ".embedding_length"], let text = number(v) { rows.append(["embedding length", text]) }
        }
        rows.append(["quantization", show.details.quantizationLevel])
        if !show.requires.isEmpty { rows.append(["requires", show.requires]) }
        return rows
    }

    private static func projectorRows(_ info: JSONObject) -> [[String]] {
        let arch = info["general.architecture"]?.stringValue ?? ""
        return [
            ["architecture", arch],
            ["parameters", info["general.parameter_count"]?.intValue.map(humanNumber) ?? ""],
            ["embedding length", info[arch + ".vision.embedding_length"].flatMap(number) ?? ""],
            ["dimensions", info[arch + ".vision.projection_dim"].flatMap(number) ?? ""],
        ]
    }

    /// A heading and its rows, each row behind an empty first column (four spaces), then a blank line.
    static func section(_ title: String, _ rows: [[String]]) -> String {
        "  \(title)\n" + TextTable(rows: rows.map { [""] + $0 }).rendered + "\n"
    }

    /// The first two non-empty lines, then "..." when there are more.
    static func head(_ text: String) -> [[String]] {
        let blank: Set<Character> = [" ", "\t", "\r"]
        let lines = text.split(separator: "\n").map { line in
            line.drop { blank.contains($0) }.reversed().drop { blank.contains($0) }.reversed()
        }.map { String($0) }.filter { !$0.isEmpty }
        return lines.prefix(2).map { [String($0)] } + (lines.count > 2 ? [["..."]] : [])
    }

    /// A JSON number as Go's `strconv.FormatFloat(f, 'f', -1, 64)` prints it for whole values.
    private static func number(_ value: JSONValue) -> String? {
        if let i = value.intValue { return String(i) }
        return value.doubleValue.map { GoFloatFormat($0).general }
    }

    /// A metadata value as `ollama show -v` prints it: arrays abbreviated to ~10 columns.
    static func metadataText(_ value: JSONValue) -> String {
        switch value {
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return s
        case .float32(let f): return GoFloatFormat(f).general
        case .int, .double: return GoFloatFormat(value.doubleValue!).general
        case .array(let items): return abbreviated(items.map(metadataText), width: 10)
        case .null: return "<nil>"
        case .object: return "map[string]interface {}"
        }
    }

    /// `[a b ...+N more]`: as many items as fit in `width` columns (at least one).
    static func abbreviated(_ items: [String], width: Int) -> String {
        var shown = 0
        var total = 1
        for (i, item) in items.enumerated() {
            let w = item.count + (i > 0 ? 2 : 0)
            if total + w > width && i > 0 { break }
            total += w
            shown += 1
        }
        let list = items.prefix(shown).joined(separator: " ")
        return shown < items.count ? "[\(list) ...+\(items.count - shown) more]" : "[\(list)]"
    }

    /// A parameter count as Ollama's `format.HumanNumber`: "8B", "7.6B", "135.00M", "12K".
    static func humanNumber(_ n: Int) -> String {
        func decimals(_ v: Double, _ digits: Int) -> String {
            let scale = digits == 1 ? 10.0 : 100.0
            let q = Int((v * scale).rounded())
            let frac = String(q % Int(scale))
            return "\(q / Int(scale))." + String(repeating: "0", count: digits - frac.count) + frac
        }
        let v = Double(n)
        switch v {
        case 1e9...: return v / 1e9 == (v / 1e9).rounded() ? "\(n / 1_000_000_000)B" : decimals(v / 1e9, 1) + "B"
        case 1e6...: return v / 1e6 == (v / 1e6).rounded() ? "\(n / 1_000_000)M" : decimals(v / 1e6, 2) + "M"
        case 1e3...: return "\(Int((v / 1e3).rounded()))K"
        default: return String(n)
        }
    }
}
