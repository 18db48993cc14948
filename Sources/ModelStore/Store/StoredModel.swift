import JSON
/// Everything a model's manifest points at, read and decoded: what `/api/show`, the Modelfile
/// renderer and the scheduler need. Text layers are read whole (they are small); the weights are
/// only located.
public struct StoredModel: Sendable {
    /// The manifest and its file facts.
    public var stored: StoredManifest
    /// The decoded config blob.
    public var config: ModelConfig
    /// Absolute path of the GGUF weights blob, nil for a manifest without a model layer.
    public var modelPath: String?
    /// The model layer's `from`: the model this one was derived from (`details.parent_model`).
    public var parentModel: String
    /// Blob paths of the projector, adapter and draft layers.
    public var projectorPaths: [String] = []
    public var adapterPaths: [String] = []
    public var draftPath: String?
    /// The TEMPLATE text verbatim (template layer, or the legacy prompt layer); nil when none.
    public var template: String?
    public var system: String?
    /// The params layer: option name → value as stored (`stop` is an array).
    public var parameters: [String: JSONValue] = [:]
    public var licenses: [String] = []
    public var messages: [ModelMessage] = []

    public var name: ModelName { stored.name }
}

extension ModelStore {
    /// Reads the model `name` names (matched case-insensitively) with all its layers.
    public func model(_ name: ModelName) throws(ModelStoreError) -> StoredModel {
        let stored = try manifest(name)
        let manifest = stored.manifest
        var model = StoredModel(stored: stored, config: try config(of: manifest), parentModel: "")
        for layer in manifest.layers {
            let path = blobs.path(for: layer.digest)
            switch layer.mediaType {
            case MediaType.model:
                model.modelPath = path
                model.parentModel = layer.from ?? ""
            case MediaType.projector: model.projectorPaths.append(path)
            case MediaType.adapter: model.adapterPaths.append(path)
            case MediaType.draft: model.draftPath = path
            case MediaType.template, MediaType.legacyPrompt: model.template = try text(of: layer)
            case MediaType.system: model.system = try text(of: layer)
            case MediaType.license: model.licenses.append(try text(of: layer))
            case MediaType.params:
                // Go decodes each params layer into the same map, so later layers win key by key.
                model.parameters.merge(try parameters(of: layer)) { _, new in new }
            case MediaType.messages:
                let bytes = try blobs.contents(of: layer.digest)
                do throws(JSONError) { model.messages = try ModelMessage.decode(bytes) } catch {
                    throw .corruptLayer(path: path, reason: error.description)
                }
            default: continue
            }
        }
        return model
    }

    /// The config blob of a manifest.
    public func config(of manifest: Manifest) throws(ModelStoreError) -> ModelConfig {
        let bytes = try blobs.contents(of: manifest.config.digest)
        do throws(JSONError) { return try ModelConfig(json: bytes) } catch {
            throw .corruptLayer(path: blobs.path(for: manifest.config.digest), reason: error.description)
        }
    }

    /// A params layer's JSON object.
    func parameters(of layer: Layer) throws(ModelStoreError) -> [String: JSONValue] {
        let bytes = try blobs.contents(of: layer.digest)
        guard let object = (try? JSONParser.parse(bytes))?.objectValue else {
            throw .corruptLayer(path: blobs.path(for: layer.digest), reason: "params are not a JSON object")
        }
        return object.dictionary
    }

    private func text(of layer: Layer) throws(ModelStoreError) -> String {
        String(decoding: try blobs.contents(of: layer.digest), as: UTF8.self)
    }
}
