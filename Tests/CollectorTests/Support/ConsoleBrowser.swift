import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A browser, as far as the console can tell: it keeps the console's
/// cookies, does not follow redirects (tests look at them) and sends
/// `Accept: text/html`.
final class ConsoleBrowser: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    let base: String
    private(set) var cookies: [String: String] = [:]
    private lazy var session = URLSession(configuration: {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return configuration
    }(), delegate: self, delegateQueue: nil)

    init(base: String) {
        self.base = base
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func get(_ path: String, accept: String = "text/html") async throws -> HTTPResult {
        try await send("GET", path, headers: ["Accept": accept])
    }

    /// A form post; `csrf` is added unless nil.
    func post(_ path: String, _ fields: [(String, String)], csrf: String?) async throws -> HTTPResult {
        var fields = fields
        if let csrf { fields.append(("csrf", csrf)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send("POST", path, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: body)
    }

    func send(_ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil) async throws -> HTTPResult {
        guard let url = URL(string: base + path) else { throw CLIStyleError("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if !cookies.isEmpty { request.setValue(cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "), forHTTPHeaderField: "Cookie") }
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw CLIStyleError("not HTTP") }
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { fields[key.lowercased()] = value }
        }
        if let setCookie = fields["set-cookie"] { remember(setCookie) }
        return HTTPResult(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
    }

    /// `Set-Cookie` values (joined with commas when there are several):
    /// a cookie with `Max-Age=0` is forgotten.
    private func remember(_ header: String) {
        let pattern = #"(collector_[a-z]+)=([^;,]*)([^,]*)"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return }
        for match in regex.matches(in: header, range: NSRange(header.startIndex..., in: header)) {
            guard let name = Range(match.range(at: 1), in: header), let value = Range(match.range(at: 2), in: header),
                  let attributes = Range(match.range(at: 3), in: header) else { continue }
            if header[attributes].contains("Max-Age=0") || header[value].isEmpty {
                cookies[String(header[name])] = nil
            } else {
                cookies[String(header[name])] = String(header[value])
            }
        }
    }

    func forget(_ name: String) { cookies[name] = nil }
    func setCookie(_ name: String, _ value: String) { cookies[name] = value }

    /// Logs in through the form; the session's CSRF token from the page.
    @discardableResult
    func login(_ name: String, _ password: String) async throws -> HTTPResult {
        let form = try await get("/console/login")
        return try await post("/console/login", [("name", name), ("password", password)], csrf: Self.csrf(in: form.body))
    }

    /// The first `name="csrf" value="..."` of a page.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value="[0-9a-f]+""#, options: .regularExpression) else { return nil }
        return String(html[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
