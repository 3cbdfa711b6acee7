/// Random (version 4) UUIDs from the system generator (`getrandom`):
/// Foundation's `UUID()` opens /dev/urandom every time on Linux, and event
/// ids are made for every request.
public enum RandomID {
    /// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lower case.
    public static func uuid() -> String {
        let hex = Hex.string(bytes())
        let characters = Array(hex.utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, character) in characters.enumerated() {
            if [8, 12, 16, 20].contains(index) { text.append(UInt8(ascii: "-")) }
            text.append(character)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The same 32 hex digits without hyphens.
    public static func hex() -> String {
        Hex.string(bytes())
    }

    static func bytes() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return bytes
    }
}
