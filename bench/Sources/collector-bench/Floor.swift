import ArgumentParser
import CollectorModel
import CollectorProto
import CollectorTLS
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Hummingbird

/// The least a collector can be and still hold agents' push streams: the
/// same TLS listener and gRPC server, no interceptors, no token check, no
/// store. Register answers at once, and each batch is acknowledged the
/// moment it is read. Beside it, with `--http-listen`, the same HTTP server
/// the legacy routes run on, answering `POST /api/track/` with a 201 once
/// it has read the body. `bench/floor` runs `load` and wrk against them, so
/// what the collector costs per stream, in latency and per tracked event
/// can be set beside what the stack under it costs on the same host.
struct FloorServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floor-server",
        abstract: "A bare gRPC push server (no auth, no store), to measure the stack's own cost.")

    @Option(help: "Where to listen (HOST:PORT).") var listen: String = "127.0.0.1:0"
    @Option(help: "Directory for the development CA and certificate; ca.pem is what clients trust.") var certificates: String
    @Option(help: "Where to answer POST /api/track/ over plain HTTP (HOST:PORT); off when not given.") var httpListen: String?

    func run() async throws {
        let address = try HostPort(parsing: listen, field: "--listen")
        let development = try DevelopmentCertificates.ensure(in: certificates)
        let tls = try ServerTLSSettings(certificatePath: development.certificatePath, keyPath: development.keyPath).grpcTLSContext()
        let transport = TLSServerTransport(listener: TLSListener(host: address.host, port: address.port, tls: tls),
                                           config: TLSServerTransport.config())
        let server = GRPCServer(transport: transport, services: [AckAtOnce()])
        let http = try httpListen.map { try HostPort(parsing: $0, field: "--http-listen") }.map(Self.trackingFloor)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            if let http { group.addTask { try await http.runService() } }
            let bound = try await server.listeningAddress
            guard let port = bound?.ipv4?.port ?? bound?.ipv6?.port else {
                throw ValidationError("the floor server did not bind")
            }
            // Unbuffered: bench/floor reads it from a file while we run.
            FileHandle.standardOutput.write(Data("listening \(address.host):\(port)\n".utf8))
        }
    }
}

extension FloorServer {
    /// `POST /api/track/`: the body read, a 201 with an echo of the size the
    /// collector sends; no JSON decoded, no token checked, nothing stored.
    static func trackingFloor(_ address: HostPort) -> some ApplicationProtocol {
        let router = Router()
        let echo = ByteBuffer(string: #"{"id":"00000000-0000-4000-8000-000000000000","name":"hit","namespace":"wrk","timestamp":"2026-12-03T20:00:00.000000Z","value":1.0}"#)
        router.post("/api/track/") { request, _ in
            _ = try await request.body.collect(upTo: 64 << 10)
            return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: echo))
        }
        return Application(router: router, configuration: .init(address: .hostname(address.host, port: address.port)))
    }
}

/// Ingest's push and register with nothing behind them.
private struct AckAtOnce: Collector_V1_Ingest.SimpleServiceProtocol {
    func register(request: Collector_V1_RegisterRequest, context: ServerContext) async throws -> Collector_V1_RegisterResponse {
        Collector_V1_RegisterResponse()
    }

    func push(request: RPCAsyncSequence<Collector_V1_Batch, any Error>, response: RPCWriter<Collector_V1_Ack>,
              context: ServerContext) async throws {
        for try await batch in request {
            var ack = Collector_V1_Ack()
            ack.sequence = batch.sequence
            try await response.write(ack)
        }
    }

    func logEvents(request: Collector_V1_LogEventsRequest, context: ServerContext) async throws -> Collector_V1_LogEventsResponse {
        throw RPCError(code: .unimplemented, message: "not in the floor server")
    }

    func updateInstance(request: Collector_V1_UpdateInstanceRequest, context: ServerContext) async throws -> Collector_V1_Instance {
        throw RPCError(code: .unimplemented, message: "not in the floor server")
    }

    func assignedPools(request: Collector_V1_AssignedPoolsRequest, context: ServerContext) async throws -> Collector_V1_AssignedPoolsResponse {
        throw RPCError(code: .unimplemented, message: "not in the floor server")
    }

    func watchAssignedPools(request: Collector_V1_AssignedPoolsRequest, response: RPCWriter<Collector_V1_AssignedPoolsResponse>,
                            context: ServerContext) async throws {
        throw RPCError(code: .unimplemented, message: "not in the floor server")
    }
}
