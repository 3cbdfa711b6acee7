import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Logs events to the collector agent beside the application, through its
/// local intake (`POST /api/track/`). A returned call means the event is in
/// the agent's spool.
///
/// ```swift
/// let client = CollectorClient()
/// try await client.log(namespace: "shop", name: "checkout", value: 42)
/// ```
public struct CollectorClient: Sendable {
    public let intake: URL
    let session: URLSession

    /// - Parameter intake: the agent's intake, `http://127.0.0.1:7480` by default.
    public init(intake: URL = URL(string: "http://127.0.0.1:7480")!, timeout: TimeInterval = 5) {
        self.intake = intake
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        session = URLSession(configuration: configuration)
    }

    public func log(namespace: String, name: String, value: Double, at time: Date? = nil) async throws {
        try await send(Entry(namespace: namespace, name: name, value: value, time: time))
    }

    func send(_ entry: Entry) async throws {
        var request = URLRequest(url: intake.appendingPathComponent("api/track/"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try entry.json()
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw CollectorClientError.noResponse }
        guard http.statusCode == 201 else {
            throw CollectorClientError.refused(status: http.statusCode, body: String(decoding: data, as: UTF8.self))
        }
    }

    struct Entry: Sendable {
        var namespace: String
        var name: String
        var value: Double
        var time: Date?

        func json() throws -> Data {
            var object: [String: Any] = ["namespace": namespace, "name": name, "value": value]
            if let time {
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                object["timestamp"] = formatter.string(from: time)
            }
            return try JSONSerialization.data(withJSONObject: object)
        }
    }
}

public enum CollectorClientError: Error, Equatable, CustomStringConvertible {
    case noResponse
    case refused(status: Int, body: String)

    public var description: String {
        switch self {
        case .noResponse: "the agent's intake gave no HTTP response"
        case .refused(let status, let body): "the agent's intake refused the event (\(status)): \(body)"
        }
    }
}
