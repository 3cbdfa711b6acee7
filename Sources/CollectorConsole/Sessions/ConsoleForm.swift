import CollectorModel
import Foundation
import Hummingbird

/// A state-changing form: it carries the session's CSRF token.
protocol ConsoleForm: Decodable {
    var csrf: String { get }
}

/// Forms a signed-in user posts: no form is larger.
let consoleFormLimit = 256 * 1024

extension Request {
    /// Decodes a posted form with Hummingbird's form decoder and checks its
    /// CSRF token against the session's, in constant time; a missing or
    /// wrong token changes nothing.
    func consoleForm<Form: ConsoleForm>(_ type: Form.Type, signedIn: SignedIn) async throws -> Form {
        var request = self
        let body = try await request.collectBody(upTo: consoleFormLimit)
        let text = String(buffer: body)
        // The token is checked before the rest of the form is read, so a
        // forged request learns nothing from how its fields were judged.
        let token = (try? URLEncodedFormDecoder().decode(CSRFField.self, from: text))?.csrf ?? ""
        guard constantTimeEquals(Array(token.utf8), Array(signedIn.session.csrfToken.utf8)) else { throw ConsoleRefusal.badCSRF }
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: text)
        } catch {
            throw ConsoleRefusal(.badRequest, "The form was incomplete or malformed: \(error)")
        }
    }
}

/// Only the token: read first from every form, and the whole of the forms
/// that carry nothing else (logout, enable, crawl, delete).
struct CSRFField: ConsoleForm {
    var csrf: String
}
