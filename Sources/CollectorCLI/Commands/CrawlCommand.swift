import ArgumentParser
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

struct CrawlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawl",
        abstract: "Crawl one instance now, or every enabled instance without an agent.",
        discussion: """
            Prints a progress line on a terminal while crawling all, then a table of the
            outcomes that were not ok (or every outcome with --json).
            Example: collectorctl crawl; collectorctl crawl 0d7c...e1
            """)

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Instance uuid; all when absent.") var uuid: String?
    @OptionGroup var output: JSONFlag

    func run() async throws {
        var request = Collector_V1_CrawlRequest()
        request.uuid = uuid ?? ""
        let showProgress = !output.json && isatty(STDERR_FILENO) == 1
        let outcomes = try await connection.withClient { client, metadata in
            try await Collector_V1_Admin.Client(wrapping: client).crawl(request, metadata: metadata) { response in
                var outcomes: [Collector_V1_CrawlProgress] = []
                for try await progress in response.messages {
                    outcomes.append(progress)
                    if showProgress {
                        let line = "\r\(ProgressLine.render(done: Int(progress.done), total: Int(progress.total))) \(progress.url)"
                        Output.toStandardError((line.prefix(120) + "\u{1B}[K"))
                    }
                }
                return outcomes
            }
        }
        if showProgress { Output.toStandardError("\r\u{1B}[K") }
        if output.json { return print(try Output.json(outcomes)) }
        let failed = outcomes.filter { $0.outcome.result != "ok" }
        print("crawled \(outcomes.count) instance\(outcomes.count == 1 ? "" : "s"): \(outcomes.count - failed.count) ok, \(failed.count) failed")
        guard !failed.isEmpty else { return }
        var table = Table(["UUID", "URL", "RESULT", "DETAIL"])
        for progress in failed { table.add([progress.instanceUuid, progress.url, progress.outcome.result, progress.outcome.detail]) }
        print(table.render())
    }
}

/// `[#####.....] 50/100`: long operations on a terminal.
enum ProgressLine {
    static func render(done: Int, total: Int, width: Int = 30) -> String {
        let filled = total == 0 ? width : min(width, done * width / max(total, 1))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total)"
    }
}
