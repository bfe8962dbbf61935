import Foundation

/// The formats every reporting command accepts.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, sarif, github
}

/// What a report says about a rule or check beyond its findings (SARIF lists these).
public struct RuleDescriptor: Sendable, Hashable {
    public let id: String
    public let name: String
    public let summary: String
    public let severity: Severity
    /// Where the rule is documented, when there is such a page.
    public let helpURI: String?

    public init(id: String, name: String, summary: String, severity: Severity, helpURI: String? = nil) {
        self.id = id
        self.name = name
        self.summary = summary
        self.severity = severity
        self.helpURI = helpURI
    }
}

/// Turns diagnostics into one report in a format.
public enum Reporter {
    public static func render(
        _ diagnostics: [Diagnostic], as format: ReportFormat, rules: [RuleDescriptor] = [], toolVersion: String = "0"
    ) -> String {
        switch format {
        case .text: text(diagnostics)
        case .json: json(diagnostics)
        case .sarif: sarif(diagnostics, rules: rules, toolVersion: toolVersion)
        case .github: github(diagnostics)
        }
    }

    /// For the formats that print one line per finding (text, github), each finding's line,
    /// with its newline: the report is these joined. nil for the other formats.
    public static func lines(_ diagnostics: [Diagnostic], as format: ReportFormat) -> [String]? {
        switch format {
        case .text: diagnostics.map(textLine)
        case .github: diagnostics.map(githubLine)
        case .json, .sarif: nil
        }
    }

    /// `path:line:col: severity: message [ID name]`, one per line: what editors and people read.
    public static func text(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(textLine).joined()
    }

    private static func textLine(_ d: Diagnostic) -> String {
        "\(d.file):\(d.line):\(d.column): \(d.severity.rawValue): \(d.message) [\(d.rule) \(d.name)]\n"
    }

    /// An array of `{file, line, column, endLine, endColumn, severity, rule, name, message}`.
    public static func json(_ diagnostics: [Diagnostic]) -> String {
        encode(diagnostics)
    }

    /// GitHub Actions workflow commands: one annotation per finding.
    public static func github(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(githubLine).joined()
    }

    private static func githubLine(_ d: Diagnostic) -> String {
        let command: String
        switch d.severity {
        case .error: command = "error"
        case .warning: command = "warning"
        case .info, .style: command = "notice"
        }
        let properties = [
            "file=\(escapeProperty(d.file))", "line=\(d.line)", "col=\(d.column)",
            "endLine=\(d.endLine)", "endColumn=\(d.endColumn)",
            "title=\(escapeProperty("\(d.rule) \(d.name)"))",
        ]
        return "::\(command) \(properties.joined(separator: ","))::\(escapeData(d.message))\n"
    }

    /// SARIF 2.1.0, one run, with every rule that fired described in the driver.
    public static func sarif(_ diagnostics: [Diagnostic], rules: [RuleDescriptor], toolVersion: String) -> String {
        var known: [String: RuleDescriptor] = [:]
        for rule in rules { known[rule.id] = rule }
        // Describe every rule that fired, even one the caller did not list.
        var described: [RuleDescriptor] = []
        var index: [String: Int] = [:]
        for d in diagnostics where index[d.rule] == nil {
            index[d.rule] = 0
            described.append(known[d.rule] ?? RuleDescriptor(id: d.rule, name: d.name, summary: d.name, severity: d.severity))
        }
        described.sort { $0.id < $1.id }
        for (i, rule) in described.enumerated() { index[rule.id] = i }

        let log = SARIF.Log(runs: [SARIF.Run(
            tool: .init(driver: .init(
                name: "kb", version: toolVersion,
                rules: described.map { rule in
                    SARIF.Rule(
                        id: rule.id, name: rule.name,
                        shortDescription: .init(text: rule.summary),
                        helpUri: rule.helpURI,
                        defaultConfiguration: .init(level: level(rule.severity)))
                })),
            results: diagnostics.map { d in
                SARIF.Result(
                    ruleId: d.rule, ruleIndex: index[d.rule] ?? 0, level: level(d.severity),
                    message: .init(text: d.message),
                    locations: [.init(physicalLocation: .init(
                        artifactLocation: .init(uri: uri(d.file)),
                        region: region(d)))])
            })])
        return encode(log)
    }

    // MARK: - Pieces

    /// SARIF regions end one column after the last character; ours include it.
    static func region(_ d: Diagnostic) -> SARIF.Region {
        let endLine = max(d.endLine, d.line)
        let endColumn = endLine == d.line ? max(d.endColumn, d.column) : d.endColumn
        return SARIF.Region(startLine: d.line, startColumn: d.column, endLine: endLine, endColumn: endColumn + 1)
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info, .style: "note"
        }
    }

    /// A relative path as a URI reference: `/` kept, everything unusual percent-encoded.
    static func uri(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":;")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    private static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "[]\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The subset of SARIF 2.1.0 that kb writes.
enum SARIF {
    struct Log: Encodable {
        let version = "2.1.0"
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        let runs: [Run]
        enum CodingKeys: String, CodingKey { case version, schema = "$schema", runs }
    }
    struct Run: Encodable {
        let tool: Tool
        let results: [Result]
    }
    struct Tool: Encodable { let driver: Driver }
    struct Driver: Encodable {
        let name: String
        let version: String
        let rules: [Rule]
    }
    struct Rule: Encodable {
        let id: String
        let name: String
        let shortDescription: Text
        let helpUri: String?
        let defaultConfiguration: Configuration
    }
    struct Configuration: Encodable { let level: String }
    struct Text: Encodable { let text: String }
    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Text
        let locations: [Location]
    }
    struct Location: Encodable { let physicalLocation: PhysicalLocation }
    struct PhysicalLocation: Encodable {
        let artifactLocation: ArtifactLocation
        let region: Region
    }
    struct ArtifactLocation: Encodable { let uri: String }
    struct Region: Encodable {
        let startLine: Int
        let startColumn: Int
        let endLine: Int
        let endColumn: Int
    }
}
