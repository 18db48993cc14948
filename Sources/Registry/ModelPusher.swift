import AsyncHTTPClient
import ModelStore

/// `/api/push` (§5.8): every blob the target lacks is uploaded in parts (POST for an upload URL,
/// PATCH per part, PUT with the digest to finish), blobs it has are skipped, and the manifest
/// goes last so the model appears there only once all its blobs have arrived.
public struct ModelPusher: Sendable {
    public let store: ModelStore
    public let client: RegistryClient
    public var plan = PartPlan.ollama

    public init(store: ModelStore, client: RegistryClient) {
        self.store = store
        self.client = client
    }

    /// Pushes the local model `text` to the registry its name names.
    public func push(_ text: String, insecure: Bool, report: @escaping @Sendable (TransferEvent) async -> Void) async throws(RegistryError) {
        guard let name = try? ModelName(parsing: text) else { throw .invalidName(text) }
        let endpoint = try RegistryEndpoint(name, insecure: insecure)
        await report(.status("retrieving manifest"))
        let (stored, bytes): (StoredManifest, [UInt8])
        do throws(ModelStoreError) { (stored, bytes) = try store.manifestBytes(name) } catch { throw .store(error) }
        // The blobs must stay while they are read, even if the model is removed meanwhile.
        try await store.withPinnedBlobs(stored.manifest.referencedDigests) { () async throws(RegistryError) in
            for layer in stored.manifest.layers + [stored.manifest.config] {
                try await upload(layer, to: endpoint, report: report)
            }
        }
        await report(.status("pushing manifest"))
        try await client.putManifest(bytes, at: endpoint)
        await report(.status("success"))
    }

    private func upload(_ layer: Layer, to endpoint: RegistryEndpoint,
                        report: @escaping @Sendable (TransferEvent) async -> Void) async throws(RegistryError) {
        let event = { @Sendable (sent: Int) in
            TransferEvent.layer(verb: "pushing", digest: layer.digest, total: layer.size, completed: sent)
        }
        if try await client.hasBlob(layer.digest, at: endpoint) {
            await report(event(layer.size))
            return
        }
        guard store.blobs.exists(layer.digest) else { throw .store(.blobNotFound(layer.digest)) }
        let path = store.blobs.path(for: layer.digest)
        let sent = ByteCounter()
        await report(event(0))
        let ticker = Task {
            while true {
                try? await Task.sleep(for: .milliseconds(60))
                if Task.isCancelled { return }
                await report(event(sent.value))
            }
        }
        do throws(RegistryError) {
            var url = try await client.startUpload(at: endpoint)
            // Parts go in order: each answer names the URL for the next one.
            for part in plan.parts(total: layer.size) {
                let range = part.offset...part.lastByte
                url = try await client.uploadPart(to: url, endpoint: endpoint, range: range,
                                                  body: .stream(FileRangeBody(path: path, range: range, sent: sent), length: .known(Int64(part.size))))
            }
            try await client.finishUpload(to: url, digest: layer.digest)
        } catch {
            ticker.cancel()
            await ticker.value
            throw error
        }
        // The ticker is gone before the final line, so no stale progress follows it.
        ticker.cancel()
        await ticker.value
        await report(event(layer.size))
    }
}
