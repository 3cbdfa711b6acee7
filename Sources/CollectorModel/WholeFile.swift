#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes, read until the end rather than to the size `stat`
/// reports: procfs files report 0, and a spool file that shrank while being
/// read is short rather than padded.
public enum WholeFile {
    public static func bytes(at path: String) throws(DurableFile.Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DurableFile.Failure("cannot open \(path)") }
        defer { close(fd) }
        var info = stat()
        let expected = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        var bytes = [UInt8](repeating: 0, count: max(expected + 1, 4096))
        var offset = 0
        while true {
            if offset == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                buffer.baseAddress.map { read(fd, $0 + offset, buffer.count - offset) } ?? 0
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw DurableFile.Failure("cannot read \(path)")
            }
            if count == 0 { break }
            offset += count
        }
        bytes.removeSubrange(offset...)
        return bytes
    }
}
