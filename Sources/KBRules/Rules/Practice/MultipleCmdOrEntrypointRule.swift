import KBDockerfile

struct MultipleCmdOrEntrypointRule: Rule {
    static let description = RuleDescription(
        id: "KB304", name: "multiple-cmd-or-entrypoint", severity: .warning, category: .practice,
        summary: "More than one CMD, or more than one ENTRYPOINT, in a stage.",
        rationale: """
            An image has one command: each CMD replaces the one before, and so does each ENTRYPOINT. Only \
            the last of each in a stage has any effect, so an earlier one is dead code at best, and at \
            worst a sign that someone expected both to run (they never do; a container starts one \
            process). Keep the last one; to start several programs, use a small entrypoint script or a \
            process supervisor, or better, one container per program.
            """,
        equivalents: ["MultipleInstructionsDisallowed", "DL4003", "DL4004"],
        examples: [
            .triggering("""
                FROM python:3.12-slim
                COPY . /app
                ↓CMD ["python", "/app/migrate.py"]
                CMD ["python", "/app/server.py"]
                """),
            .passing("""
                FROM python:3.12-slim
                COPY . /app
                ENTRYPOINT ["python"]
                CMD ["/app/server.py"]
                """, note: "One ENTRYPOINT and one CMD work together."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for stage in build.stages {
            for kind in [InstructionKind.cmd, .entrypoint] {
                let all = stage.instructions.filter { $0.kind == kind }
                guard let last = all.last, all.count > 1 else { continue }
                for earlier in all.dropLast() {
                    findings.append(finding(at: earlier.keywordRange, """
                        this \(kind.rawValue.uppercased()) has no effect: the one on line \(last.range.start.line) replaces it; \
                        keep one \(kind.rawValue.uppercased()) per stage
                        """))
                }
            }
        }
    }
}
