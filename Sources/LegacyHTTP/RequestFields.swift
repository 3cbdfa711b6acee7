import CollectorModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird

/// A tracking API body as Django REST framework's parsers read it: JSON,
/// `application/x-www-form-urlencoded` or `multipart/form-data`, chosen by
/// `Content-Type`. A form-typed body that is a JSON object is read as JSON
/// (clients that post JSON without naming its type, as curl's `-d` does,
/// would otherwise lose every field).
enum RequestFields {
    static func object(_ body: [UInt8], contentType: String?) throws(TrackErrors) -> [String: JSONValue] {
        let type = contentType?.split(separator: ";").first.map { String($0).trimmingWhitespace().lowercased() } ?? ""
        let looksLikeJSON = body.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }.map { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") } ?? false
        switch type {
        case "application/x-www-form-urlencoded" where !looksLikeJSON:
            do {
                return try URLEncodedFormDecoder().decode([String: String].self, from: String(decoding: body, as: UTF8.self))
                    .mapValues(JSONValue.string)
            } catch {
                throw TrackErrors(detail: "Form parse error - \(error)")
            }
        case "multipart/form-data":
            guard let boundary = Self.boundary(in: contentType ?? "") else {
                throw TrackErrors(detail: "Multipart form parse error - Invalid boundary in multipart: None")
            }
            do {
                return try MultipartFormFields.fields(in: body, boundary: boundary).mapValues(JSONValue.string)
            } catch {
                throw TrackErrors(detail: "Multipart form parse error - \(error)")
            }
        default:
            return try TrackBody.object(json: body)
        }
    }

    static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingSpaces().lowercased() == "boundary" else { continue }
            let value = parts[1].trimmingSpaces().unquoted
            return value.isEmpty ? nil : value
        }
        return nil
    }

}
