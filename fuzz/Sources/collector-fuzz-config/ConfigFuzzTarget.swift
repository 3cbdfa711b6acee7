import AgentKit
import CollectorModel
import CollectorServer
import FuzzDriver

/// The collector's and the agent's configuration files, decoded whole as
/// `collector serve` and `collector-agent` read them: strict keys, every
/// section's own checks. An operator's typo must be an error that names the
/// key, never a crash.
func decodeServiceConfigs(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? ConfigFile.decode(CollectorConfig.self, yaml: text, source: "collector.yaml")
    _ = try? ConfigFile.decode(AgentConfig.self, yaml: text, source: "collector-agent.yaml")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    decodeServiceConfigs(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

// SwiftPM names an executable's entry point `<target>_main`.
@_cdecl("collector_fuzz_config_main")
public func collectorFuzzConfigMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzzOne(data, size) }
}
