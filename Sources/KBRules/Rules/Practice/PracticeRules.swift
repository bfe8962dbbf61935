extension RuleRegistry {
    /// KB3xx: the general checks users rely on from hadolint and BuildKit.
    static let practiceRules: [any Rule.Type] = [
        DeprecatedBaseImageRule.self,
        ImageTagMissingOrLatestRule.self,
        JsonFormRecommendedRule.self,
        MultipleCmdOrEntrypointRule.self,
        SudoInRunRule.self,
        AddForLocalFilesRule.self,
        SecretInArgOrEnvRule.self,
        CdInsteadOfWorkdirRule.self,
        FinalUserIsRootRule.self,
        RelativeWorkdirRule.self,
        NumericStageReferenceRule.self,
        AptInsteadOfAptGetRule.self,
    ]
}
