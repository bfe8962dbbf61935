import KBDockerfile

struct AptListsNotRemovedRule: Rule {
    static let description = RuleDescription(
        id: "KB204", name: "apt-lists-not-removed", severity: .info, category: .imageSize,
        summary: "apt-get update in the final image without removing /var/lib/apt/lists in the same RUN.",
        rationale: """
            `apt-get update` downloads the package indexes of every configured repository into \
            /var/lib/apt/lists. They are needed to install, not to run, and they are out of date within \
            days anyway. A RUN's files are frozen into its layer when it ends, so the lists must be \
            removed in the same RUN that downloaded them (`&& rm -rf /var/lib/apt/lists/*`): a later \
            `rm` hides them but the layer still carries them. hadolint (DL3009) reports this in every \
            stage; kb only where it ships, in the final stage and the stages it is built on, since a build \
            stage's layers stay on the build machine.
            """,
        article: "multi-stage-builds.md#checklist",
        equivalents: ["DL3009"],
        examples: [
            .triggering("""
                FROM debian:bookworm-slim
                ↓RUN apt-get update && apt-get install -y --no-install-recommends curl
                CMD ["curl", "--version"]
                """),
            .triggering("""
                FROM debian:bookworm-slim
                RUN apt-get update \\
                 ↓&& apt-get install -y --no-install-recommends ca-certificates
                RUN rm -rf /var/lib/apt/lists/*
                """, note: "Removing them in a later RUN does not shrink the image; the finding points at the install."),
            .passing("""
                FROM debian:bookworm-slim
                RUN apt-get update \\
                 && apt-get install -y --no-install-recommends curl \\
                 && rm -rf /var/lib/apt/lists/*
                """),
            .passing("""
                FROM debian:bookworm AS build
                RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
                COPY hello.c .
                RUN gcc -static -o /hello hello.c
                FROM scratch
                COPY --from=build /hello /hello
                """, note: "A build stage's layers do not ship."),
            .passing("""
                # syntax=docker/dockerfile:1
                FROM debian:bookworm-slim
                RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl
                """, note: "With a cache mount the lists never reach the layer."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for stage in build.shippedStages {
            for run in stage.instructions where run.kind == .run {
                let commands = build.commands(of: run)
                guard let update = commands.firstIndex(where: { $0.packageManagerVerb?.verb == "update" && ["apt-get", "apt"].contains($0.program) }) else { continue }
                let removes = commands.contains { $0.program == "rm" && $0.words.contains { $0.hasPrefix("/var/lib/apt/lists") } }
                let mounted = run.mounts.contains { mount in
                    (mount["target"] ?? mount["dst"] ?? mount["destination"]).map { $0.hasPrefix("/var/lib/apt") } ?? false
                }
                guard !removes, !mounted else { continue }
                let install = commands.firstIndex { ["install", "upgrade", "dist-upgrade"].contains($0.packageManagerVerb?.verb ?? "") && ["apt-get", "apt"].contains($0.program) }
                findings.append(finding(at: run.sourceRange(ofCommandAt: install ?? update, in: commands), """
                    the package lists that apt-get update downloads stay in this layer, which ships in the final image: \
                    end this RUN with `&& rm -rf /var/lib/apt/lists/*`
                    """))
            }
        }
    }
}
