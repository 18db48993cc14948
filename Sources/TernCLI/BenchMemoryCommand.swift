#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Kernels

/// `tern bench-memory`: the machine's DRAM read bandwidth, the ceiling for decode speed (every
/// generated token reads every active weight once). It streams a buffer far larger than the caches
/// with the engine's own thread pool and reports the best of several passes.
struct BenchMemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-memory",
        abstract: "Measure DRAM read bandwidth with the engine's thread pool.")

    @Option(name: .shortAndLong, help: "Threads.")
    var threads = 2

    @Option(help: "Buffer size in MiB (well above the last-level cache).")
    var mebibytes = 1024

    @Option(name: .shortAndLong, help: "Passes over the buffer; the fastest is reported.")
    var repetitions = 5

    func run() throws {
        let bytes = mebibytes << 20
        let floats = bytes / 4
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: floats)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 1, count: floats)
        let pool = ThreadPool(threads: threads)
        var best = Double.infinity
        var sink: Float = 0
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: threads)
        defer { partials.deallocate() }
        for _ in 0..<repetitions {
            let t0 = now()
            pool.run { thread, count in
                let start = floats / 64 * thread / count * 64, end = floats / 64 * (thread + 1) / count * 64
                var a = SIMD16<Float>(), b = SIMD16<Float>(), c = SIMD16<Float>(), d = SIMD16<Float>()
                var p = UnsafeRawPointer(buffer + start)
                let stop = UnsafeRawPointer(buffer + end)
                while p < stop {
                    a += p.loadUnaligned(as: SIMD16<Float>.self)
                    b += p.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                    c += p.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
                    d += p.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
                    p += 256
                }
                partials[thread] = (a + b + c + d).sum()
            }
            best = min(best, now() - t0)
            for i in 0..<threads { sink += partials[i] }
        }
        let gbps = Double(bytes) / best / 1e9
        print("DRAM read bandwidth: \(String((gbps * 100).rounded() / 100)) GB/s (\(threads) threads, \(mebibytes) MiB, best of \(repetitions))")
        if sink == -1 { print("") }  // keeps the reads from being optimized away
    }

    private func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
