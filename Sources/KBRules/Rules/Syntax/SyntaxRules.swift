extension RuleRegistry {
    /// KB0xx: what BuildKit refuses or warns about.
    static let syntaxRules: [any Rule.Type] = [
        ParseErrorRule.self,
    ]
}
