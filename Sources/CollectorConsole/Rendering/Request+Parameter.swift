import Hummingbird

extension Request {
    /// One query parameter, empty when absent.
    func parameter(_ name: String) -> String {
        uri.queryParameters.get(name).map { String($0) } ?? ""
    }
}
