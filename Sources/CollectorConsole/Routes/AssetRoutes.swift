import Foundation
import Hummingbird

/// The stylesheet and the refresh script, from constants in the binary:
/// nothing is fetched from anywhere else.
struct AssetRoutes<Context: ConsoleRequestContext>: Sendable {
    func register(on group: RouterGroup<Context>) {
        group.get("assets/console.css") { _, _ in Self.asset(Stylesheet.text, type: "text/css; charset=utf-8") }
        group.get("assets/console.js") { _, _ in Self.asset(RefreshScript.text, type: "text/javascript; charset=utf-8") }
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
