import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders pages from the Mustache templates in `Templates/`: every `{{value}}`
/// is HTML-escaped by the library; only `{{{body}}}` in the layout takes
/// markup, and that markup is itself the output of an escaping template.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        for (name, text) in ConsoleTemplates.all {
            // The templates are constants of this module; one that does not
            // parse is a programming error a test catches.
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("console template '\(name)' does not parse: \(error)")
            }
        }
        self.library = library
    }

    /// The markup of one template, for pages that nest charts in tables.
    func fragment(_ template: String, _ model: Any) -> String {
        library.render(model, withTemplate: template) ?? ""
    }

    func page(_ template: String, title: String, section: ConsoleSection?, signedIn: SignedIn?, model: Any,
              notice: String? = nil, live: Bool = false, status: HTTPResponse.Status = .ok) -> Response {
        let layout = Layout(title: title, body: fragment(template, model), user: signedIn.map(Layout.User.init),
                            nav: signedIn == nil ? [] : ConsoleSection.allCases.map { Layout.NavItem(section: $0, current: $0 == section) },
                            notice: notice, live: live)
        return html(fragment("layout", layout), status: status)
    }

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The console's sections, in the navigation's order.
enum ConsoleSection: String, CaseIterable, Sendable {
    case instances, statistics, pools, events, agents

    var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    var path: String { "/console/\(rawValue)" }
}

struct Layout {
    struct User {
        var name: String
        var role: String
        var csrf: String
        init(_ signedIn: SignedIn) {
            name = signedIn.user.name
            role = signedIn.user.role.rawValue
            csrf = signedIn.session.csrfToken
        }
    }

    struct NavItem {
        var href: String
        var label: String
        var current: Bool
        init(section: ConsoleSection, current: Bool) {
            href = section.path
            label = section.label
            self.current = current
        }
    }

    var title: String
    var body: String
    var user: User?
    var nav: [NavItem]
    var notice: String?
    var live: Bool
}
