import Foundation
import Glibc
import ServiceSupport
import Testing

@Suite("Releasing pages only start-up touched")
struct StartupPageReleaserTests {
    static let pageCount = 64
    static let size = pageCount * Int(getpagesize())

    /// A file of `size` bytes of 0xAB, mapped twice: once read-only and read
    /// through (clean pages, the shape of code), once written and then made
    /// read-only (the shape of relocated data after RELRO).
    @Test func cleanReadOnlyMappingsAreDroppedAndWrittenOnesKeepTheirBytes() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("release-\(UUID().uuidString)").path
        try Data(repeating: 0xAB, count: Self.size).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }

        let clean = try #require(mmapped(descriptor, protection: PROT_READ))
        let written = try #require(mmapped(descriptor, protection: PROT_READ | PROT_WRITE))
        defer {
            munmap(clean, Self.size)
            munmap(written, Self.size)
        }
        let cleanBytes = clean.assumingMemoryBound(to: UInt8.self)
        let writtenBytes = written.assumingMemoryBound(to: UInt8.self)
        var sum = 0
        for page in 0..<Self.pageCount {
            sum += Int(cleanBytes[page * Int(getpagesize())])
            writtenBytes[page * Int(getpagesize())] = 0x01
        }
        try #require(sum == 0xAB * Self.pageCount)
        try #require(mprotect(written, Self.size, PROT_READ) == 0)
        try #require(residentKilobytes(at: clean) == Self.size / 1024)

        let released = StartupPageReleaser.releaseCleanFilePages()

        #expect(released >= Self.size)
        #expect(residentKilobytes(at: clean) == 0, "the clean mapping is dropped")
        #expect(residentKilobytes(at: written) == Self.size / 1024, "the written one is not")
        // Both still read right: the clean one from the page cache again, the
        // written one with the bytes this process wrote, not the file's.
        for page in 0..<Self.pageCount {
            #expect(cleanBytes[page * Int(getpagesize())] == 0xAB)
            #expect(writtenBytes[page * Int(getpagesize())] == 0x01)
            #expect(writtenBytes[page * Int(getpagesize()) + 1] == 0xAB)
        }
    }

    private func mmapped(_ descriptor: Int32, protection: Int32) -> UnsafeMutableRawPointer? {
        let address = mmap(nil, Self.size, protection, MAP_PRIVATE, descriptor, 0)
        return address == MAP_FAILED ? nil : address
    }

    /// The `Rss:` of the mapping that starts at `address`, from smaps (read
    /// line by line: the kernel writes it a piece per read).
    private func residentKilobytes(at address: UnsafeMutableRawPointer) -> Int? {
        guard let smaps = fopen("/proc/self/smaps", "r") else { return nil }
        defer { fclose(smaps) }
        let start = String(UInt(bitPattern: address), radix: 16)
        var inMapping = false
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), smaps) != nil {
            let line = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let range = line.split(separator: " ").first, range.contains("-"), !range.hasSuffix(":") {
                inMapping = range.split(separator: "-").first.map { $0.drop(while: { $0 == "0" }) == start[...] } ?? false
            } else if inMapping, line.hasPrefix("Rss:") {
                return line.split(whereSeparator: { $0 == " " || $0 == "\n" }).dropFirst().first.flatMap { Int($0) }
            }
        }
        return nil
    }
}
