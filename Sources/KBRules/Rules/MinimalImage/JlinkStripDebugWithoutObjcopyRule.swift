struct JlinkStripDebugWithoutObjcopyRule: Rule {
    static let description = RuleDescription(
        id: "KB113", name: "jlink-strip-debug-without-objcopy", severity: .warning, category: .minimalImage,
        summary: "`jlink --strip-debug` in a stage without objcopy.",
        rationale: """
            Since JDK 13, `jlink --strip-debug` strips native debug symbols by running objcopy, from \
            binutils. Images without binutils (Alpine, Debian's base images) fail with \
            `Cannot run program "objcopy": error=2, No such file or directory`. Install binutils in the \
            jlink stage, or use `--strip-java-debug-attributes`, which needs no native tool.
            """,
        article: "java-runtime-images.md",
        examples: [
            .triggering("""
                FROM alpine:3.20 AS jre
                RUN apk add --no-cache openjdk21-jdk
                ↓RUN jlink --add-modules java.base --strip-debug --output /jre
                """),
            .passing("""
                FROM alpine:3.20 AS jre
                RUN apk add --no-cache openjdk21-jdk binutils
                RUN jlink --add-modules java.base --strip-debug --output /jre
                """),
            .passing("""
                FROM alpine:3.20 AS jre
                RUN apk add --no-cache openjdk21-jdk
                RUN jlink --add-modules java.base --strip-java-debug-attributes --output /jre
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for stage in build.stages where stage.traits?.hasObjcopy == false {
            for (command, run) in stage.commands where command.program == "jlink" && command.has("--strip-debug") {
                if let version = stage.traits?.javaVersion, version < 13 { continue }
                findings.append(finding(run, """
                    jlink --strip-debug runs objcopy, and stage '\(stage.displayName)' has no binutils: jlink will fail. \
                    Install binutils in this stage, or use --strip-java-debug-attributes.
                    """))
            }
        }
    }
}
