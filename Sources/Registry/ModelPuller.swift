import ModelStore

/// `/api/pull` (§5.6): the manifest from the first registry that has it, every blob not yet in
/// the store downloaded and verified, then the manifest written last, byte for byte, so the
/// model appears only once all its blobs are there.
public struct ModelPuller: Sendable {
    public let store: ModelStore
    public let client: RegistryClient
    public let downloads: DownloadCoordinator
    public var downloader = BlobDownloader()
    public var mirrors: LibraryMirrors
    /// Whether a re-pulled tag's old layers that no model uses any more are deleted (false with
    /// `TERN_NOPRUNE`, §5.6 step 5).
    public var removesUnusedLayers = true

    public init(store: ModelStore, client: RegistryClient, downloads: DownloadCoordinator, mirrors: LibraryMirrors) {
        self.store = store
        self.client = client
        self.downloads = downloads
        self.mirrors = mirrors
    }

    /// Pulls `text` (`[host/][namespace/]model[:tag]`), reporting each step to `report`.
    public func pull(_ text: String, insecure: Bool, report: @escaping @Sendable (TransferEvent) async -> Void) async throws(RegistryError) {
        guard let name = try? ModelName(parsing: text) else { throw .invalidName(text) }
        await report(.status("pulling manifest"))
        let (endpoint, bytes) = try await fetchManifest(text, name: name, insecure: insecure)
        let manifest: Manifest
        do throws(ManifestError) { manifest = try Manifest(json: bytes) } catch { throw .badResponse(url: endpoint.manifestURL, reason: error.description) }
        let previous = try? store.manifest(name).manifest.referencedDigests
        let storage = BlobDownloadStorage(blobs: store.blobs)
        try await store.withPinnedBlobs(manifest.referencedDigests) { () async throws(RegistryError) in
            for layer in manifest.layers + [manifest.config] {
                try await fetch(layer, from: endpoint, into: storage, report: report)
            }
            await report(.status("verifying sha256 digest"))
            await report(.status("writing manifest"))
            do throws(ModelStoreError) { try store.writeManifest(bytes: bytes, for: name) } catch { throw .store(error) }
        }
        if removesUnusedLayers, let unused = previous?.subtracting(manifest.referencedDigests), !unused.isEmpty {
            await report(.status("removing unused layers"))
            do throws(ModelStoreError) { try store.removeUnreferencedBlobs(unused) } catch { throw .store(error) }
        }
        await report(.status("success"))
    }

    /// The manifest from the first endpoint that has it (mirrors first for unqualified names).
    /// A mirror that is down or lacks the model passes to the next.
    private func fetchManifest(_ text: String, name: ModelName, insecure: Bool) async throws(RegistryError) -> (RegistryEndpoint, [UInt8]) {
        var failure: RegistryError?
        for endpoint in try mirrors.endpoints(for: text, name: name, insecure: insecure) {
            do throws(RegistryError) {
                return (endpoint, try await client.manifest(endpoint))
            } catch {
                // "file does not exist" from one registry says more than "unreachable" from another.
                if case .transport = error, failure != nil { continue }
                failure = error
            }
        }
        throw failure ?? .manifestNotFound(text)
    }

    /// One blob: reported complete when the store has it, else downloaded (or joined).
    private func fetch(_ layer: Layer, from endpoint: RegistryEndpoint, into storage: BlobDownloadStorage,
                       report: @escaping @Sendable (TransferEvent) async -> Void) async throws(RegistryError) {
        let event = { @Sendable (completed: Int) in
            TransferEvent.layer(verb: "pulling", digest: layer.digest, total: layer.size, completed: completed)
        }
        if store.blobs.exists(layer.digest) {
            await report(event(layer.size))
            return
        }
        let source = RegistryBlobSource(client: client, url: endpoint.blobURL(layer.digest))
        let downloader = self.downloader
        do {
            try await downloads.download(layer.digest, start: { progress in
                try await downloader.download(layer.digest, total: layer.size, from: source, into: storage, completed: progress)
            }, progress: { completed in await report(event(completed)) })
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .transport(url: endpoint.blobURL(layer.digest), reason: error is CancellationError ? "cancelled" : "\(error)")
        }
    }
}
