import Foundation

/// The formats every reporting command accepts.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json
}

/// Turns diagnostics into one report in a format.
public enum Reporter {
    public static func render(_ diagnostics: [Diagnostic], as format: ReportFormat) -> String {
        switch format {
        case .text: text(diagnostics)
        case .json: json(diagnostics)
        }
    }

    /// `path:line:col: severity: message [ID name]`, one per line: what editors and people read.
    public static func text(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { "\($0.file):\($0.line):\($0.column): \($0.severity.rawValue): \($0.message) [\($0.rule) \($0.name)]\n" }
            .joined()
    }

    /// An array of `{file, line, column, endLine, endColumn, severity, rule, name, message}`.
    public static func json(_ diagnostics: [Diagnostic]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(diagnostics) else { return "[]\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
