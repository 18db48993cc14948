#if canImport(Glibc)
import Glibc
#endif
import Client
import OllamaAPI

/// Runs `body` with a client for the server at `TERN_HOST`/`OLLAMA_HOST` once it answers the
/// heartbeat (`HEAD /`), as every Ollama verb but `serve` does first; any failure becomes the
/// one `Error: …` line.
func withServer<T>(_ body: (OllamaClient) async throws -> T) async throws -> T {
    do {
        return try await OllamaClient.with { client in
            try await client.heartbeat()
            return try await body(client)
        }
    } catch let error as ValidationFailure {
        throw error
    } catch let error as any CustomStringConvertible & Error {
        throw ValidationFailure(message: error.description)
    }
}

/// Seconds since the epoch, for relative times.
func nowSeconds() -> Double { Double(Timestamp.nowNanoseconds()) / 1e9 }

/// Whether `path` names an existing regular file: such an argument means the local engine,
/// anything else a model name for the server.
func isLocalFile(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
}
