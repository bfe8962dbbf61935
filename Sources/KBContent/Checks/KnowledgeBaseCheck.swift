import KBRules

/// A check kb runs on a knowledge base, with a stable ID (`KC010`) and name like a rule's.
public protocol KnowledgeBaseCheck: RawRepresentable, Sendable where RawValue == String {
    var name: String { get }
    var severity: Severity { get }
}

extension KnowledgeBaseCheck {
    public var id: String { rawValue }

    /// A diagnostic of this check at a place.
    public func at(_ file: String, line: Int, column: Int = 1, _ message: String) -> Diagnostic {
        Diagnostic(file: file, line: line, column: column, severity: severity, rule: id, name: name, message: message)
    }
}
