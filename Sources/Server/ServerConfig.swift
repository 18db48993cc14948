import JSON
import Engine
import Sampling
import Models
import ModelStore
import Logging
import GGUF
import OllamaAPI
import Registry
import WebAuth
#if canImport(Glibc)
import Glibc
#endif

/// `tern serve`'s settings, read from the environment (spec §6.1 with TERN_ names; each Ollama
/// name is honoured when the TERN_ one is unset, so a deployment switches by swapping the binary).
public struct ServerConfig: Sendable {
    public var host = HostAddress()
    public var modelsRoot: String
    /// Extra CORS origins (`*` wildcards allowed), on top of the built-in local ones.
    public var origins: [String] = []
    public var keepAlive = KeepAlive.defaultValue
    /// 0 = automatic (3 on a CPU-only machine, as Ollama).
    public var maxLoadedModels = 3
    public var numParallel = 1
    public var maxQueue = 512
    /// Default `num_ctx` when neither the request nor the Modelfile sets one.
    public var contextLength = 4096
    public var debug = false
    /// `TERN_MEMORY_LIMIT`: memory Tern may plan to use in total; nil = what the machine has.
    public var memoryLimit: Int?
    /// `TERN_LIBRARY`: registries asked before the public one for names without a host.
    public var library = LibraryMirrors()
    /// `TERN_LIBRARY_PUSH=on`: other Terns may push models into this one's store.
    public var libraryPush = false
    /// `TERN_AUTH`: auto (credentials for the API only off loopback), on, or off.
    public var auth = AuthMode.auto
    /// `TERN_DB`: the web UI's SQLite database (accounts, sessions, API keys, chats).
    public var databasePath: String
    /// `TERN_API_KEY`: the API key this server presents to the Terns it pulls from and pushes to.
    public var apiKey: String?
    /// False with `TERN_NOPRUNE`: no garbage collection of `blobs/` at start-up, and the layers a
    /// re-pulled or re-created model no longer uses are kept.
    public var prune = true
    /// Problems found while reading the environment, printed at start.
    public var warnings: [String] = []

    public init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            let raw = environment["TERN_" + name] ?? environment["OLLAMA_" + name]
            guard let raw else { return nil }
            let trimmed = raw.trimming(" \t\"'")
            return trimmed.isEmpty ? nil : trimmed
        }
        let home = environment["HOME"] ?? "/root"
        modelsRoot = value("MODELS").map { $0.hasPrefix("~/") ? home + $0.dropFirst() : $0 } ?? home + "/.tern/models"
        databasePath = environment["TERN_DB"].flatMap { $0.isEmpty ? nil : $0 }.map { $0.hasPrefix("~/") ? home + $0.dropFirst() : $0 }
            ?? home + "/.tern/tern.db"
        if let h = value("HOST") { host = HostAddress(parsing: h) }
        if let o = value("ORIGINS") { origins = o.split(separator: ",").map { String($0).trimming(" ") }.filter { !$0.isEmpty } }
        if let k = value("KEEP_ALIVE") {
            if let parsed = KeepAlive(environment: k) { keepAlive = parsed } else { warnings.append("invalid KEEP_ALIVE \"\(k)\"; using 5m") }
        }
        func integer(_ name: String, _ target: inout Int, minimum: Int) {
            guard let text = value(name) else { return }
            if let v = Int(text), v >= minimum { target = v } else { warnings.append("invalid \(name) \"\(text)\"; using \(target)") }
        }
        integer("MAX_LOADED_MODELS", &maxLoadedModels, minimum: 0)
        if maxLoadedModels == 0 { maxLoadedModels = 3 }
        integer("NUM_PARALLEL", &numParallel, minimum: 1)
        integer("MAX_QUEUE", &maxQueue, minimum: 1)
        integer("CONTEXT_LENGTH", &contextLength, minimum: 0)
        if contextLength == 0 { contextLength = 4096 }
        if let m = environment["TERN_MEMORY_LIMIT"], !m.isEmpty {
            if let bytes = MemoryBudget.parseSize(m) { memoryLimit = bytes } else { warnings.append("invalid TERN_MEMORY_LIMIT \"\(m)\"; not limiting") }
        }
        if let l = environment["TERN_LIBRARY"] {
            library = LibraryMirrors(parsing: l)
            for entry in library.invalid { warnings.append("invalid TERN_LIBRARY entry \"\(entry)\"; expected [http(s)://]host[:port]") }
        }
        if let key = environment["TERN_API_KEY"], !key.isEmpty { apiKey = key }
        libraryPush = ["on", "1", "true"].contains(environment["TERN_LIBRARY_PUSH"]?.lowercased() ?? "")
        if let a = environment["TERN_AUTH"], !a.isEmpty {
            if let mode = AuthMode(rawValue: a.lowercased()) { auth = mode } else { warnings.append("invalid TERN_AUTH \"\(a)\"; expected auto, on or off; using auto") }
        }
        if let warning = AccessPolicy.warning(mode: auth, loopbackBind: host.isLoopback, address: "\(host.host):\(host.port)") {
            warnings.append(warning)
        }
        // Go's ParseBool spellings of false; any other value is true, as Ollama reads its flags.
        func flag(_ name: String) -> Bool? { value(name).map { !["0", "false", "f", "FALSE", "False", "F"].contains($0) } }
        if let d = flag("DEBUG") { debug = d }
        if let noPrune = flag("NOPRUNE") { prune = !noPrune }
    }

    /// The settings as printed at start, one `name=value` per variable.
    public var summary: [(String, String)] {
        [("TERN_HOST", host.description), ("TERN_MODELS", modelsRoot), ("TERN_ORIGINS", origins.joined(separator: ",")),
         ("TERN_KEEP_ALIVE", keepAlive.description), ("TERN_MAX_LOADED_MODELS", String(maxLoadedModels)),
         ("TERN_NUM_PARALLEL", String(numParallel)), ("TERN_MAX_QUEUE", String(maxQueue)),
         ("TERN_CONTEXT_LENGTH", String(contextLength)), ("TERN_MEMORY_LIMIT", memoryLimit.map(String.init) ?? ""),
         ("TERN_DEBUG", debug ? "1" : "0"), ("TERN_LIBRARY", library.description), ("TERN_LIBRARY_PUSH", libraryPush ? "on" : "off"),
         ("TERN_API_KEY", apiKey == nil ? "" : "(set)"),
         ("TERN_NOPRUNE", prune ? "0" : "1"), ("TERN_AUTH", auth.rawValue), ("TERN_DB", databasePath)]
    }
}

extension String {
    func trimming(_ set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
