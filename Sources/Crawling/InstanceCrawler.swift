import AsyncHTTPClient
import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOHTTP1

/// Fetches an instance's endpoints and merges their JSON objects (later
/// endpoints win), as the instance tracker did: the document counts only if
/// every endpoint answered with a JSON object; otherwise the outcome says
/// what went wrong and no document is returned, so the last good one stays.
public final class InstanceCrawler: Sendable {
    public let settings: CrawlSettings
    private let client: HTTPClient

    public init(settings: CrawlSettings) {
        self.settings = settings
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: settings.maxRedirects > 0 ? .follow(max: settings.maxRedirects, allowCycles: false) : .disallow,
            timeout: .init(connect: .nanoseconds(settings.timeout.nanoseconds), read: .nanoseconds(settings.timeout.nanoseconds)))
        // AsyncHTTPClient allows 8 connections per host by default; hosting
        // providers put many instances on one server.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, settings.concurrency))
        // Certificates are verified against the system's roots (the default).
        configuration.decompression = .enabled(limit: .size(settings.maxResponseBytes))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Must be called once the crawler is no longer needed.
    public func shutdown() async {
        try? await client.shutdown()
    }

    public func crawl(instance uuid: UUID, baseURL: String, at time: @Sendable () -> Date = { Date() }) async -> CrawlSample {
        var merged: [String: JSONValue] = [:]
        for endpoint in settings.endpoints {
            switch await fetch(endpoint.url(base: baseURL), headers: endpoint.headers) {
            case .success(let object):
                merged.merge(object) { _, later in later }
            case .failure(let failure):
                return CrawlSample(instanceUUID: uuid, outcome: failure.outcome(at: time(), endpoint: endpoint.path), document: nil)
            }
        }
        return CrawlSample(instanceUUID: uuid, outcome: CrawlOutcome(time: time(), result: CrawlOutcome.Result.ok.rawValue, httpStatus: 200),
                           document: merged)
    }

    private func fetch(_ url: String, headers: [String: String]) async -> Result<[String: JSONValue], CrawlFailure> {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "User-Agent", value: "collector/\(CollectorVersion.string)")
        do {
            let deadline = NIODeadline.now() + .nanoseconds(settings.timeout.nanoseconds)
            let response = try await client.execute(request, deadline: deadline)
            guard (200..<300).contains(response.status.code) else {
                return .failure(.httpStatus(Int(response.status.code)))
            }
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > settings.maxResponseBytes {
                return .failure(.tooLarge(settings.maxResponseBytes))
            }
            let body = try await response.body.collect(upTo: settings.maxResponseBytes)
            do {
                return .success(try JSONValue.parseObject(body.readableBytesView))
            } catch {
                return .failure(.badJSON(error.message))
            }
        } catch {
            return .failure(CrawlFailure(error, limit: settings.maxResponseBytes))
        }
    }
}
