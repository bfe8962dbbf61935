extension RuleRegistry {
    /// KB3xx: the general checks users rely on from hadolint and BuildKit.
    static let practiceRules: [any Rule.Type] = [
    ]
}
