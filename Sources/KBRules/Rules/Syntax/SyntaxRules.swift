extension RuleRegistry {
    /// KB0xx: what BuildKit refuses or warns about.
    static let syntaxRules: [any Rule.Type] = [
        ParseErrorRule.self,
        UnknownInstructionRule.self,
        EmptyContinuationLineRule.self,
        InconsistentInstructionCasingRule.self,
        DuplicateStageNameRule.self,
        CopyFromUnknownStageRule.self,
        UndefinedVariableRule.self,
        FromAsCasingRule.self,
        StageNameCasingRule.self,
        MaintainerDeprecatedRule.self,
        InstructionArgumentsRule.self,
    ]
}
