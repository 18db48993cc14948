#if canImport(Glibc)
import Glibc
#endif
import GGUF
import Kernels
import Models
import Tokenizer

/// A model ready to generate: the mapped GGUF file, its architecture, its tokenizer, and the
/// thread pool its forward passes run on.
public final class LoadedModel: @unchecked Sendable {
    public let path: String
    public let file: GGUFFile
    public let model: any LanguageModel
    public let tokenizer: Tokenizer
    public let pool: ThreadPool
    /// Nanoseconds spent opening, validating and building the model.
    public let loadDuration: UInt64

    public init(path: String, threads: Int = 0) throws {
        let start = Clock.now()
        self.path = path
        file = try GGUFFile(path: path)
        model = try Architectures.load(file)
        tokenizer = try Tokenizer(file)
        pool = ThreadPool(threads: threads > 0 ? threads : Self.defaultThreads)
        loadDuration = Clock.now() - start
    }

    /// One thread per online core.
    public static var defaultThreads: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

/// Monotonic nanoseconds.
enum Clock {
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
