import KBDockerfile

struct AptInsteadOfAptGetRule: Rule {
    static let description = RuleDescription(
        id: "KB312", name: "apt-instead-of-apt-get", severity: .info, category: .practice, scope: .instruction,
        summary: "apt in a RUN, where apt-get is the tool for scripts.",
        rationale: """
            `apt` is Debian's command for people at a terminal: its output, progress bars and defaults may \
            change between releases, and it warns "apt does not have a stable CLI interface. Use with \
            caution in scripts." `apt-get` and `apt-cache` are the stable interfaces for scripts, which is \
            what a RUN is. The options are the same: `apt-get update`, `apt-get install -y \
            --no-install-recommends …`.
            """,
        equivalents: ["DL3027"],
        examples: [
            .triggering("""
                FROM debian:bookworm-slim
                RUN ↓apt update && ↓apt install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
                """),
            .passing("""
                FROM debian:bookworm-slim
                RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for run in build.instructions where run.kind == .run {
            let commands = build.commands(of: run)
            for (index, command) in commands.enumerated() where command.words.first == "apt" || command.words.first == "/usr/bin/apt" {
                let verb = command.packageManagerVerb?.verb
                let replacement = ["search", "show", "policy", "depends", "rdepends"].contains(verb ?? "") ? "apt-cache" : "apt-get"
                findings.append(finding(at: run.sourceRange(ofCommandAt: index, in: commands), """
                    apt\(verb.map { " " + $0 } ?? "") uses the interactive command, whose interface is not stable for scripts: \
                    use \(replacement)\(verb.map { " " + $0 } ?? "")
                    """))
            }
        }
    }
}
