import KBDockerfile

struct AptInstallRecommendsRule: Rule {
    static let description = RuleDescription(
        id: "KB205", name: "apt-install-recommends", severity: .info, category: .imageSize, scope: .instruction,
        summary: "apt-get install without --no-install-recommends.",
        rationale: """
            By default apt installs a package's "recommended" packages too, which Debian defines as \
            what most installations want, not what the package needs: documentation tools, optional \
            helpers, sometimes a whole compiler toolchain. In an image that is dead weight, and in a build \
            stage it slows the build and its cache. `--no-install-recommends` installs the dependencies \
            only; if something turns out to be missing, name it. Setting \
            `APT::Install-Recommends "false"` in an apt configuration file earlier in the file has the same \
            effect, and kb accepts it.
            """,
        article: "multi-stage-builds.md#checklist",
        equivalents: ["DL3015"],
        examples: [
            .triggering("""
                FROM debian:bookworm-slim
                RUN apt-get update \\
                 ↓&& apt-get install -y curl \\
                 && rm -rf /var/lib/apt/lists/*
                """),
            .passing("""
                FROM debian:bookworm-slim
                RUN apt-get update \\
                 && apt-get install -y --no-install-recommends curl \\
                 && rm -rf /var/lib/apt/lists/*
                """),
            .passing("""
                FROM debian:bookworm-slim
                RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99no-recommends
                RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
                """, note: "apt configured not to install recommended packages."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for run in build.instructions where run.kind == .run {
            let commands = build.commands(of: run)
            guard commands.contains(where: { ["apt-get", "apt"].contains($0.program) && $0.packageManagerVerb?.verb == "install" }) else { continue }
            // An apt configuration written earlier in this stage or the stages it is built on.
            let earlier = build.stage(containing: run).map { build.lineage(of: $0).flatMap(\.instructions) } ?? build.instructions
            guard !earlier.contains(where: { $0.kind == .run && $0.range.start.offset < run.range.start.offset && configuresNoRecommends($0, build) }) else { continue }
            for (index, command) in commands.enumerated() where ["apt-get", "apt"].contains(command.program) && command.packageManagerVerb?.verb == "install" {
                let words = command.words
                let declines = words.contains { $0 == "--no-install-recommends" || $0.hasPrefix("--no-install-recommends=") && $0.hasSuffix("true") }
                    || words.contains { $0.containsBytes("Install-Recommends=false") || $0.containsBytes("Install-Recommends=0") }
                guard !declines else { continue }
                let packages = command.installedPackageNames
                findings.append(finding(at: run.sourceRange(ofCommandAt: index, in: commands), """
                    \(command.program ?? "apt-get") install\(packages.isEmpty ? "" : " " + packages.joined(separator: " ")) also installs the packages they recommend: \
                    add --no-install-recommends
                    """))
            }
        }
    }

    private func configuresNoRecommends(_ run: Instruction, _ build: BuildModel) -> Bool {
        let script = run.runScript
        return script.containsBytes("Install-Recommends") && (script.containsBytes("false") || script.containsBytes("\"0\""))
            && build.commands(of: run).allSatisfy { $0.packageManagerVerb?.verb != "install" }
    }
}
