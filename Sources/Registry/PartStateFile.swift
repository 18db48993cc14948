import JSON
import ModelStore

/// Reading and writing part state files (`sha256-<hex>-partial-<N>`) in Ollama's field names.
enum PartStateFile {
    static func encode(_ part: PartState) -> [UInt8] {
        JSONValue.object(["N": .int(part.index), "Offset": .int(part.offset), "Size": .int(part.size),
                          "Completed": .int(part.completed)]).serialized()
    }

    /// The state in `bytes`; nil when they are not a part state (the part is then planned anew).
    static func decode(_ bytes: [UInt8]) -> PartState? {
        guard let o = (try? JSONParser.parse(bytes))?.objectValue,
              let index = o["N"]?.intValue, let offset = o["Offset"]?.intValue,
              let size = o["Size"]?.intValue, let completed = o["Completed"]?.intValue
        else { return nil }
        return PartState(index: index, offset: offset, size: size, completed: completed)
    }
}
