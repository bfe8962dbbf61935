struct JlinkRuntimeLibcMismatchRule: Rule {
    static let description = RuleDescription(
        id: "KB108", name: "jlink-runtime-libc-mismatch", severity: .error, category: .minimalImage,
        summary: "A Java runtime made by jlink is copied into an image with a different C library.",
        rationale: """
            Class files run on any JVM, but the runtime that jlink assembles is native code: its `java` \
            launcher and libjvm.so are linked against the C library of the JDK that ran jlink. A runtime \
            made with a glibc JDK (eclipse-temurin, the Debian packages) does not start on Alpine, and one \
            made on Alpine does not start on Debian. Run jlink in a stage with the same C library as the run \
            stage: an Alpine JDK for an Alpine runtime.
            """,
        article: "java-runtime-images.md",
        examples: [
            .triggering("""
                FROM eclipse-temurin:21-jdk AS jre
                RUN jlink --add-modules java.base --strip-debug --no-header-files --no-man-pages --output /jre
                FROM alpine:3.20
                ↓COPY --from=jre /jre /opt/jre
                COPY app.jar /app.jar
                CMD ["/opt/jre/bin/java", "-jar", "/app.jar"]
                """),
            .passing("""
                FROM eclipse-temurin:21-jdk-alpine AS jre
                RUN apk add --no-cache binutils && jlink --add-modules java.base --strip-debug --output /jre
                FROM alpine:3.20
                COPY --from=jre /jre /opt/jre
                CMD ["/opt/jre/bin/java", "-version"]
                """),
            .passing("""
                FROM eclipse-temurin:21-jdk AS jre
                RUN jlink --add-modules java.base --output /jre
                FROM debian:bookworm-slim
                COPY --from=jre /jre /opt/jre
                CMD ["/opt/jre/bin/java", "-version"]
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, let runtimeLibc = final.traits?.libc else { return }
        for shipped in build.shippedArtifacts(.javaRuntime) {
            guard let libc = shipped.artifact.libc, libc != runtimeLibc else { continue }
            findings.append(finding(shipped.placedBy, """
                The runtime at \(shipped.artifact.path) was made by jlink in stage '\(shipped.builtIn.displayName)' \
                (\(build.describeBase(of: shipped.builtIn)), \(libc.rawValue)), but \(build.describeBase(of: final)) \
                \(runtimeLibc == .none ? "has no C library" : "uses \(runtimeLibc.rawValue)"): its java launcher will not \
                start. Run jlink on a JDK with \(runtimeLibc == .none ? "the run image's" : runtimeLibc.rawValue) C library.
                """))
        }
    }
}
