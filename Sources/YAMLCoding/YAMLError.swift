/// A YAML syntax or structure error, located by 1-based line and column.
public struct YAMLError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Which stage rejected the text; it tells a reader whether the bytes, tokens or structure were wrong.
    public enum Stage: String, Sendable {
        case reader, scanner, parser, composer, emitter, memory
    }

    public var stage: Stage
    public var problem: String
    /// 1-based; 0 when libyaml gave no position.
    public var line: Int
    public var column: Int
    /// libyaml's "while scanning/parsing ..." note and where that construct started, if any.
    public var context: String?
    public var contextLine: Int?
    public var contextColumn: Int?
    /// The offending source line with a caret under the column, for people reading the message.
    public var snippet: String?

    public init(stage: Stage, problem: String, line: Int, column: Int,
                context: String? = nil, contextLine: Int? = nil, contextColumn: Int? = nil,
                snippet: String? = nil) {
        self.stage = stage
        self.problem = problem
        self.line = line
        self.column = column
        self.context = context
        self.contextLine = contextLine
        self.contextColumn = contextColumn
        self.snippet = snippet
    }

    // Shaped like Yams's YamlError description ("L:C: error: scanner: ...") so logs stay familiar.
    public var description: String {
        var text = "\(line):\(column): error: \(stage.rawValue): "
        if let context {
            text += context
            if let contextLine, let contextColumn {
                text += " in line \(contextLine), column \(contextColumn)"
            }
            text += "\n"
        }
        text += problem
        if let snippet {
            text += ":\n" + snippet
        }
        return text
    }
}

extension YAMLError {
    /// The source line `line` of `text` followed by a caret under `column` (both 1-based).
    static func snippet(in text: String, line: Int, column: Int) -> String? {
        guard line >= 1 else { return nil }
        // Split on scalars, not Characters: "\r\n" is one Character and would hide the break.
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count else { return nil }
        var lineText = String(String.UnicodeScalarView(lines[line - 1]))
        if lineText.unicodeScalars.last == "\r" { lineText.unicodeScalars.removeLast() }
        let caretOffset = max(0, min(column - 1, lineText.unicodeScalars.count))
        return lineText + "\n" + String(repeating: " ", count: caretOffset) + "^"
    }
}
