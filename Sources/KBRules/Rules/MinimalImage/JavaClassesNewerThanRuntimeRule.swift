struct JavaClassesNewerThanRuntimeRule: Rule {
    static let description = RuleDescription(
        id: "KB109", name: "java-classes-newer-than-runtime", severity: .error, category: .minimalImage,
        summary: "Classes compiled for a newer Java than the runtime image provides.",
        rationale: """
            javac writes class files for its own Java version unless told otherwise, and a JVM refuses \
            class files newer than itself with java.lang.UnsupportedClassVersionError. Building with JDK 21 \
            and running on a Java 8 JRE therefore fails at start. Use the same major version in both stages, \
            or compile with `--release N` for the runtime's version N.
            """,
        article: "java-runtime-images.md",
        examples: [
            .triggering("""
                FROM eclipse-temurin:21-jdk AS build
                COPY Main.java /src/
                RUN javac -d /out /src/Main.java
                FROM eclipse-temurin:8-jre
                ↓COPY --from=build /out /app
                CMD ["java", "-cp", "/app", "Main"]
                """),
            .passing("""
                FROM eclipse-temurin:21-jdk AS build
                COPY Main.java /src/
                RUN javac --release 8 -d /out /src/Main.java
                FROM eclipse-temurin:8-jre
                COPY --from=build /out /app
                CMD ["java", "-cp", "/app", "Main"]
                """),
            .passing("""
                FROM eclipse-temurin:17-jdk AS build
                COPY Main.java /src/
                RUN javac -d /out /src/Main.java
                FROM eclipse-temurin:21-jre
                COPY --from=build /out /app
                CMD ["java", "-cp", "/app", "Main"]
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, let runtime = final.traits?.javaVersion else { return }
        for shipped in build.shippedArtifacts(.javaClasses) where shipped.artifact.copiedBy.last != nil {
            guard let level = shipped.artifact.javaRelease ?? shipped.artifact.javaVersion, level > runtime else { continue }
            let how = shipped.artifact.javaRelease != nil ? "--release \(level)" : "JDK \(level)'s default level"
            findings.append(finding(shipped.placedBy, """
                \(shipped.artifact.path) holds classes compiled for Java \(level) (\(how)), but the run image has \
                Java \(runtime): the JVM will refuse them with UnsupportedClassVersionError. Compile with \
                --release \(runtime), or run on Java \(level).
                """))
        }
    }
}
