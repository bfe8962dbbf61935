import KBDockerfile

struct EmptyContinuationLineRule: Rule {
    static let description = RuleDescription(
        id: "KB003", name: "empty-continuation-line", severity: .warning, category: .syntax, scope: .instruction,
        summary: "A blank line inside an instruction continued with backslashes.",
        rationale: """
            When a line ends with the escape character, the next line continues the instruction; a blank \
            line in the middle is skipped today, but BuildKit warns that empty continuation lines will \
            become errors in a future release. A blank line there is also easy to misread: it looks like \
            the end of the instruction while the lines below still belong to it. Remove the blank line, or \
            put a comment line there if the gap was meant to separate groups of arguments.
            """,
        equivalents: ["NoEmptyContinuation"],
        examples: [
            .triggering("""
                FROM debian:bookworm-slim
                ↓RUN apt-get update \\

                 && apt-get install -y --no-install-recommends curl
                """),
            .passing("""
                FROM debian:bookworm-slim
                RUN apt-get update \\
                # then the packages
                 && apt-get install -y --no-install-recommends curl
                """, note: "A comment line inside a continued instruction is allowed."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for warning in build.dockerfile.warnings where warning.kind == .emptyContinuationLine {
            let lines = warning.lines.map(String.init)
            let which = lines.count == 1 ? "line \(lines[0]) is" : "lines \(lines.joined(separator: ", ")) are"
            findings.append(finding(at: warning.range, """
                \(which) empty inside this continued instruction; BuildKit will reject empty continuation lines \
                in a future release: delete \(lines.count == 1 ? "it" : "them") (a comment line may stay)
                """))
        }
    }
}
