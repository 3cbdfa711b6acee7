#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reproduces the text Yams's encoder gives a floating-point value, so re-encoded configs match.
///
/// Yams prints with `%.17g`; when that has no exponent it uses a NumberFormatter in scientific
/// style with 15 significant digits and "e+" as exponent symbol (1.5 -> "1.5e+0"). Both are done
/// here with the C library's formatter, which is why Glibc is imported.
enum YAMLFloatFormatting {
    static func string(for value: Double) -> String {
        let general = cFormat("%.17g", value)
        if general.utf8.suffix(5).contains(UInt8(ascii: "e")) {
            return general
        }
        return scientific(value)
    }

    private static func scientific(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        // 15 significant digits: one before the point, 14 after.
        let text = cFormat("%.14e", value)
        guard let e = text.firstIndex(of: "e"), let exponent = Int(text[text.index(after: e)...]) else {
            return text
        }
        var mantissa = Substring(text[..<e])
        if mantissa.contains(".") {
            while mantissa.last == "0" { mantissa = mantissa.dropLast() }
            if mantissa.last == "." { mantissa = mantissa.dropLast() }
        }
        return "\(mantissa)e\(exponent < 0 ? "-" : "+")\(exponent.magnitude)"
    }

    private static func cFormat(_ format: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let written = withVaList([value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { pointer in
                vsnprintf(pointer.baseAddress, pointer.count, format, arguments)
            }
        }
        guard written > 0 else { return "" }
        let bytes = buffer.prefix(min(Int(written), buffer.count - 1)).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
