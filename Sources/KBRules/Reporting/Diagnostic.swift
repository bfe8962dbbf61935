/// How serious a finding or a failed check is. Ordered from most to least serious.
public enum Severity: String, Codable, CaseIterable, Sendable, Comparable {
    case error, warning, info, style

    private var rank: Int { Severity.allCases.firstIndex(of: self)! }

    /// `error < warning`: a smaller value is more serious.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The threshold at or above which a finding fails a command (`--fail-on`).
public enum FailureThreshold: String, Codable, CaseIterable, Sendable {
    case error, warning, info, style, never

    /// Whether a finding of this severity fails the run.
    public func fails(_ severity: Severity) -> Bool {
        guard let limit = Severity(rawValue: rawValue) else { return false }
        return severity <= limit
    }
}

/// One problem at one place: a rule's finding in a Dockerfile, or a failed check in the
/// knowledge base. Every command reports these, in every format.
public struct Diagnostic: Codable, Sendable, Hashable {
    /// Path as the user should see it (relative to the knowledge base root where possible).
    public var file: String
    /// 1-based line and column; `endLine`/`endColumn` are inclusive of the last character.
    public var line: Int
    public var column: Int
    public var endLine: Int
    public var endColumn: Int
    public var severity: Severity
    /// Stable identifier: a rule ID (`KB101`) or a check ID (`KC010`).
    public var rule: String
    /// Kebab-case name that goes with the identifier.
    public var name: String
    public var message: String

    public init(
        file: String, line: Int, column: Int = 1, endLine: Int? = nil, endColumn: Int? = nil,
        severity: Severity, rule: String, name: String, message: String
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.endLine = endLine ?? line
        self.endColumn = endColumn ?? column
        self.severity = severity
        self.rule = rule
        self.name = name
        self.message = message
    }
}

extension Diagnostic: Comparable {
    /// File, then position, then rule: the order reports print in.
    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.file, a.line, a.column, a.rule, a.message) < (b.file, b.line, b.column, b.rule, b.message)
    }
}

/// A diagnostic can be thrown or carried in a `Result` where one problem stops the work.
extension Diagnostic: Error {}

/// Several problems found together, where the work stops but every problem is worth reporting.
public struct Diagnostics: Error, Sendable {
    public var all: [Diagnostic]
    public init(_ all: [Diagnostic]) { self.all = all }
}
