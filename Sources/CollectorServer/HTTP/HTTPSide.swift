import CollectorConsole
import CollectorModel
import CollectorStore
import Foundation
import Hummingbird
import LegacyHTTP
import Logging
import ServiceSupport

/// The collector's HTTP port: health and readiness, the legacy JSON bridge,
/// metrics and the web console, on one router.
enum HTTPSide {
    static func router(store: any Store, committer: GroupCommitter, authenticator: Authenticator, rules: LegacyEventBody.Rules, ready: ReadinessFlag,
                       instanceLimiter: RateLimiter, pools: CollectorConfig.PoolsSection, metrics: CollectorMetrics,
                       console: Console, logger: Logger) -> Router<CollectorRequestContext> {
        let router = Router(context: CollectorRequestContext.self)
        router.add(middleware: LegacyErrorMiddleware())
        let auth = HTTPAuthentication(authenticator: authenticator)
        EventIntakeRoutes(sink: CommittedEventSink(committer: committer), authorizer: auth, rules: { rules }).register(on: router)
        EventServiceRoutes(store: store, auth: auth).register(on: router)
        TrackingRoutes(store: store, auth: auth).register(on: router)
        InfluxRoutes(store: store, committer: committer, auth: InfluxAuthentication(authenticator: authenticator), rules: rules)
            .register(on: router)
        InstanceRoutes(store: store, limiter: instanceLimiter, logger: logger).register(on: router)
        PingerRoutes(store: store, auth: auth, reporting: PoolReporting(store: store, zone: pools.zone),
                     anonymousRead: pools.anonymousRead).register(on: router)
        console.register(on: router)
        router.get("/metrics") { _, _ in
            let text = await metrics.text()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/readyz") { _, _ in
            let listening = ready.isSet
            let writable = await store.isWritable()
            let ok = listening && writable
            let text = "listening: \(listening)\nstore writable: \(writable)\n"
            return Response(status: ok ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return router
    }
}
