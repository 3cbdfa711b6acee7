import CollectorModel
import CollectorTLS
import Logging
import ServiceSupport

/// `systemctl reload collector`: reads the configuration again and applies
/// what a running collector can change — the log level, the crawl
/// settings, and the TLS certificate and key for new connections — without
/// touching open agent streams. Other changed settings are named as
/// needing a restart and keep their old values. A configuration or
/// certificate that does not load changes nothing.
public struct CollectorReloader: Sendable {
    /// Reads the file and environment again; nil when the collector was
    /// started without a file (the certificate is still read again).
    let load: (@Sendable () throws -> CollectorConfig)?
    let live: LiveConfig
    let logLevel: LogLevelSwitch
    let certificate: ReloadableCertificate
    /// The files used when the configuration names none: the development
    /// certificate in the data directory.
    let defaultCertificate: ReloadableCertificate.Files

    public func reload() throws -> ReloadReport {
        let running = live.value
        let wanted = try load?() ?? running
        let next = running.takingReloadable(from: wanted)
        try certificate.reload(next.tls.certificateFiles ?? defaultCertificate)
        live.set(next)
        logLevel.level = Logger.Level(rawValue: next.logLevel) ?? .info
        return ReloadReport(applied: ConfigDifference.paths(from: running, to: next),
                            needsRestart: ConfigDifference.paths(from: next, to: wanted))
    }
}

extension CollectorConfig {
    /// This configuration with the settings a running collector can change
    /// taken from `new`.
    func takingReloadable(from new: CollectorConfig) -> CollectorConfig {
        var result = self
        result.logLevel = new.logLevel
        result.crawl.interval = new.crawl.interval
        result.crawl.timeout = new.crawl.timeout
        result.crawl.concurrency = new.crawl.concurrency
        result.crawl.endpoints = new.crawl.endpoints
        result.crawl.fields = new.crawl.fields
        result.crawl.maxRedirects = new.crawl.maxRedirects
        result.crawl.maxResponseBytes = new.crawl.maxResponseBytes
        // Going back from configured files to the development certificate
        // is a restart: the development files may not exist yet.
        if new.tls.certificateFiles != nil || tls.certificateFiles == nil {
            result.tls.certificate = new.tls.certificate
            result.tls.key = new.tls.key
        }
        return result
    }
}

extension CollectorConfig.TLSSection {
    var certificateFiles: ReloadableCertificate.Files? {
        guard let certificate, let key else { return nil }
        return .init(certificatePath: certificate, keyPath: key)
    }
}
