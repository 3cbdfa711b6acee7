/// Why bytes are not a chunk this codec wrote. Decoding never traps on
/// hostile input: every check that fails ends here, with the byte offset
/// at which it failed.
public enum ChunkDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes end before the chunk does.
    case truncated(offset: Int)
    /// The first byte names a format this build does not know.
    case unsupportedVersion(UInt8)
    /// The header claims more points than the remaining bytes could hold:
    /// refused before anything is allocated for them.
    case implausibleCount(UInt64, availableBytes: Int)
    /// A field holds a value the encoder never writes.
    case malformed(String, offset: Int)
    /// Bytes are left over after the last block.
    case trailingBytes(count: Int)

    public var description: String {
        switch self {
        case .truncated(let offset):
            "chunk truncated at byte \(offset)"
        case .unsupportedVersion(let version):
            "unsupported chunk format version \(version)"
        case .implausibleCount(let count, let available):
            "chunk header claims \(count) points but only \(available) bytes follow"
        case .malformed(let what, let offset):
            "malformed chunk at byte \(offset): \(what)"
        case .trailingBytes(let count):
            "\(count) unexpected bytes after the last block of the chunk"
        }
    }
}
