import Foundation
import Synchronization

/// A task executor with a thread of its own. The cooperative pool has a
/// thread a core, and under load every one of them is busy decoding and
/// checking batches; a task that only waits for the disk and then answers
/// (the group committer) would otherwise wait for a thread after every
/// wait, and every agent waits with it.
public final class DedicatedThreadExecutor: TaskExecutor, Sendable {
    private let jobs = Mutex<[UnownedJob]>([])
    private let wakeUp = NSCondition()

    public init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        wakeUp.lock()
        wakeUp.signal()
        wakeUp.unlock()
    }

    private func run() {
        while true {
            let ready = jobs.withLock { jobs in
                defer { jobs.removeAll(keepingCapacity: true) }
                return jobs
            }
            if ready.isEmpty {
                wakeUp.lock()
                if jobs.withLock({ $0.isEmpty }) { wakeUp.wait() }
                wakeUp.unlock()
                continue
            }
            for job in ready { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
