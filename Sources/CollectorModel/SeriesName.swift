/// A series by name, without its points: what `collectorctl series list`
/// shows and what `query` suggests from.
public struct SeriesName: Sendable, Equatable, Hashable {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }
}

/// A page of series names; `truncated` when more matched.
public struct SeriesNamePage: Sendable, Equatable {
    public var series: [SeriesName]
    public var truncated: Bool

    public init(series: [SeriesName], truncated: Bool) {
        self.series = series
        self.truncated = truncated
    }
}
