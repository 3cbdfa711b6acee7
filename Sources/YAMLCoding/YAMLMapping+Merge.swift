extension YAMLMapping {
    /// Applies `<<` merge keys the way Yams's `Node.Mapping.flatten()` does before decoding:
    /// merged pairs come first, so the mapping's own pairs win the last-match lookup.
    func flattened() -> YAMLMapping {
        var own = [Entry]()
        var merged = [Entry]()
        own.reserveCapacity(entries.count)
        for entry in entries {
            let keyTag = entry.key.scalar?.resolvedTag
            if keyTag == YAMLTag.merge {
                switch entry.value {
                case .mapping(let mapping):
                    merged.append(contentsOf: mapping.flattened().entries)
                case .sequence(let nodes):
                    // Earlier mappings in the list take precedence, hence the reversal.
                    for case .mapping(let mapping) in nodes.reversed() {
                        merged.append(contentsOf: mapping.flattened().entries)
                    }
                case .scalar:
                    break
                }
            } else if keyTag == YAMLTag.value, case .scalar(var key) = entry.key {
                // Yams retags `=` keys as plain strings here; mirrored so lookups agree.
                key.tag = YAMLTag.str
                own.append(Entry(key: .scalar(key), value: entry.value))
            } else {
                own.append(entry)
            }
        }
        var result = YAMLMapping()
        result.entries = merged + own
        return result
    }
}
