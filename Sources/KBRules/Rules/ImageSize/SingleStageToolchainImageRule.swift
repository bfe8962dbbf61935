import KBDockerfile

struct SingleStageToolchainImageRule: Rule {
    static let description = RuleDescription(
        id: "KB201", name: "single-stage-toolchain-image", severity: .warning, category: .imageSize,
        summary: "The image that runs the program is also the one that compiled it, toolchain included.",
        rationale: """
            A compiler, its headers and the language's SDK are needed to build a program, never to run \
            it. When the final stage compiles and then runs the result, all of it ships. In "The Quest for \
            Minimal Docker Images" (part 1, 2020), a C hello world was 1.14 GB on the `gcc` image and \
            64.2 MB when compiled in one stage and copied into `ubuntu`; a Go hello world was 805 MB on \
            `golang` and 66.2 MB the same way. A multi-stage build keeps the toolchain in a build stage and \
            copies only the program into the run stage. kb reports it when the final stage is built on a \
            toolchain image or installs one (gcc, golang-go, rustc, a JDK…), compiles there, and has a \
            CMD or ENTRYPOINT that runs something other than a shell or the toolchain itself, so images \
            that are meant to be build environments are left alone.
            """,
        article: "multi-stage-builds.md#why-a-single-stage-carries-too-much",
        examples: [
            .triggering("""
                ↓FROM gcc:13
                COPY main.c /src/
                RUN gcc -O2 -o /usr/local/bin/tool /src/main.c
                CMD ["tool"]
                """),
            .triggering("""
                ↓FROM debian:bookworm
                RUN apt-get update && apt-get install -y --no-install-recommends golang-go && rm -rf /var/lib/apt/lists/*
                WORKDIR /src
                COPY . .
                RUN go build -o /usr/local/bin/hello .
                CMD ["/usr/local/bin/hello"]
                """, note: "A toolchain installed from packages ships just the same."),
            .passing("""
                FROM gcc:13 AS build
                COPY main.c /src/
                RUN gcc -O2 -o /out/tool /src/main.c
                FROM debian:bookworm-slim
                COPY --from=build /out/tool /usr/local/bin/tool
                CMD ["tool"]
                """),
            .passing("""
                FROM golang:1.22
                WORKDIR /src
                COPY . .
                RUN go build ./...
                CMD ["bash"]
                """, note: "A build environment that starts a shell is meant to have its toolchain."),
        ])

    /// CMD programs that mean the image is a build or development environment.
    static let environmentPrograms: Set<String> = [
        "sh", "bash", "ash", "dash", "zsh", "go", "cargo", "rustc", "gcc", "cc", "clang", "make", "cmake", "mvn", "gradle",
        "gradlew", "javac", "jshell", "npm", "yarn", "sleep", "tail",
    ]
    static let opaqueBuildPrograms: Set<String> = ["make", "cmake", "ninja", "meson", "gradle", "gradlew", "bazel"]

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage else { return }
        let lineage = build.lineage(of: final)
        let lineageIndices = Set(lineage.map(\.index))

        // What the final image carries to build with.
        var toolchain: [String] = []
        if let root = lineage.last, root.baseTraits?.isToolchain == true, let image = build.rootImage(of: final) {
            toolchain.append("the toolchain image \(image)")
        }
        let packages = final.installedPackages.filter(PackageKinds.isToolchain).sorted()
        if !packages.isEmpty { toolchain.append("the package\(packages.count == 1 ? "" : "s") \(packages.joined(separator: ", "))") }
        guard !toolchain.isEmpty else { return }

        // That it compiles there.
        let compiled = final.artifacts.first { lineageIndices.contains($0.builtInStage) && $0.copiedBy.isEmpty && $0.kind != .javaRuntime }
        let opaque = lineage.flatMap(\.commands).first { $0.command.program.map(SingleStageToolchainImageRule.opaqueBuildPrograms.contains) ?? false }
        let buildStep: String
        if let compiled {
            buildStep = "compiles with \(compiled.tool) (line \(compiled.builtBy.range.start.line))"
        } else if let opaque, let program = opaque.command.program {
            buildStep = "builds with \(program) (line \(opaque.run.range.start.line))"
        } else {
            return
        }

        // And runs the result.
        let startup = lineage.lazy.map(\.effectiveCommands).first { !$0.isEmpty } ?? []
        guard let first = startup.first, let program = build.commands(of: first).first?.program,
              !SingleStageToolchainImageRule.environmentPrograms.contains(program) else { return }

        findings.append(finding(at: final.from.range, """
            \(final.mention) \(buildStep) and is also the image that runs the program, so it carries \(toolchain.joined(separator: " and ")): \
            compile in a build stage (FROM … AS build) and COPY --from=build only the program into a small run stage
            """))
    }
}
