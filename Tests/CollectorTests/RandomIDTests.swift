import CollectorModel
import Foundation
import Testing

/// Event ids are version-4 UUIDs in the form the old servers printed;
/// Foundation's parser is the judge of the form.
@Suite("Random ids")
struct RandomIDTests {
    @Test func idsAreVersion4UUIDsInLowerCase() throws {
        for _ in 0..<2_000 {
            let id = RandomID.uuid()
            let parsed = try #require(UUID(uuidString: id), "\(id) is not a UUID")
            #expect(parsed.uuidString.lowercased() == id)
            let bytes = withUnsafeBytes(of: parsed.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 4, "version nibble of \(id)")
            #expect(bytes[8] >> 6 == 0b10, "variant bits of \(id)")
        }
    }

    @Test func idsDoNotRepeatAndUseEveryDigit() {
        let ids = (0..<10_000).map { _ in RandomID.uuid() }
        #expect(Set(ids).count == ids.count)
        // Every hex digit appears in every free position: the bytes come from
        // the generator, not a constant.
        for position in [0, 7, 9, 24, 35] {
            let digits = Set(ids.map { Array($0.utf8)[position] })
            #expect(digits.count == 16, "position \(position) saw \(digits.count) digits")
        }
        #expect(RandomID.hex().utf8.count == 32)
    }
}
