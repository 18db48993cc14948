import JSON
import Synchronization

extension ModelStore {
    /// Builds the model `name` from `recipe` the way Ollama's create does, and writes its
    /// manifest. Layers: the base's (each marked `from` the base model) or the GGUF blob, then
    /// template, system, licenses, params and messages as the recipe changes them; the config
    /// blob is derived from the GGUF header. `progress` receives Ollama's status lines
    /// (`parsing GGUF`, `using existing layer sha256:…`, `creating new layer sha256:…`,
    /// `writing manifest`). When `name` already existed, blobs only its old manifest used are
    /// removed afterwards unless `prune` is false (`OLLAMA_NOPRUNE`). No template is detected
    /// from the GGUF (§4.3): a TEMPLATE is stored only when the recipe has one.
    @discardableResult
    public func create(_ name: ModelName, from recipe: ModelRecipe, prune: Bool = true,
                       progress: (String) -> Void = { _ in }) throws(ModelStoreError) -> StoredManifest {
        var config = ModelConfig()
        config.renderer = recipe.renderer ?? ""
        config.parser = recipe.parser ?? ""
        config.requires = recipe.requires ?? ""
        var layers = LayerList()
        switch recipe.base {
        case .gguf(let digest):
            progress("parsing GGUF")
            guard let size = blobs.size(of: digest) else { throw .blobNotFound(digest) }
            layers.reuse(Layer(mediaType: MediaType.model, digest: digest, size: size))
        case .model(let baseName):
            let base = try manifest(baseName)
            let from = base.name.displayShortest
            for layer in base.manifest.layers {
                layers.reuse(Layer(mediaType: layer.mediaType, digest: layer.digest, size: layer.size, from: from, name: layer.name))
            }
            let baseConfig = try self.config(of: base.manifest)
            if config.renderer.isEmpty { config.renderer = baseConfig.renderer }
            if config.parser.isEmpty { config.parser = baseConfig.parser }
            if config.requires.isEmpty { config.requires = baseConfig.requires }
            config.capabilities = baseConfig.capabilities
        }

        if let template = recipe.template, !template.isEmpty {
            layers.remove(MediaType.template)
            try layers.add(MediaType.template, Array(template.utf8), to: blobs)
        }
        if let system = recipe.system, !system.isEmpty {
            layers.remove(MediaType.system)
            try layers.add(MediaType.system, Array(system.utf8), to: blobs)
        }
        for license in recipe.licenses { try layers.add(MediaType.license, Array(license.utf8), to: blobs) }
        var parameters = recipe.parameters
        for layer in layers.layers where layer.mediaType == MediaType.params {
            parameters.merge(try self.parameters(of: layer)) { requested, _ in requested }
        }
        if !parameters.isEmpty {
            layers.remove(MediaType.params)
            try layers.add(MediaType.params, GoJSONEncoder.encode(.object(JSONObject(parameters))), to: blobs)
        }
        if !recipe.messages.isEmpty {
            layers.remove(MediaType.messages)
            try layers.add(MediaType.messages, ModelMessage.jsonBytes(recipe.messages), to: blobs)
        }

        guard let modelLayer = layers.layers.last(where: { $0.mediaType == MediaType.model }) else {
            throw .noModelLayer(name.displayShortest)
        }
        let facts = try ModelFacts(ggufAt: blobs.path(for: modelLayer.digest))
        config.modelFormat = "gguf"
        config.modelFamily = facts.architecture
        config.modelFamilies = [facts.architecture]
        config.modelType = facts.parameterSize
        config.fileType = facts.fileType
        let configBlob = try blobs.write(config.jsonBytes())
        let created = Manifest(config: Layer(mediaType: MediaType.config, digest: configBlob.digest, size: configBlob.size),
                               layers: layers.layers)

        layers.statuses.forEach(progress)
        progress("writing manifest")
        return try lock.withLock { (_) throws(ModelStoreError) -> StoredManifest in
            let previous = try? manifest(name)
            let stored = try writeManifestLocked(created.jsonBytes(), for: name)
            if prune, let previous { _ = try removeUnreferenced(previous.manifest.referencedDigests) }
            return stored
        }
    }
}

/// The layers of a model being created, each with the status line Ollama reports for it.
private struct LayerList {
    private var entries: [(layer: Layer, status: String)] = []

    var layers: [Layer] { entries.map(\.layer) }
    var statuses: [String] { entries.map(\.status) }

    /// A layer taken over as it is.
    mutating func reuse(_ layer: Layer) { entries.append((layer, "using existing layer \(layer.digest)")) }

    /// Stores `bytes` as a blob and appends it as a layer of `mediaType`.
    mutating func add(_ mediaType: String, _ bytes: [UInt8], to blobs: BlobStore) throws(ModelStoreError) {
        let written = try blobs.write(bytes)
        let layer = Layer(mediaType: mediaType, digest: written.digest, size: written.size)
        entries.append((layer, "\(written.created ? "creating new" : "using existing") layer \(written.digest)"))
    }

    mutating func remove(_ mediaType: String) { entries.removeAll { $0.layer.mediaType == mediaType } }
}
