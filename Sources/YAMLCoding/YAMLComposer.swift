import CYAML

extension YAMLNode {
    /// Parses `text` into a node tree like `Yams.compose(yaml:)`.
    ///
    /// Returns nil when the stream holds no document (empty text, only comments). Aliases are
    /// replaced by their anchored node, tags are kept on scalars, and more than one document,
    /// an undefined alias or a duplicated mapping key is an error, as in Yams.
    public static func compose(_ text: String) throws(YAMLError) -> YAMLNode? {
        let composer = try YAMLComposer(text: text)
        return try composer.composeSingleDocument()
    }
}

/// Pulls libyaml parser events and builds `YAMLNode`s from them.
final class YAMLComposer {
    /// Deeper nesting than any configuration needs; the limit keeps hostile input from exhausting
    /// the stack of the recursive builders (libyaml 0.2.5 itself has no limit).
    static let maximumDepth = 512

    private let text: String
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    // libyaml reads the input lazily, so the bytes must stay at a fixed address until the end.
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var anchors: [String: YAMLNode] = [:]

    init(text: String) throws(YAMLError) {
        self.text = text
        let bytes = Array(text.utf8)
        // One spare byte so the pointer is never null even for empty text (libyaml asserts on null).
        input = .allocate(capacity: bytes.count + 1)
        _ = input.initialize(from: bytes + [0])
        parser = .allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            input.deallocate()
            parser.deallocate()
            throw YAMLError(stage: .memory, problem: "libyaml could not allocate a parser", line: 0, column: 0)
        }
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    func composeSingleDocument() throws(YAMLError) -> YAMLNode? {
        guard case .streamStart = try next().kind else {
            throw structureError("expected the start of the stream", at: (1, 1))
        }
        let first = try next()
        switch first.kind {
        case .streamEnd:
            return nil
        case .documentStart:
            break
        default:
            throw structureError("expected a document", at: first.mark)
        }
        let root = try composeNode(from: try next(), depth: 0)
        guard case .documentEnd = try next().kind else {
            throw structureError("expected the end of the document", at: first.mark)
        }
        let after = try next()
        guard case .streamEnd = after.kind else {
            throw YAMLError(
                stage: .composer, problem: "but found another document",
                line: after.mark.line, column: after.mark.column,
                context: "expected a single document in the stream", contextLine: 1, contextColumn: 1,
                snippet: YAMLError.snippet(in: text, line: after.mark.line, column: after.mark.column))
        }
        return root
    }

    // MARK: - Building nodes

    private func composeNode(from event: ParsedEvent, depth: Int) throws(YAMLError) -> YAMLNode {
        guard depth < Self.maximumDepth else {
            throw structureError("nesting deeper than \(Self.maximumDepth) levels", at: event.mark)
        }
        switch event.kind {
        case .alias(let name):
            guard let node = anchors[name] else {
                throw structureError("found undefined alias", at: event.mark)
            }
            return node
        case let .scalar(scalar, anchor):
            let node = YAMLNode.scalar(scalar)
            register(anchor, node)
            return node
        case .sequenceStart(let anchor):
            var nodes = [YAMLNode]()
            while true {
                let item = try next()
                if case .sequenceEnd = item.kind { break }
                nodes.append(try composeNode(from: item, depth: depth + 1))
            }
            let node = YAMLNode.sequence(nodes)
            register(anchor, node)
            return node
        case .mappingStart(let anchor):
            var mapping = YAMLMapping()
            var keyMarks = [Mark]()
            while true {
                let keyEvent = try next()
                if case .mappingEnd = keyEvent.kind { break }
                let key = try composeNode(from: keyEvent, depth: depth + 1)
                let value = try composeNode(from: try next(), depth: depth + 1)
                mapping.append(key: key, value: value)
                keyMarks.append(keyEvent.mark)
            }
            try checkDuplicates(mapping, keyMarks)
            let node = YAMLNode.mapping(mapping)
            register(anchor, node)
            return node
        default:
            throw structureError("unexpected event while composing a node", at: event.mark)
        }
    }

    private func register(_ anchor: String?, _ node: YAMLNode) {
        // A later anchor with the same name shadows the earlier one, as YAML specifies.
        if let anchor { anchors[anchor] = node }
    }

    /// Yams rejects mappings with equal keys (equal text and resolved tag) instead of keeping the last.
    private func checkDuplicates(_ mapping: YAMLMapping, _ marks: [Mark]) throws(YAMLError) {
        guard mapping.count > 1 else { return }
        var firstIndex = [YAMLNode: Int]()
        var duplicated = [Int]()
        for (index, key) in mapping.keys.enumerated() {
            if let first = firstIndex[key] {
                if !duplicated.contains(first) { duplicated.append(first) }
            } else {
                firstIndex[key] = index
            }
        }
        guard !duplicated.isEmpty else { return }
        let names = duplicated.map { mapping.keys[$0].string ?? "<uncovertable>" }
        let ordered = zip(names, duplicated).sorted { $0.0 < $1.0 }
        let mark = marks[ordered[0].1]
        let list = ordered.map { "'\($0.0)'" }.joined(separator: ", ")
        throw YAMLError(
            stage: .composer,
            problem: "expected all keys to be unique but found the following duplicated key(s): \(list)",
            line: mark.line, column: mark.column,
            snippet: YAMLError.snippet(in: text, line: mark.line, column: mark.column))
    }

    private func structureError(_ problem: String, at mark: Mark) -> YAMLError {
        YAMLError(stage: .composer, problem: problem, line: mark.line, column: mark.column,
                  snippet: YAMLError.snippet(in: text, line: mark.line, column: mark.column))
    }

    // MARK: - Events

    typealias Mark = (line: Int, column: Int)

    /// A libyaml event copied into Swift values, so the C event can be freed right away.
    struct ParsedEvent {
        enum Kind {
            case streamStart, streamEnd, documentStart, documentEnd
            case alias(String)
            case scalar(YAMLScalar, anchor: String?)
            case sequenceStart(anchor: String?), sequenceEnd
            case mappingStart(anchor: String?), mappingEnd
            case none
        }

        var kind: Kind
        var mark: Mark
    }

    private func next() throws(YAMLError) -> ParsedEvent {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            throw YAMLError(libyamlParser: parser.pointee, text: text)
        }
        defer { yaml_event_delete(&event) }
        let mark = (line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        let kind: ParsedEvent.Kind
        switch event.type {
        case YAML_STREAM_START_EVENT: kind = .streamStart
        case YAML_STREAM_END_EVENT: kind = .streamEnd
        case YAML_DOCUMENT_START_EVENT: kind = .documentStart
        case YAML_DOCUMENT_END_EVENT: kind = .documentEnd
        case YAML_ALIAS_EVENT: kind = .alias(Self.string(event.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let value: String
            if let pointer = data.value {
                // Scalars may contain NUL, so the length matters, not the terminator.
                value = String(decoding: UnsafeBufferPointer(start: pointer, count: data.length), as: UTF8.self)
            } else {
                value = ""
            }
            // Quoted and block scalars without a tag are strings; the style alone records that.
            let tag = data.quoted_implicit == 1 ? nil : Self.string(data.tag)
            kind = .scalar(YAMLScalar(value, style: Self.style(data.style), tag: tag), anchor: Self.string(data.anchor))
        case YAML_SEQUENCE_START_EVENT: kind = .sequenceStart(anchor: Self.string(event.data.sequence_start.anchor))
        case YAML_SEQUENCE_END_EVENT: kind = .sequenceEnd
        case YAML_MAPPING_START_EVENT: kind = .mappingStart(anchor: Self.string(event.data.mapping_start.anchor))
        case YAML_MAPPING_END_EVENT: kind = .mappingEnd
        default: kind = .none
        }
        return ParsedEvent(kind: kind, mark: mark)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
    }

    private static func strlen(_ pointer: UnsafeMutablePointer<yaml_char_t>) -> Int {
        var count = 0
        while pointer[count] != 0 { count += 1 }
        return count
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_PLAIN_SCALAR_STYLE: return .plain
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .any
        }
    }
}
