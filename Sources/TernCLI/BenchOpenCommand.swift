import ArgumentParser
import Foundation
import GGUF
#if canImport(Glibc)
import Glibc
#endif

/// `tern bench-open FILE…`: shows that opening a model costs only its header. For each file it
/// reports the header's share of the file, the time to open (mmap + parse + validate), and how much
/// of the mapping is resident in the process afterwards (`Rss` in /proc/self/smaps): the pages the
/// open actually touched, including the kernel's fault-around.
struct BenchOpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-open",
        abstract: "Benchmark opening GGUF files: time and pages touched, against the file's size.")

    @Argument(help: "GGUF files.")
    var files: [String]

    @Option(name: .shortAndLong, help: "Opens per file; the median time is reported.")
    var repetitions = 20

    func run() throws {
        print("file                                  size      header   header%   open ms (median)  mapped in")
        for path in files {
            let file = try failing { try GGUFFile(path: path) }
            let resident = residentBytes(ofMapping: path)
            let size = file.fileSize, header = file.dataOffset
            var times: [Double] = []
            for _ in 0..<max(1, repetitions) {
                let t0 = now()
                _ = try GGUFFile(path: path)
                times.append(now() - t0)
            }
            times.sort()
            let name = String(path.split(separator: "/").last ?? "")
            print(pad(name, 38) + pad(HumanBytes.format(size), 10) + pad(HumanBytes.format(header), 9)
                  + pad(String(format2(100 * Double(header) / Double(size))) + "%", 10)
                  + pad(format2(times[times.count / 2] * 1000), 18) + HumanBytes.format(resident))
        }
    }

    /// Sum of `Rss` over this process's mappings of `path`.
    private func residentBytes(ofMapping path: String) -> Int {
        // /proc files report size 0, so read the stream to its end rather than by size.
        guard let data = FileHandle(forReadingAtPath: "/proc/self/smaps")?.readDataToEndOfFile() else { return -1 }
        let smaps = String(decoding: data, as: UTF8.self)
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        var inTarget = false, kilobytes = 0
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), fields.count >= 5 {
                inTarget = fields.count >= 6 && fields[5...].joined(separator: " ") == target
            } else if inTarget, fields.first == "Rss:", fields.count >= 2 {
                kilobytes += Int(fields[1]) ?? 0
            }
        }
        return kilobytes * 1024
    }

    private func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(1, width - s.count)) }
    private func format2(_ v: Double) -> String { String((v * 100).rounded() / 100) }
}
