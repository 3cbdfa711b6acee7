import ArgumentParser
import CollectorModel
import CollectorProto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
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
        let fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError(DurableFile.Failure("cannot write \(partial)").message) }
        let showProgress = isatty(STDERR_FILENO) == 1
        let written: UInt64
        do {
            written = try await connection.withClient { client, metadata in
                try await Collector_V1_Admin.Client(wrapping: client).backup(Collector_V1_BackupRequest(), metadata: metadata) { response in
                    var written: UInt64 = 0
                    var total: UInt64 = 0
                    for try await chunk in response.messages {
                        if chunk.totalBytes > 0 { total = chunk.totalBytes }
                        try DurableFile.write(Array(chunk.data), to: fd, path: partial)
                        written += UInt64(chunk.data.count)
                        if showProgress {
                            let line = "\r" + ProgressLine.render(done: Int(written >> 10), total: Int(max(total, written) >> 10)) + " KiB"
                            Output.toStandardError(line)
                        }
                    }
                    return written
                }
            }
            guard fsync(fd) == 0 else { throw DurableFile.Failure("cannot sync \(partial)") }
            close(fd)
        } catch {
            close(fd)
            unlink(partial)
            throw error
        }
        if showProgress { Output.toStandardError("\r\u{1B}[K") }
        guard rename(partial, file) == 0 else { throw CLIError("cannot rename \(partial) to \(file)") }
        print("backup written: \(file) (\(Output.bytes(written)))")
    }
}
