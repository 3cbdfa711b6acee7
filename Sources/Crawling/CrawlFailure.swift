import AsyncHTTPClient
import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOPosix

/// Why an endpoint gave no document, in the terms an operator reads.
enum CrawlFailure: Error, Sendable {
    case httpStatus(Int)
    case timeout
    case badJSON(String)
    case tooLarge(Int)
    case refused(String)
    case other(String)

    init(_ error: any Error, limit: Int) {
        switch error {
        case let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error):
            self = .timeout
        case is NIOTooManyBytesError:
            self = .tooLarge(limit)
        case let error as HTTPClientError where error == .redirectLimitReached || error == .redirectCycleDetected:
            self = .other("too many redirects")
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            self = .refused(error.description)
        case let error as NIOConnectionError:
            self = error.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED })
                ? .refused("connection refused") : .other("\(error)")
        case is CancellationError:
            self = .other("cancelled")
        default:
            let text = String(describing: error)
            let lowercased = text.lowercased()
            if lowercased.contains("refused") {
                self = .refused(text)
            } else if lowercased.contains("timeout") || lowercased.contains("timed out") {
                self = .timeout
            } else {
                self = .other(text)
            }
        }
    }

    func outcome(at time: Date, endpoint: String) -> CrawlOutcome {
        typealias Result = CrawlOutcome.Result
        switch self {
        case .httpStatus(let status):
            return CrawlOutcome(time: time, result: Result.httpStatus.rawValue, httpStatus: status, detail: "\(endpoint): HTTP \(status)")
        case .timeout:
            return CrawlOutcome(time: time, result: Result.timeout.rawValue, detail: "\(endpoint): no answer in time")
        case .badJSON(let reason):
            return CrawlOutcome(time: time, result: Result.badJSON.rawValue, httpStatus: 200, detail: "\(endpoint): \(reason)")
        case .tooLarge(let limit):
            return CrawlOutcome(time: time, result: Result.tooLarge.rawValue, httpStatus: 200, detail: "\(endpoint): answer over \(limit) bytes")
        case .refused(let reason):
            return CrawlOutcome(time: time, result: Result.refused.rawValue, detail: "\(endpoint): \(reason)")
        case .other(let reason):
            return CrawlOutcome(time: time, result: Result.error.rawValue, detail: "\(endpoint): \(reason)")
        }
    }
}
