import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension InstanceCrawler {
    /// Crawls every target with at most `concurrency` requests in flight,
    /// handing each sample over as soon as it is ready.
    public func crawl(_ targets: [CrawlTarget], concurrency: Int,
                      each: @escaping @Sendable (CrawlSample) async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            var pending = targets.makeIterator()
            func startNext() -> Bool {
                guard let target = pending.next() else { return false }
                group.addTask { await each(await self.crawl(instance: target.uuid, baseURL: target.url)) }
                return true
            }
            for _ in 0..<max(1, concurrency) where !startNext() { break }
            while await group.next() != nil {
                if Task.isCancelled { group.cancelAll(); continue }
                _ = startNext()
            }
        }
    }
}
