import KBDockerfile

struct UnknownInstructionRule: Rule {
    static let description = RuleDescription(
        id: "KB002", name: "unknown-instruction", severity: .error, category: .syntax, scope: .instruction,
        summary: "An instruction keyword that BuildKit does not know.",
        rationale: """
            BuildKit parses an unknown keyword without complaint and then stops the build at it with \
            `unknown instruction: FORM`. The usual cause is a typo (`FORM`, `COPPY`, `ENTRYPONT`) or a line \
            that was meant to continue the previous instruction but lost its trailing backslash, so that \
            its first word is read as a keyword. kb names the keyword it was probably meant to be.
            """,
        equivalents: [],
        examples: [
            .triggering("""
                ↓FORM debian:bookworm-slim
                ↓COPPY app /usr/local/bin/app
                CMD ["app"]
                """),
            .triggering("""
                FROM debian:bookworm-slim
                RUN apt-get update
                ↓    apt-get install -y --no-install-recommends curl
                """, note: "A missing backslash: the second line becomes an instruction of its own."),
            .passing("""
                FROM debian:bookworm-slim
                copy app /usr/local/bin/app
                CMD ["app"]
                """, note: "Keywords are case-insensitive."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        let known = InstructionKind.allCases.filter { $0 != .unknown }.map(\.rawValue)
        for instruction in build.instructions + build.instructions.compactMap(\.trigger) where instruction.kind == .unknown {
            let keyword = instruction.keyword
            var message = "unknown instruction '\(keyword)': BuildKit stops the build here"
            if let guess = EditDistance.closest(to: keyword, among: known) {
                message += "; did you mean \(guess.uppercased())?"
            } else if let previous = build.instructions.last(where: { $0.range.end.line < instruction.range.start.line }),
                      previous.kind == .run, instruction.range.start.line == previous.range.end.line + 1 {
                message += "; if this line continues the RUN above, end that line with '\(build.dockerfile.escapeCharacter)'"
            }
            findings.append(finding(at: instruction.keywordRange, message))
        }
    }
}
