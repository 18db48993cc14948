/// Why a request to the server failed, worded as the one line the CLI prints after `Error: `.
public enum ClientError: Error, Equatable, CustomStringConvertible {
    /// Nothing listens at the address (connection refused).
    case cannotConnect
    /// The server answered with an error status, or wrote an `{"error": …}` line mid-stream.
    case server(status: Int, message: String)
    /// The server's answer is not what the API promises.
    case malformedResponse(String)
    /// The connection failed in some other way.
    case transport(String)
    /// A local file to upload could not be read.
    case file(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotConnect: "could not connect to tern server, run 'tern serve' to start it"
        case .server(_, let message):
            message.isEmpty ? "something went wrong, please see the tern server logs for details" : message
        case .malformedResponse(let what): "unexpected response from the server: \(what)"
        case .transport(let what): what
        case .file(let path, let reason): "\(path): \(reason)"
        }
    }

    /// The HTTP status of a server error, nil for other failures.
    public var status: Int? {
        if case .server(let status, _) = self { status } else { nil }
    }
}
