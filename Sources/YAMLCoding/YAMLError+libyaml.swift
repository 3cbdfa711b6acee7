import CYAML

extension YAMLError {
    /// Translates the error state libyaml leaves in a parser after `yaml_parser_parse` fails.
    init(libyamlParser parser: yaml_parser_t, text: String) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown libyaml error"
        let stage: Stage
        switch parser.error {
        case YAML_MEMORY_ERROR: stage = .memory
        case YAML_READER_ERROR: stage = .reader
        case YAML_SCANNER_ERROR: stage = .scanner
        case YAML_PARSER_ERROR: stage = .parser
        default: stage = .composer
        }
        if stage == .reader {
            // Reader errors carry a byte offset instead of a mark.
            let (line, column) = Self.position(ofByteOffset: parser.problem_offset, in: text)
            self.init(stage: stage, problem: problem, line: line, column: column,
                      snippet: Self.snippet(in: text, line: line, column: column))
            return
        }
        let line = Int(parser.problem_mark.line) + 1
        let column = Int(parser.problem_mark.column) + 1
        var context: String?
        var contextLine: Int?
        var contextColumn: Int?
        if let pointer = parser.context {
            context = String(cString: pointer)
            contextLine = Int(parser.context_mark.line) + 1
            contextColumn = Int(parser.context_mark.column) + 1
        }
        self.init(stage: stage, problem: problem, line: line, column: column,
                  context: context, contextLine: contextLine, contextColumn: contextColumn,
                  snippet: Self.snippet(in: text, line: line, column: column))
    }

    /// 1-based line and column (in Unicode scalars, as libyaml counts) of a UTF-8 byte offset.
    static func position(ofByteOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var consumed = 0
        for scalar in text.unicodeScalars {
            guard consumed < offset else { break }
            consumed += UTF8.width(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
