extension RuleRegistry {
    /// KB1xx: images that cannot work (a binary without its C library, a command without a shell).
    static let minimalImageRules: [any Rule.Type] = [
    ]
}
