import Sampling
import ModelStore
import Logging
import GGUF
import Engine
import JSON
import Models
import OllamaAPI

/// Options for one request from three layers, later wins (spec §1.5): server defaults, the
/// model's PARAMETERs, the request's `options`. Unknown names are ignored (as Ollama ignores them);
/// a value of the wrong type is refused with Ollama's text.
struct RequestOptions {
    var run = RunOptions()
    var load: LoadOptions

    init(config: ServerConfig, modelParameters: [String: JSONValue], request: JSONObject) throws(APIError) {
        run.sampling.numCtx = config.contextLength
        for (name, value) in JSONObject(modelParameters) { try Self.apply(name, value, to: &run) }
        // The request's stop list replaces the model's rather than adding to it.
        if request["stop"] != nil { run.sampling.stop = [] }
        for (name, value) in request { try Self.apply(name, value, to: &run) }
        load = LoadOptions(numCtx: run.sampling.numCtx, numBatch: run.numBatch, numThread: run.numThread,
                           kvCacheType: run.kvCacheType.rawValue)
    }

    private static func apply(_ name: String, _ value: JSONValue, to run: inout RunOptions) throws(APIError) {
        guard let kind = RunOptions.kinds[name] else { return }
        if value == .null { return }
        do throws(RunOptionError) {
            switch kind {
            case .integer:
                // Go truncates a float arriving for an integer option.
                guard let d = value.doubleValue, d.isFinite else { throw .wrongType(name, kind) }
                try run.set(name, int: Int(d))
            case .float32:
                guard let d = value.doubleValue, d.isFinite else { throw .wrongType(name, kind) }
                try run.set(name, float: Float(d))
            case .boolean:
                guard value.boolValue != nil else { throw .wrongType(name, kind) }
            case .array, .string:
                switch value {
                case .array(let items):
                    for item in items {
                        guard case .string(let s) = item else { throw .wrongType(name, kind) }
                        run.sampling.stop.append(s)
                    }
                default: throw .wrongType(name, kind)
                }
            }
        } catch {
            throw .badRequest(error.description)
        }
    }
}
