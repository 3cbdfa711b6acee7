import ArgumentParser

/// `collectorctl agent list` and `agents lst`: ArgumentParser says only
/// "unexpected argument". This walks the words typed down the command tree
/// and, at the first word that is no command there, names the nearest one.
enum CommandSuggestion {
    /// A line for the user, or nil when the words name commands all the way
    /// down (the mistake is elsewhere: an option, an argument).
    static func message(for arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command = root
        var path: [String] = []
        for (index, word) in arguments.enumerated() {
            let subcommands = command.configuration.subcommands
            // A leaf takes arguments; a default subcommand takes them too.
            guard !word.hasPrefix("-"), !subcommands.isEmpty, command.configuration.defaultSubcommand == nil else { return nil }
            if let next = subcommands.first(where: { names(of: $0).contains(word) }) {
                command = next
                path.append(word)
                continue
            }
            let typed = (path + [word]).joined(separator: " ")
            let choices = subcommands.map { $0._commandName }
            guard let nearest = nearest(to: word, in: choices) else {
                return "unknown command '\(typed)'; the commands there are: \(choices.joined(separator: ", "))"
            }
            // The rest of the command words, so the suggestion can be pasted.
            let rest = arguments[(index + 1)...].prefix { !$0.hasPrefix("-") }
            let corrected = ([root._commandName] + path + [nearest] + rest).joined(separator: " ")
            return "unknown command '\(typed)'; did you mean '\(corrected)'?"
        }
        return nil
    }

    private static func names(of command: any ParsableCommand.Type) -> [String] {
        [command._commandName] + command.configuration.aliases
    }

    /// The closest name within two edits, or one the word begins.
    static func nearest(to word: String, in names: [String]) -> String? {
        let ranked = names.map { (name: $0, distance: distance(word.lowercased(), $0)) }.sorted { $0.distance < $1.distance }
        if let best = ranked.first, best.distance <= min(2, max(1, word.count / 2)) { return best.name }
        if word.count >= 2, let prefixed = names.first(where: { $0.hasPrefix(word.lowercased()) }) { return prefixed }
        return nil
    }

    /// Levenshtein distance, with a swap of neighbours counting as one edit
    /// (`lsit` is one slip from `list`).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
