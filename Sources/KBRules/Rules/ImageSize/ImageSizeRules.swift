extension RuleRegistry {
    /// KB2xx: bytes the image carries for nothing.
    static let imageSizeRules: [any Rule.Type] = [
    ]
}
