/// Random (version 4) UUIDs from the system generator (`getrandom`):
/// Foundation's `UUID()` opens /dev/urandom every time on Linux, and event
/// ids are made for every request.
public enum RandomID {
    /// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lower case.
    public static func uuid() -> String {
        let digits = "0123456789abcdef".utf8.map { $0 }
        let bytes = bytes()
        return String(unsafeUninitializedCapacity: 36) { text in
            var at = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[at] = UInt8(ascii: "-")
                    at += 1
                }
                text[at] = digits[Int(byte >> 4)]
                text[at + 1] = digits[Int(byte & 0x0F)]
                at += 2
            }
            return at
        }
    }

    /// The same 32 hex digits without hyphens.
    public static func hex() -> String {
        Hex.string(bytes())
    }

    /// Two draws of the system generator, not sixteen: each draw is a
    /// `getrandom` system call, and ids are made for every request.
    static func bytes() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for _ in 0..<2 {
            withUnsafeBytes(of: generator.next().littleEndian) { bytes.append(contentsOf: $0) }
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return bytes
    }
}
