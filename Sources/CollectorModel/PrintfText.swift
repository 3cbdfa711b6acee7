#if canImport(Glibc)
import Glibc
#endif

extension String {
    /// Text formatted as C's `printf` formats it (`%.1f`, `%.4g`, `%5d`),
    /// through the C library rather than Foundation's `String(format:)`,
    /// which needs ICU. Numbers only: `%@` and `%s` are not for this.
    public init(printf format: String, _ arguments: any CVarArg...) {
        var buffer = [CChar](repeating: 0, count: 64)
        let needed = withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) }
        if needed >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(needed) + 1)
            _ = withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) }
        }
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
