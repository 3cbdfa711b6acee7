#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An application event: it is stored as itself and becomes a series point.
public struct Event: Sendable, Equatable, Codable {
    public var id: String
    public var namespace: String
    public var name: String
    public var time: Date
    public var value: Double
    public var uid: String
    /// A JSON object of strings, numbers and booleans.
    public var fieldsJSON: String

    public init(id: String, namespace: String, name: String, time: Date, value: Double, uid: String = "", fieldsJSON: String = "{}") {
        self.id = id
        self.namespace = namespace
        self.name = name
        self.time = time
        self.value = value
        self.uid = uid
        self.fieldsJSON = fieldsJSON
    }

    public var seriesPoint: SeriesPoint {
        SeriesPoint(namespace: namespace, name: name, time: time, value: value)
    }
}
