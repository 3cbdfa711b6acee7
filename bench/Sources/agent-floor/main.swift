// What no agent can drop: a gRPC client over TLS (grpc-swift-nio-transport's
// Posix transport), the generated messages, ServiceLifecycle and swift-log.
// Built by `packaging/build-static` with the agent's flags, its size is the
// floor under the agent's; it is never run.
import CollectorProto
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

@main
struct AgentFloor {
    static func main() async throws {
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: 4317), transportSecurity: .tls)
        let logger = Logger(label: "agent-floor")
        try await withGRPCClient(transport: transport) { client in
            let ingest = Collector_V1_Ingest.Client(wrapping: client)
            var request = Collector_V1_RegisterRequest()
            request.agentID = CommandLine.arguments.last ?? ""
            let registered = try await ingest.register(request)
            logger.info("\(registered.highWaterMark)")
            try await ingest.push { writer in
                try await writer.write(Collector_V1_Batch())
            } onResponse: { response in
                for try await ack in response.messages { logger.info("\(ack.sequence)") }
            }
        }
        try await ServiceGroup(services: [], logger: logger).run()
    }
}
