import KBDockerfile

struct DeprecatedBaseImageRule: Rule {
    static let description = RuleDescription(
        id: "KB301", name: "deprecated-base-image", severity: .warning, category: .practice,
        summary: "A stage is built on an image that is no longer maintained.",
        rationale: """
            An image that is no longer updated no longer gets security fixes, and its tags stop following \
            new releases. Two Java images are the common case: `java`, deprecated in favour of `openjdk` \
            with no updates after 2016-12-31 and removed from the official library in 2017 \
            (docker-library/docs#660), and `openjdk` itself, deprecated since July 2022, when only \
            early-access builds kept being published. Eclipse Temurin, Amazon Corretto, IBM Semeru \
            Runtimes and SapMachine publish maintained images of the same Java versions. kb's image \
            catalog records which images are deprecated and why.
            """,
        article: "java-runtime-images.md#deprecated-images",
        examples: [
            .triggering("""
                ↓FROM java:8
                COPY app.jar /app.jar
                CMD ["java", "-jar", "/app.jar"]
                """),
            .triggering("""
                ↓FROM openjdk:17-jdk-slim AS build
                COPY . /src
                RUN javac -d /out /src/Main.java
                FROM eclipse-temurin:17-jre
                COPY --from=build /out /app
                CMD ["java", "-cp", "/app", "Main"]
                """, note: "Build stages too: they stop getting fixes just the same."),
            .passing("""
                FROM eclipse-temurin:21-jre
                COPY app.jar /app.jar
                CMD ["java", "-jar", "/app.jar"]
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for stage in build.stages {
            guard case let .image(reference) = stage.base, let reason = stage.baseTraits?.deprecation else { continue }
            let written = stage.from.fromParts.image
            findings.append(finding(at: stage.from.sourceRange(ofWord: written) ?? stage.from.range, "\(reference) is deprecated: \(reason)"))
        }
    }
}
