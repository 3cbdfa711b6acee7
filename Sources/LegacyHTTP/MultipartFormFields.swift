/// The text fields of a `multipart/form-data` body (RFC 7578), as Django
/// read them into `request.data`: each part's `name` from its
/// `Content-Disposition`, its content as UTF-8 text; a later part with the
/// same name wins. File parts are taken as text too: the tracking API has
/// no file fields.
enum MultipartFormFields {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func fields(in body: [UInt8], boundary: String) throws(Failure) -> [String: String] {
        let delimiter = Array(("--" + boundary).utf8)
        guard var position = firstIndex(of: delimiter, in: body, from: 0) else {
            throw Failure("no boundary '\(boundary)' in the body")
        }
        var fields: [String: String] = [:]
        while true {
            position += delimiter.count
            if body[position...].starts(with: [0x2D, 0x2D]) { return fields }  // "--": the closing delimiter
            guard let headerStart = lineEnd(in: body, from: position) else { throw Failure("a boundary line is not ended") }
            let closing = [0x0D, 0x0A] + delimiter
            guard let end = firstIndex(of: closing, in: body, from: headerStart) else {
                throw Failure("a part is not closed by the boundary")
            }
            let part = body[headerStart..<end]
            guard let split = firstIndex(of: [0x0D, 0x0A, 0x0D, 0x0A], in: body, from: headerStart), split <= end else {
                throw Failure("a part has no blank line after its headers")
            }
            let headers = String(decoding: body[headerStart..<split], as: UTF8.self)
            guard let name = partName(headers) else { throw Failure("a part has no Content-Disposition name") }
            fields[name] = String(decoding: body[min(split + 4, part.endIndex)..<end], as: UTF8.self)
            position = end + 2
        }
    }

    /// `form-data; name="namespace"` → `namespace`.
    static func partName(_ headers: String) -> String? {
        for line in headers.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingSpaces().lowercased() == "content-disposition" else { continue }
            for parameter in parts[1].split(separator: ";").dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingSpaces().lowercased() == "name" else { continue }
                return pair[1].trimmingSpaces().unquoted
            }
        }
        return nil
    }

    /// After the CRLF that ends the line starting at `start` (a boundary
    /// line may carry trailing white space).
    private static func lineEnd(in body: [UInt8], from start: Int) -> Int? {
        firstIndex(of: [0x0D, 0x0A], in: body, from: start).map { $0 + 2 }
    }

    private static func firstIndex(of needle: [UInt8], in body: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, body.count >= needle.count else { return nil }
        var index = start
        while index <= body.count - needle.count {
            if body[index] == first, body[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

extension String {
    /// Without one pair of surrounding double quotes.
    var unquoted: String {
        count >= 2 && hasPrefix("\"") && hasSuffix("\"") ? String(dropFirst().dropLast()) : self
    }
}
