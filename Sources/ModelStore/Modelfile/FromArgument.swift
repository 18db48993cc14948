#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a FROM line refers to (§4.2): a local file or directory when the argument names one
/// that exists, otherwise a model name.
public enum FromArgument: Equatable, Sendable {
    /// An existing path (absolute, from `~`/`~user`, or relative to the Modelfile's directory).
    case path(String)
    /// A model name, to be found in the store (or pulled).
    case model(ModelName)

    /// Resolves `argument` as `ollama create` does: the path is expanded and used if it exists;
    /// otherwise the text must be a valid model name.
    public static func resolve(_ argument: String, relativeTo modelfileDirectory: String) throws(ModelNameError) -> FromArgument {
        if let path = expand(argument, relativeTo: modelfileDirectory), FileSystem.status(path) != nil {
            return .path(path)
        }
        return .model(try ModelName(parsing: argument))
    }

    /// The blob a path refers to when it is a blob file of `store` (`show --modelfile` prints
    /// FROM lines like `/root/.ollama/models/blobs/sha256-…`), so creating from it needs no copy.
    public static func blob(at path: String, in store: ModelStore) -> BlobDigest? {
        guard FileSystem.directoryName(path) == store.blobs.directory,
              let digest = BlobDigest(FileSystem.baseName(path)), digest.fileName == FileSystem.baseName(path),
              store.blobs.exists(digest)
        else { return nil }
        return digest
    }

    /// Absolute form of a path argument; nil when `~user` names no user.
    static func expand(_ argument: String, relativeTo directory: String) -> String? {
        var path: String
        if argument.hasPrefix("/") {
            path = argument
        } else if argument == "~" || argument.hasPrefix("~/") {
            path = homeDirectory(of: nil).map { $0 + argument.dropFirst() } ?? argument
        } else if argument.hasPrefix("~") {
            let rest = argument.dropFirst()
            let user = rest.prefix { $0 != "/" }
            guard let home = homeDirectory(of: String(user)) else { return nil }
            path = home + rest.dropFirst(user.count)
        } else {
            path = directory + "/" + argument
        }
        return clean(path)
    }

    /// Lexical cleanup as Go's filepath.Clean: no empty, "." or resolved ".." segments.
    static func clean(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { if !parts.isEmpty { parts.removeLast() } } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    private static func homeDirectory(of user: String?) -> String? {
        if user == nil, let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty { return home }
        let entry = user.map { getpwnam($0) } ?? getpwuid(getuid())
        guard let entry, let dir = entry.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }
}
