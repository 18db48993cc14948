#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to stdout and stderr, so streamed tokens appear as they are made.
enum Terminal {
    static func out(_ s: String) { write(STDOUT_FILENO, s) }
    static func err(_ s: String) { write(STDERR_FILENO, s) }

    private static func write(_ fd: Int32, _ s: String) {
        var s = s
        s.withUTF8 { buffer in
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                done += n
            }
        }
    }
}
