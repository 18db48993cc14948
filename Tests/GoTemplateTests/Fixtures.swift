#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSON

/// The fixture files beside this source: cases, and the outputs Go's text/template gave for them
/// (Fixtures/README.md says how they were made).
enum Fixtures {
    static let directory: String = {
        let file = #filePath
        return String(file[..<file.lastIndex(of: "/")!]) + "/Fixtures"
    }()

    static func json(_ name: String) -> JSONValue {
        let path = directory + "/" + name
        guard let bytes = read(path) else { fatalError("missing fixture \(path)") }
        do {
            return try JSONParser.parse(bytes)
        } catch {
            fatalError("fixture \(path): \(error)")
        }
    }

    static func text(_ name: String) -> String {
        let path = directory + "/" + name
        guard let bytes = read(path) else { fatalError("missing fixture \(path)") }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[..<n]
        }
        return bytes
    }

    /// What Go produced for a case: its output, or its error's text.
    enum Expected: Equatable, CustomStringConvertible {
        case output(String)
        case error(String)

        init(_ json: JSONValue) {
            let object = json.objectValue!
            if let output = object["output"]?.stringValue { self = .output(output) } else { self = .error(object["error"]!.stringValue!) }
        }

        var description: String {
            switch self {
            case .output(let s): "output \(s.debugDescription)"
            case .error(let s): "error \(s)"
            }
        }
    }
}
