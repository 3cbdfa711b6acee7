import CollectorModel
import CollectorStore
import Crawling
import Foundation
import Logging
import Synchronization

/// The collector's side of crawling: instances that registered over HTTP
/// and have no agent are crawled here, on schedule and on demand; every
/// instance's country is looked up here.
public final class InstanceCrawling: Sendable {
    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var target: CrawlTarget
        public var sample: CrawlSample
    }

    let store: any Store
    /// Outcomes are stored through the group committer, with every other write.
    let committer: GroupCommitter
    let crawlers: CrawlerPool
    let locator: CountryLocator
    let live: LiveConfig
    /// The crawl settings as last (re)loaded.
    var settings: CollectorConfig.CrawlSection { live.value.crawl }
    let metrics: CollectorMetrics
    let logger: Logger
    /// Settings that name a field no document has: reported once each.
    private let reportedAbsentFields = Mutex<Set<String>>([])

    init(store: any Store, committer: GroupCommitter, live: LiveConfig, locator: CountryLocator,
         metrics: CollectorMetrics = CollectorMetrics(), logger: Logger) {
        self.store = store
        self.committer = committer
        self.metrics = metrics
        self.live = live
        self.locator = locator
        self.logger = logger
        crawlers = CrawlerPool()
    }

    public func shutdown() async {
        await crawlers.shutdown()
    }

    /// Crawls one instance (whatever its state) or every enabled agentless
    /// one that is due (`dueOnly`) or all of them; outcomes are stored in
    /// small groups as they arrive.
    public func crawl(uuid: UUID?, dueOnly: Bool,
                      progress: @escaping @Sendable (Progress) async -> Void = { _ in }) async throws -> Int {
        // One crawl runs with one set of settings, even if a reload lands
        // while it runs.
        let settings = self.settings
        let before = dueOnly ? Date().addingTimeInterval(-settings.interval.duration.seconds) : nil
        let targets = try await store.crawlTargets(uuid: uuid, lastCrawledBefore: before)
        guard !targets.isEmpty else { return 0 }
        let byUUID = Dictionary(targets.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
        let committer = committer
        let recorder = CrawlRecorder(logger: logger) { samples in _ = try await committer.commit([.crawls(samples)]) }
        let done = Mutex(0)
        let started = ContinuousClock.now
        let crawler = crawlers.checkOut(settings.settings)
        await crawler.crawl(targets, concurrency: settings.concurrency) { sample in
            await recorder.add(sample)
            self.metrics.crawled(sample.outcome.result)
            let count = done.withLock { $0 += 1; return $0 }
            if let target = byUUID[sample.instanceUUID] {
                await progress(Progress(done: count, total: targets.count, target: target, sample: sample))
            }
        }
        await crawlers.checkIn(crawler)
        try await recorder.finish()
        // The server may have moved since: crawling looks the country up too.
        try await locate(targets)
        let succeeded = await recorder.succeeded
        logger.info("crawl finished", metadata: ["instances": "\(targets.count)", "ok": "\(succeeded)",
                                                 "seconds": "\((ContinuousClock.now - started).seconds)"])
        await reportAbsentFields()
        return targets.count
    }

    /// Looks up the country of every instance never located, or not
    /// since the crawl interval.
    public func locateCountries() async throws {
        try await locate(try await store.countryTargets(checkedBefore: Date().addingTimeInterval(-settings.interval.duration.seconds)))
    }

    private func locate(_ targets: [CrawlTarget]) async throws {
        guard !targets.isEmpty else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = targets.makeIterator()
            func startNext() -> Bool {
                guard let target = pending.next() else { return false }
                group.addTask {
                    let country = await self.locator.country(ofURL: target.url)
                    try await self.store.setInstanceCountry(uuid: target.uuid, country: country, at: Date())
                }
                return true
            }
            for _ in 0..<settings.concurrency where !startNext() { break }
            while try await group.next() != nil { _ = startNext() }
        }
    }

    private func reportAbsentFields() async {
        guard let inputs = try? await store.statisticsInputs() else { return }
        var seen = Set<String>()
        for input in inputs { seen.formUnion(input.document?.keys ?? [:].keys) }
        let absent = Set(settings.fields.fields.keys).subtracting(seen)
        let fresh = reportedAbsentFields.withLock { reported in
            let fresh = absent.subtracting(reported)
            reported.formUnion(fresh)
            return fresh
        }
        for field in fresh.sorted() {
            logger.warning("crawl.fields names a field no crawled document has", metadata: ["field": "\(field)"])
        }
    }
}

/// Collects crawl samples and stores them in groups: one transaction per
/// sample would make a large crawl wait on the disk.
actor CrawlRecorder {
    let record: @Sendable ([CrawlSample]) async throws -> Void
    let logger: Logger
    private var buffer: [CrawlSample] = []
    private var writing = false
    private(set) var succeeded = 0
    private var failure: (any Error)?

    init(logger: Logger, record: @escaping @Sendable ([CrawlSample]) async throws -> Void) {
        self.record = record
        self.logger = logger
    }

    func add(_ sample: CrawlSample) async {
        buffer.append(sample)
        if sample.outcome.succeeded { succeeded += 1 }
        if buffer.count >= 64 && !writing { await drain() }
    }

    func finish() async throws {
        await drain()
        if let failure { throw failure }
    }

    private func drain() async {
        guard !writing else { return }
        writing = true
        defer { writing = false }
        while !buffer.isEmpty {
            let group = buffer
            buffer = []
            do {
                try await record(group)
            } catch {
                logger.error("could not store crawl outcomes", metadata: ["instances": "\(group.count)", "error": "\(error)"])
                failure = error
            }
        }
    }
}

/// The HTTP clients crawls use. A reload that changes the crawl settings
/// needs a new client (timeouts, redirects and limits are fixed when one is
/// made); the old one is shut down once the crawls using it finish.
final class CrawlerPool: Sendable {
    private struct State {
        var current: InstanceCrawler?
        var users: [ObjectIdentifier: Int] = [:]
        var retired: [InstanceCrawler] = []
    }

    private let state = Mutex(State())

    func checkOut(_ settings: CrawlSettings) -> InstanceCrawler {
        state.withLock { state in
            let crawler: InstanceCrawler
            if let current = state.current, current.settings == settings {
                crawler = current
            } else {
                if let current = state.current { state.retired.append(current) }
                crawler = InstanceCrawler(settings: settings)
                state.current = crawler
            }
            state.users[ObjectIdentifier(crawler), default: 0] += 1
            return crawler
        }
    }

    func checkIn(_ crawler: InstanceCrawler) async {
        let idle = state.withLock { state -> [InstanceCrawler] in
            state.users[ObjectIdentifier(crawler), default: 1] -= 1
            let idle = state.retired.filter { state.users[ObjectIdentifier($0), default: 0] == 0 }
            state.retired.removeAll { state.users[ObjectIdentifier($0), default: 0] == 0 }
            return idle
        }
        for crawler in idle { await crawler.shutdown() }
    }

    func shutdown() async {
        let all = state.withLock { state -> [InstanceCrawler] in
            defer { state = State() }
            return state.retired + (state.current.map { [$0] } ?? [])
        }
        for crawler in all { await crawler.shutdown() }
    }
}
