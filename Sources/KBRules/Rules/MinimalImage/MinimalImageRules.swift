extension RuleRegistry {
    /// KB1xx: images that cannot work (a binary without its C library, a command without a shell).
    static let minimalImageRules: [any Rule.Type] = [
        DynamicBinaryInEmptyImageRule.self,
        LibcMismatchRule.self,
        GoCgoBinaryInMinimalImageRule.self,
        NetgoIsNotStaticRule.self,
        NamedUserWithoutPasswdRule.self,
        CopyFromRelativePathRule.self,
        ShellFormWithoutShellRule.self,
        JlinkRuntimeLibcMismatchRule.self,
        JavaClassesNewerThanRuntimeRule.self,
        MissingCACertificatesRule.self,
        TimeZoneWithoutZoneinfoRule.self,
        ApkGccWithoutLibcHeadersRule.self,
        JlinkStripDebugWithoutObjcopyRule.self,
        DynamicBinaryOnBusyboxGlibcRule.self,
        HandCopiedGlibcRule.self,
    ]
}
