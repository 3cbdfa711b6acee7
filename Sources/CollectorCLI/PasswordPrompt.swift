#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Reads a new password: from a terminal twice without echo, or, with
/// `--password-stdin`, the first line of standard input (for scripts).
enum PasswordPrompt {
    static func read(fromStandardInput: Bool) throws -> String {
        if fromStandardInput || isatty(STDIN_FILENO) == 0 {
            guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
                throw CLIError("no password on standard input", exitCode: 64)
            }
            return line
        }
        let first = try hidden("Password: ")
        let second = try hidden("Again: ")
        guard first == second else { throw CLIError("the two passwords differ; nothing changed", exitCode: 64) }
        return first
    }

    /// One line from the terminal with echo off, restored however it ends.
    static func hidden(_ prompt: String) throws -> String {
        Output.toStandardError(prompt)
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw CLIError("cannot read a password from this terminal", exitCode: 64) }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            Output.toStandardError("\n")
        }
        return Swift.readLine(strippingNewline: true) ?? ""
    }
}
