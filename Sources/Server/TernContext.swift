import OllamaAPI
import JSON
import Engine
import Sampling
import Models
import ModelStore
import Logging
import GGUF
import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage plus the connection, so a handler can
/// notice a client that hangs up while its request waits or generates.
struct TernContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Sets `flag` when the client's connection closes.
    func cancelOnDisconnect(_ flag: CancelFlag) {
        channel.closeFuture.whenComplete { _ in flag.cancel() }
    }
}
