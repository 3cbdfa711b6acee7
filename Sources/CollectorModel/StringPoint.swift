/// A string field's value at a time: what InfluxDB's `msg="deploy started"`
/// becomes. Text has no sum or rollup, so it is not a `SeriesPoint`: it is
/// stored and read beside them, under a series of its own (labelled with
/// the type `string`), and expires with the raw points.
public struct StringPoint: Sendable, Equatable, Hashable {
    public var namespace: String
    /// The series' measurement, field and tags; its type is `string`.
    public var labels: SeriesLabels
    /// Nanoseconds since the epoch.
    public var nanos: Int64
    public var value: String

    public init(namespace: String, labels: SeriesLabels, nanos: Int64, value: String) {
        self.namespace = namespace
        self.labels = labels
        self.nanos = nanos
        self.value = value
    }

    /// The series' name: `measurement.field`.
    public var name: String { labels.name }
}
