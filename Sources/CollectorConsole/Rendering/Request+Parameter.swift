import Hummingbird
import ServiceSupport

extension Request {
    /// The query's pairs as a browser's GET form sent them (a space as `+`).
    var queryPairs: [(key: String, value: String)] {
        FormEncoding.pairs(uri.query ?? "")
    }

    /// One query parameter, empty when absent.
    func parameter(_ name: String) -> String {
        queryPairs.first { $0.key == name }?.value ?? ""
    }

    /// Every value of a repeated query parameter.
    func parameters(_ name: String) -> [String] {
        queryPairs.filter { $0.key == name }.map(\.value)
    }
}
