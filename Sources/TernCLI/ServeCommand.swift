import ArgumentParser
import Foundation
import Server

/// `tern serve`: the Ollama-compatible API in the foreground, configured from the environment.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start the server (Ollama-compatible API and the web chat UI at http://HOST/).",
        discussion: """
        Environment (each TERN_ name falls back to the OLLAMA_ one):
          TERN_HOST               address to listen on (default 127.0.0.1:11434)
          TERN_MODELS             model store (default ~/.tern/models; ~/.ollama/models works in place)
          TERN_ORIGINS            extra CORS origins, comma separated, * wildcards
          TERN_KEEP_ALIVE         how long an idle model stays loaded (default 5m; 0 unloads; negative keeps)
          TERN_MAX_LOADED_MODELS  models loaded at once (default 3)
          TERN_NUM_PARALLEL       requests a model decodes together (default 1)
          TERN_MAX_QUEUE          requests waiting for a model before 503 (default 512)
          TERN_CONTEXT_LENGTH     default num_ctx (default 4096)
          TERN_MEMORY_LIMIT       memory Tern may plan to use in total (e.g. 16GiB; default: what is available)
          TERN_DEBUG              debug logging
          TERN_AUTH               auto (default: the API needs an API key or a session when listening beyond
                                  loopback), on (always), off (never; warns on a network bind). The web UI
                                  always signs people in.
          TERN_DB                 the web UI's database: accounts, API keys, chats (default ~/.tern/tern.db)
          TERN_LIBRARY            registries asked first for names without a host (e.g. http://10.0.0.5:11434)
          TERN_LIBRARY_PUSH       on: other Terns may push models into this store (with an admin's API key
                                  where the API needs credentials)
          TERN_API_KEY            the API key this server presents to the Terns it pulls from and pushes to
          TERN_NOPRUNE            keep unused blobs and stale partial downloads (no clean-up at start)
        """,
        aliases: ["start"])

    func run() async throws {
        try await TernServer.run(config: ServerConfig(environment: ProcessInfo.processInfo.environment))
    }
}
