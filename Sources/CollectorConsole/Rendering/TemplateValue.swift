/// A template value that may be absent. Mustache sees an `Optional` inside
/// `Any` as present (its section renders, with empty values), so an absent
/// value becomes `false`, which skips the section and shows its inverse.
func templateValue<T>(_ value: T?) -> Any {
    value.map { $0 as Any } ?? false
}
