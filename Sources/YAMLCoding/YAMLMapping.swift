/// The ordered key/value pairs of a YAML mapping.
///
/// Kept as a list, not a dictionary, because YAML order is meaningful to people reading the output
/// and because Yams looks keys up from the end (the last duplicate wins).
public struct YAMLMapping: Sendable, Hashable {
    public typealias Element = (key: YAMLNode, value: YAMLNode)

    struct Entry: Sendable, Hashable {
        var key: YAMLNode
        var value: YAMLNode
    }

    var entries: [Entry]

    public init() {
        entries = []
    }

    public init(_ pairs: [(YAMLNode, YAMLNode)]) {
        entries = pairs.map { Entry(key: $0.0, value: $0.1) }
    }

    public var keys: [YAMLNode] { entries.map(\.key) }
    public var values: [YAMLNode] { entries.map(\.value) }

    /// Looks a key up the way Yams's `mapping[string]` does: by text and resolved tag, so `a` finds
    /// `a` and `"a"`, while `"1"` (a string) is not the key `1` (an int).
    public subscript(key: String) -> YAMLNode? {
        get { self[YAMLNode(key)] }
        set { self[YAMLNode(key)] = newValue }
    }

    /// Get returns the last pair with an equal key; set replaces that pair in place, appends when
    /// there is none, and removes it when assigning nil.
    public subscript(key: YAMLNode) -> YAMLNode? {
        get {
            lastIndex(of: key).map { entries[$0].value }
        }
        set {
            let existing = lastIndex(of: key)
            switch (existing, newValue) {
            case let (index?, value?):
                entries[index].value = value
            case let (nil, value?):
                entries.append(Entry(key: key, value: value))
            case let (index?, nil):
                entries.remove(at: index)
            case (nil, nil):
                break
            }
        }
    }

    public mutating func append(key: YAMLNode, value: YAMLNode) {
        entries.append(Entry(key: key, value: value))
    }

    func lastIndex(of key: YAMLNode) -> Int? {
        entries.lastIndex { $0.key == key }
    }
}

extension YAMLMapping: RandomAccessCollection, MutableCollection {
    public var startIndex: Int { entries.startIndex }
    public var endIndex: Int { entries.endIndex }

    public subscript(position: Int) -> Element {
        get { (key: entries[position].key, value: entries[position].value) }
        set { entries[position] = Entry(key: newValue.key, value: newValue.value) }
    }
}

extension YAMLMapping: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (YAMLNode, YAMLNode)...) {
        self.init(elements)
    }
}
