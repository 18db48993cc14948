#if canImport(Glibc)
import Glibc
#endif
import CKernels
import Synchronization

/// A persistent pool of worker threads for the forward pass. `run` hands the same body to every
/// thread (the caller is thread 0) and returns when all have finished. Workers spin briefly
/// between jobs, since a decode step issues hundreds of small jobs, then park on a condition
/// variable so an idle server costs nothing. Never Swift Concurrency here: its cooperative pool
/// also serves the HTTP server.
public final class ThreadPool: @unchecked Sendable {
    /// Threads taking part in each job, the caller included.
    public let threadCount: Int

    private typealias Job = (_ thread: Int, _ threads: Int) -> Void
    private var job: Job?
    private let generation = Atomic<Int>(0)
    private let unfinished = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var mutex = pthread_mutex_t()
    private var wake = pthread_cond_t()
    private var workers: [pthread_t] = []
    /// Spin iterations before a worker parks (a few tens of microseconds).
    private let spinLimit = 20_000

    /// A pool of `threads` threads in all (at least 1; 1 runs everything on the caller).
    public init(threads: Int) {
        threadCount = max(1, threads)
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wake, nil)
        for index in 1..<threadCount {
            let context = Unmanaged.passRetained(WorkerContext(pool: self, index: index)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.workerLoop(index: context.index)
                return nil
            }, context)
            precondition(status == 0, "pthread_create failed: \(status)")
            workers.append(thread)
        }
    }

    deinit {
        stopping.store(true, ordering: .releasing)
        generation.add(1, ordering: .releasing)
        pthread_mutex_lock(&mutex)
        pthread_cond_broadcast(&wake)
        pthread_mutex_unlock(&mutex)
        for t in workers { pthread_join(t, nil) }
        pthread_cond_destroy(&wake)
        pthread_mutex_destroy(&mutex)
    }

    /// Runs `body(thread, threadCount)` once on every thread and waits for all of them.
    public func run(_ body: (_ thread: Int, _ threads: Int) -> Void) {
        if threadCount == 1 {
            body(0, 1)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            job = escapable
            unfinished.store(threadCount - 1, ordering: .relaxed)
            // Sequentially consistent on both sides (here and in workerLoop) so a worker that is about
            // to park either sees the new generation or is counted in `sleepers` and woken.
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(&mutex)
                pthread_cond_broadcast(&wake)
                pthread_mutex_unlock(&mutex)
            }
            escapable(0, threadCount)
            while unfinished.load(ordering: .acquiring) > 0 { ck_spin_pause() }
            job = nil
        }
    }

    /// Splits `0..<count` into `threadCount` contiguous parts and runs `body` on each in parallel.
    public func parallelFor(_ count: Int, _ body: (Range<Int>) -> Void) {
        run { thread, threads in
            let start = count * thread / threads, end = count * (thread + 1) / threads
            if start < end { body(start..<end) }
        }
    }

    private func workerLoop(index: Int) {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < spinLimit {
                    ck_spin_pause()
                    continue
                }
                pthread_mutex_lock(&mutex)
                sleepers.add(1, ordering: .sequentiallyConsistent)
                while generation.load(ordering: .sequentiallyConsistent) == seen {
                    pthread_cond_wait(&wake, &mutex)
                }
                sleepers.subtract(1, ordering: .relaxed)
                pthread_mutex_unlock(&mutex)
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { return }
            job?(index, threadCount)
            unfinished.subtract(1, ordering: .releasing)
        }
    }

    private final class WorkerContext {
        let pool: ThreadPool
        let index: Int
        init(pool: ThreadPool, index: Int) {
            self.pool = pool
            self.index = index
        }
    }
}
