import ModelStore

/// What a pull or push reports as it goes; the server writes each as one `/api/pull` or
/// `/api/push` status line (§1.4.10, §1.4.11).
public enum TransferEvent: Hashable, Sendable {
    /// A step without bytes: `pulling manifest`, `verifying sha256 digest`, `success`…
    case status(String)
    /// Bytes of one layer: `pulling <12 hex>` / `pushing <12 hex>` with digest, total, completed.
    case layer(verb: String, digest: BlobDigest, total: Int, completed: Int)
}
