import KBDockerfile

struct SudoInRunRule: Rule {
    static let description = RuleDescription(
        id: "KB305", name: "sudo-in-run", severity: .warning, category: .practice, scope: .instruction,
        summary: "sudo in a RUN.",
        rationale: """
            A RUN executes as the current USER, root unless the Dockerfile says otherwise, so `sudo` adds \
            nothing there, and in most base images it is not even installed. Where it is, it brings its own \
            configuration, environment resets and TTY behaviour that make build steps harder to predict, \
            and keeping it in the image hands every process a way back to root. Switch users explicitly \
            instead: `USER root` before the steps that need it, `USER app` after them (or `gosu`/`su-exec` \
            in an entrypoint script that must drop privileges at run time).
            """,
        equivalents: ["DL3004"],
        examples: [
            .triggering("""
                FROM debian:bookworm-slim
                USER app
                ↓RUN sudo apt-get update
                """),
            .passing("""
                FROM debian:bookworm-slim
                USER root
                RUN apt-get update
                USER app
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for run in build.instructions where run.kind == .run {
            // The command parser looks through sudo; read the raw words instead.
            let script = run.runScript
            guard script.containsBytes("sudo") else { continue }
            let rawCommands = ShellCommandParser.split(script)
            for (position, words) in rawCommands.enumerated() {
                let program = words.first { !$0.containsBytes("=") || $0.hasPrefix("-") }
                guard program == "sudo" || program?.hasSuffix("/sudo") == true else { continue }
                let earlier = rawCommands[..<position].reduce(0) { $0 + $1.filter { $0 == program }.count }
                findings.append(finding(at: run.sourceRange(ofWord: program ?? "sudo", occurrence: earlier) ?? run.range, """
                    sudo is not needed in a RUN and usually not installed: put USER root before this RUN (and USER back \
                    to the unprivileged account after it), and drop sudo
                    """))
            }
        }
    }
}
