/// A node under construction. Containers hand out references to child boxes and fill them later,
/// so the tree is assembled by reference and converted to a `YAMLNode` once encoding is done.
final class YAMLEncodingBox {
    enum Content {
        /// Nothing was encoded here; Yams writes such a value as an empty scalar.
        case unset
        case scalar(YAMLScalar)
        case mapping(keys: [String], boxes: [YAMLEncodingBox], positions: [String: Int])
        case sequence([YAMLEncodingBox])
    }

    var content: Content = .unset

    /// Ensures this box holds a mapping, keeping an existing one so a type can ask for its keyed
    /// container more than once.
    func makeMapping() {
        if case .mapping = content { return }
        content = .mapping(keys: [], boxes: [], positions: [:])
    }

    func makeSequence() {
        if case .sequence = content { return }
        content = .sequence([])
    }

    /// A fresh box stored under `key`; a key encoded twice keeps its first position and takes the
    /// new value, like assigning through Yams's `node[key]`.
    func child(forKey key: String) -> YAMLEncodingBox {
        makeMapping()
        let box = YAMLEncodingBox()
        guard case .mapping(var keys, var boxes, var positions) = content else { return box }
        content = .unset  // release the arrays so appending below does not copy them
        if let position = positions[key] {
            boxes[position] = box
        } else {
            positions[key] = keys.count
            keys.append(key)
            boxes.append(box)
        }
        content = .mapping(keys: keys, boxes: boxes, positions: positions)
        return box
    }

    func appendChild() -> YAMLEncodingBox {
        makeSequence()
        let box = YAMLEncodingBox()
        guard case .sequence(var boxes) = content else { return box }
        content = .unset
        boxes.append(box)
        content = .sequence(boxes)
        return box
    }

    var sequenceCount: Int {
        if case .sequence(let boxes) = content { return boxes.count }
        return 0
    }

    var node: YAMLNode {
        switch content {
        case .unset:
            return .scalar(YAMLScalar("", tag: "tag:yams.encoder:unused"))
        case .scalar(let scalar):
            return .scalar(scalar)
        case let .mapping(keys, boxes, _):
            var mapping = YAMLMapping()
            for (key, box) in zip(keys, boxes) {
                mapping.append(key: YAMLNode(key), value: box.node)
            }
            return .mapping(mapping)
        case .sequence(let boxes):
            return .sequence(boxes.map(\.node))
        }
    }
}
