/// One file of the web UI, compiled into the binary (Assets.swift, generated from Sources/).
public struct Asset: Sendable {
    public let name: String
    public let contentType: String
    public let body: StaticString

    /// The file served for a name under `/web/assets/`.
    public static func named(_ name: String) -> Asset? {
        all.first { $0.name == name }
    }

    /// The page served at `/`.
    public static var page: Asset { named("index.html")! }
}
