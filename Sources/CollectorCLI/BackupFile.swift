/// The JSON files `export-json` writes and `import-json` reads.
enum BackupFile {
    static func read(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CLIError("cannot read \(path)") }
        return text
    }
}
