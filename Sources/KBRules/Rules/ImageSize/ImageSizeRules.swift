extension RuleRegistry {
    /// KB2xx: bytes the image carries for nothing.
    static let imageSizeRules: [any Rule.Type] = [
        SingleStageToolchainImageRule.self,
        JdkAsJavaRuntimeRule.self,
        FullInterpreterRuntimeImageRule.self,
        AptListsNotRemovedRule.self,
        AptInstallRecommendsRule.self,
        ApkWithoutNoCacheRule.self,
        PipCacheKeptRule.self,
        PythonAlpineNativePackagesRule.self,
        BuildDepsLeftInAlpinePythonRule.self,
        AssetsBuiltInAppStageRule.self,
        UpxCompressedBinaryRule.self,
        ArchiveUnpackedAtStartRule.self,
        UnstrippedBinaryRule.self,
    ]
}
