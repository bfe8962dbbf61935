/// Which rules run and how loud they are: kb.yaml's `rules:` and `fail_on`, resolved
/// against the registry so that a typo in a rule ID is an error, not a silent no-op.
public struct RuleConfiguration: Sendable {
    /// Rule ID → severity override.
    public private(set) var severities: [String: Severity] = [:]
    /// Rule IDs that do not run.
    public private(set) var disabled: Set<String> = []

    public init() {}

    /// A setting as read from a file: a rule ID or name, a severity or nil for `off`.
    public struct Setting: Sendable {
        public let rule: String
        public let severity: Severity?
        public let file: String
        public let line: Int

        public init(rule: String, severity: Severity?, file: String, line: Int) {
            self.rule = rule
            self.severity = severity
            self.file = file
            self.line = line
        }
    }

    /// Applies settings in order; unknown rules are reported, all of them.
    public init(settings: [Setting]) throws(Diagnostics) {
        var problems: [Diagnostic] = []
        for setting in settings {
            guard let rule = RuleRegistry.rule(setting.rule) else {
                problems.append(Diagnostic(
                    file: setting.file, line: setting.line, severity: .error, rule: "KC090", name: "invalid-configuration",
                    message: "unknown rule '\(setting.rule)'\(RuleRegistry.suggestion(for: setting.rule)); `kb rules` lists them"))
                continue
            }
            let id = type(of: rule).description.id
            if let severity = setting.severity {
                severities[id] = severity
                disabled.remove(id)
            } else {
                disabled.insert(id)
            }
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
    }

    // Asked for every rule on every Dockerfile: an empty set or table answers without
    // hashing the ID.
    public func isEnabled(_ id: String) -> Bool { disabled.isEmpty || !disabled.contains(id) }

    public func severity(of id: String) -> Severity? { severities.isEmpty ? nil : severities[id] }
}
