import KBDockerfile

struct JdkAsJavaRuntimeRule: Rule {
    static let description = RuleDescription(
        id: "KB202", name: "jdk-as-java-runtime", severity: .warning, category: .imageSize,
        summary: "A full JDK in the final image, which only runs java.",
        rationale: """
            The JDK is the Java runtime plus the compiler and the development tools (javac, jar, jdeps, \
            jlink, the jmods). Running a program needs only the runtime. When the final stage compiles \
            nothing and only starts `java`, a JRE image or package of the same version is enough, and a \
            runtime cut down with jlink is smaller still. In "The Quest for Minimal Docker Images" \
            (part 2, 2020), a Java hello world was 490 MB on `openjdk`, 267 MB on `openjdk:11-jre`, 106 MB \
            with a jlink runtime on `ubuntu` and 47 MB with one on `alpine`. Debian splits its packages \
            the same way: `openjdk-17-jre-headless` instead of `openjdk-17-jdk-headless`.
            """,
        article: "java-runtime-images.md#jdk-to-build-jre-to-run",
        examples: [
            .triggering("""
                ↓FROM eclipse-temurin:21-jdk
                COPY target/app.jar /app.jar
                CMD ["java", "-jar", "/app.jar"]
                """),
            .triggering("""
                FROM debian:bookworm-slim
                ↓RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jdk-headless \\
                 && rm -rf /var/lib/apt/lists/*
                COPY app.jar /app.jar
                CMD ["java", "-jar", "/app.jar"]
                """, note: "A JDK installed from packages."),
            .passing("""
                FROM eclipse-temurin:21-jdk AS build
                COPY . /src
                RUN javac -d /out /src/Main.java
                FROM eclipse-temurin:21-jre
                COPY --from=build /out /app
                CMD ["java", "-cp", "/app", "Main"]
                """),
            .passing("""
                FROM eclipse-temurin:21-jdk
                COPY Main.java /src/
                RUN javac -d /app /src/Main.java
                CMD ["java", "-cp", "/app", "Main"]
                """, note: "The stage compiles, so the JDK is used (KB201 is about that)."),
        ])

    static let jdkTools: Set<String> = ["javac", "jar", "jlink", "jdeps", "jpackage", "native-image", "mvn", "mvnw", "gradle", "gradlew", "sbt", "jshell"]

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, final.traits?.java == .jdk else { return }
        let lineage = build.lineage(of: final)
        let commands = lineage.flatMap(\.commands)
        guard !commands.contains(where: { $0.command.program.map(JdkAsJavaRuntimeRule.jdkTools.contains) ?? false }) else { return }
        let startup = lineage.lazy.map(\.effectiveCommands).first { !$0.isEmpty } ?? []
        guard startup.contains(where: { build.commands(of: $0).contains { $0.program == "java" } }) else { return }

        if let root = lineage.last, root.baseTraits?.java == .jdk, let image = build.rootImage(of: final) {
            findings.append(finding(at: root.from.sourceRange(ofWord: root.from.fromParts.image) ?? root.from.range, """
                \(image) is a full JDK, and \(final.mention) only runs java: use a runtime image such as \
                \(JdkAsJavaRuntimeRule.runtimeImage(for: image, version: final.traits?.javaVersion)), or a jlink runtime
                """))
            return
        }
        let jdkPackages = final.installedPackages.filter { $0.containsBytes("jdk") && !$0.containsBytes("jre") }.sorted()
        guard let package = jdkPackages.first else { return }
        let install = commands.first { $0.command.words.contains { $0.lowercased().hasPrefix(package) } }
        let location = install.map { $0.run.sourceRange(ofWord: package) ?? $0.run.range } ?? final.from.range
        findings.append(finding(at: location, """
            \(package) is a full JDK, and \(final.mention) only runs java: install \(JdkAsJavaRuntimeRule.runtimePackage(for: package)) instead
            """))
    }

    /// `eclipse-temurin:21-jdk` → `eclipse-temurin:21-jre`; deprecated or JDK-only images → Temurin's JRE.
    static func runtimeImage(for image: ImageReference, version: Int?) -> String {
        let tag = image.tagText
        if ["eclipse-temurin", "ibm-semeru-runtimes", "sapmachine"].contains(image.name) {
            if tag.containsBytes("jdk") { return "\(image.name):\(tag.replacing("jdk", with: "jre", maxReplacements: 1))" }
            if let major = image.majorVersion {
                let rest = tag.drop(while: { $0.isNumber || $0 == "." })
                return "\(image.name):\(major)-jre\(rest)"
            }
        }
        return "eclipse-temurin:\(version.map(String.init) ?? "21")-jre"
    }

    /// `openjdk-17-jdk-headless` → `openjdk-17-jre-headless`, `default-jdk` → `default-jre`.
    static func runtimePackage(for package: String) -> String {
        if package.hasSuffix("-devel") { return String(package.dropLast("-devel".count)) + "-headless" }
        if package.containsBytes("-jdk") { return package.replacing("-jdk", with: "-jre", maxReplacements: 1) }
        return package.replacing("jdk", with: "jre", maxReplacements: 1)
    }
}
