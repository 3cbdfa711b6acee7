import CYAML

extension YAMLNode {
    /// Block-style YAML text for this tree, byte for byte what `Yams.serialize(node:)` writes:
    /// libyaml's emitter with Yams's default settings (2-space indent, 80 columns, ASCII-only
    /// output with escapes, "\n" breaks), ending with a newline.
    ///
    /// libyaml's emitter only fails for malformed event sequences, which a tree cannot produce, or
    /// when out of memory; in that case the result is empty. Use `emitted()` to see the error.
    public func serialized() -> String {
        (try? emitted()) ?? ""
    }

    /// Like `serialized()`, but reports an emitter failure instead of returning "".
    public func emitted() throws(YAMLError) -> String {
        let emitter = try YAMLEmitter()
        return try emitter.document(self)
    }
}

/// Feeds a node tree to libyaml's emitter as events and collects the text it writes.
final class YAMLEmitter {
    /// Receives libyaml's output chunks; a class so the C callback can reach it through a pointer.
    private final class Sink {
        var bytes: [UInt8] = []
    }

    private let emitter: UnsafeMutablePointer<yaml_emitter_t>
    private let sink = Sink()

    init() throws(YAMLError) {
        emitter = .allocate(capacity: 1)
        guard yaml_emitter_initialize(emitter) == 1 else {
            emitter.deallocate()
            throw YAMLError(stage: .memory, problem: "libyaml could not allocate an emitter", line: 0, column: 0)
        }
        yaml_emitter_set_output(emitter, { context, buffer, size in
            guard let context, let buffer else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, Unmanaged.passUnretained(sink).toOpaque())
        // The settings Yams passes by default; 0 for indent and width make libyaml use 2 and 80.
        yaml_emitter_set_canonical(emitter, 0)
        yaml_emitter_set_indent(emitter, 0)
        yaml_emitter_set_width(emitter, 0)
        yaml_emitter_set_unicode(emitter, 0)
        yaml_emitter_set_break(emitter, YAML_LN_BREAK)
        yaml_emitter_set_encoding(emitter, YAML_UTF8_ENCODING)
    }

    deinit {
        yaml_emitter_delete(emitter)
        emitter.deallocate()
    }

    func document(_ node: YAMLNode) throws(YAMLError) -> String {
        var event = yaml_event_t()
        yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING)
        try emit(&event)
        yaml_document_start_event_initialize(&event, nil, nil, nil, 1)
        try emit(&event)
        try emitNode(node)
        yaml_document_end_event_initialize(&event, 1)
        try emit(&event)
        yaml_stream_end_event_initialize(&event)
        try emit(&event)
        guard yaml_emitter_flush(emitter) == 1 else { throw emitterError() }
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    private func emitNode(_ node: YAMLNode) throws(YAMLError) {
        var event = yaml_event_t()
        switch node {
        case .scalar(let scalar):
            var value = Array(scalar.string.utf8)
            value.append(0)
            let length = Int32(clamping: value.count - 1)
            let created = value.withUnsafeBufferPointer { buffer in
                // Both "implicit" flags set, as Yams does: tags are never written for scalars.
                yaml_scalar_event_initialize(&event, nil, nil, buffer.baseAddress, length, 1, 1,
                                             Self.libyamlStyle(scalar.style))
            }
            guard created == 1 else { throw emitterError() }
            try emit(&event)
        case .sequence(let nodes):
            yaml_sequence_start_event_initialize(&event, nil, nil, 1, YAML_ANY_SEQUENCE_STYLE)
            try emit(&event)
            for item in nodes { try emitNode(item) }
            yaml_sequence_end_event_initialize(&event)
            try emit(&event)
        case .mapping(let mapping):
            yaml_mapping_start_event_initialize(&event, nil, nil, 1, YAML_ANY_MAPPING_STYLE)
            try emit(&event)
            for (key, value) in mapping {
                try emitNode(key)
                try emitNode(value)
            }
            yaml_mapping_end_event_initialize(&event)
            try emit(&event)
        }
    }

    private func emit(_ event: inout yaml_event_t) throws(YAMLError) {
        // libyaml takes ownership of the event whether or not emitting succeeds.
        guard yaml_emitter_emit(emitter, &event) == 1 else { throw emitterError() }
    }

    private func emitterError() -> YAMLError {
        let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "libyaml emitter failed"
        return YAMLError(stage: emitter.pointee.error == YAML_MEMORY_ERROR ? .memory : .emitter,
                         problem: problem, line: 0, column: 0)
    }

    private static func libyamlStyle(_ style: YAMLScalar.Style) -> yaml_scalar_style_t {
        switch style {
        case .any: return YAML_ANY_SCALAR_STYLE
        case .plain: return YAML_PLAIN_SCALAR_STYLE
        case .singleQuoted: return YAML_SINGLE_QUOTED_SCALAR_STYLE
        case .doubleQuoted: return YAML_DOUBLE_QUOTED_SCALAR_STYLE
        case .literal: return YAML_LITERAL_SCALAR_STYLE
        case .folded: return YAML_FOLDED_SCALAR_STYLE
        }
    }
}
