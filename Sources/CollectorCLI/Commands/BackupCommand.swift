import ArgumentParser
import CollectorProto
import Foundation
import GRPCCore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write an online, consistent copy of the collector's database to FILE.",
        discussion: """
            Ingest goes on while the copy is taken; the copy holds every batch acknowledged before it began.
            Restore it with: collector restore FILE --data-dir DIR (with that collector stopped).
            Example: collectorctl backup /srv/backups/collector-$(date +%F).sqlite
            """)

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Where to write the copy (written to FILE.partial, then renamed).") var file: String

    func run() async throws {
        let partial = file + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: partial)
        else { throw CLIError("cannot write \(partial)") }
        let showProgress = isatty(STDERR_FILENO) == 1
        let written: UInt64
        do {
            written = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).backup(Collector_V1_BackupRequest(), metadata: metadata) { response in
                    var written: UInt64 = 0
                    var total: UInt64 = 0
                    for try await chunk in response.messages {
                        if chunk.totalBytes > 0 { total = chunk.totalBytes }
                        try handle.write(contentsOf: chunk.data)
                        written += UInt64(chunk.data.count)
                        if showProgress {
                            let line = "\r" + ProgressLine.render(done: Int(written >> 10), total: Int(max(total, written) >> 10)) + " KiB"
                            FileHandle.standardError.write(Data(line.utf8))
                        }
                    }
                    return written
                }
            }
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        guard rename(partial, file) == 0 else { throw CLIError("cannot rename \(partial) to \(file)") }
        print("backup written: \(file) (\(Output.bytes(written)))")
    }
}
