import CollectorModel
import CollectorStore
import Foundation
import Hummingbird
import LegacyHTTP
import Logging
import ServiceSupport

/// The instance tracker's registration API (seeds 000/001) under `/api`,
/// with `/instance/...` as an alias: no token, rate-limited per source
/// address, answers readable cross-origin (the client checks from a browser).
struct InstanceRoutes: Sendable {
    static let maxBodyBytes = 64 << 10

    let store: any Store
    let limiter: RateLimiter
    let logger: Logger

    func register(on router: Router<CollectorRequestContext>) {
        for prefix in ["/api/instance", "/instance"] {
            router.post(RouterPath(prefix)) { request, context in
                try await limited(context) { try await create(request) }
            }
            router.patch(RouterPath(prefix + "/:uuid")) { request, context in
                try await limited(context) { try await patch(request, uuid: context.parameters.get("uuid") ?? "") }
            }
            router.get(RouterPath(prefix + "/:uuid")) { _, context in
                try await limited(context) { try await read(uuid: context.parameters.get("uuid") ?? "") }
            }
        }
    }

    private func limited(_ context: CollectorRequestContext, _ body: () async throws -> Response) async throws -> Response {
        let source = context.remoteAddress?.ipAddress ?? "unknown"
        if let wait = limiter.admit(source) {
            var response = Self.json(.tooManyRequests, JSONText.object([("error", JSONText.string("Too many requests"))]))
            response.headers[.retryAfter] = String(Int(wait.seconds.rounded(.up)))
            return response
        }
        return try await body()
    }

    func create(_ request: Request) async throws -> Response {
        let body: [UInt8]
        do {
            body = try await collectBody(of: request)
        } catch let failure as Refusal {
            return failure.response
        }
        let info: InstanceInfo
        do {
            info = try LegacyInstanceBody.registration(body)
        } catch {
            return Self.json(.badRequest, error.body)
        }
        let instance = try await store.registerInstance(info, country: CountryLocator.unknown, at: Date())
        logger.info("instance registered", metadata: ["uuid": "\(instance.uuid.uuidString.lowercased())", "url": "\(info.url)"])
        return Self.json(.ok, LegacyInstanceBody.created(instance.uuid))
    }

    func patch(_ request: Request, uuid text: String) async throws -> Response {
        guard let uuid = UUID(uuidString: text) else { return Self.notFound }
        let body: [UInt8]
        do {
            body = try await collectBody(of: request)
        } catch let failure as Refusal {
            return failure.response
        }
        let patch: InstancePatch
        do {
            patch = try LegacyInstanceBody.patch(body)
        } catch {
            return Self.json(.badRequest, error.body)
        }
        do {
            guard let instance = try await store.patchInstance(uuid: uuid, patch, at: Date()) else { return Self.notFound }
            return Self.json(.ok, LegacyInstanceBody.summary(instance))
        } catch let error as ValidationError {
            return Self.json(.badRequest, LegacyInstanceBody.Failure.invalidValue(error.field).body)
        }
    }

    func read(uuid text: String) async throws -> Response {
        guard let uuid = UUID(uuidString: text), let instance = try await store.instance(uuid: uuid) else { return Self.notFound }
        return Self.json(.ok, LegacyInstanceBody.summary(instance))
    }

    private struct Refusal: Error {
        var response: Response
    }

    private func collectBody(of request: Request) async throws -> [UInt8] {
        var request = request
        do {
            return Array(buffer: try await request.collectBody(upTo: Self.maxBodyBytes))
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Refusal(response: Self.json(.contentTooLarge, JSONText.object([("error", JSONText.string("Body too large"))])))
        }
    }

    static var notFound: Response { json(.notFound, "{}") }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        .json(status, body, headers: [.accessControlAllowOrigin: "*"])
    }
}
