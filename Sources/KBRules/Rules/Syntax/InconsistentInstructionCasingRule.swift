import KBDockerfile

struct InconsistentInstructionCasingRule: Rule {
    static let description = RuleDescription(
        id: "KB004", name: "inconsistent-instruction-casing", severity: .style, category: .syntax,
        summary: "Instruction keywords written in more than one case.",
        rationale: """
            Keywords are case-insensitive, so `from`, `FROM` and `From` all work. Mixing them makes a file \
            harder to scan: the keywords are what the eye follows down the left margin. BuildKit's \
            ConsistentInstructionCasing check takes the case most of the file uses (upper case on a tie) and \
            reports every keyword that differs, including mixed-case ones such as `Run`; kb does the same.
            """,
        equivalents: ["ConsistentInstructionCasing"],
        examples: [
            .triggering("""
                FROM debian:bookworm-slim
                ↓run apt-get update
                COPY app /usr/local/bin/app
                CMD ["app"]
                """),
            .triggering("""
                from debian:bookworm-slim
                ↓Copy app /usr/local/bin/app
                cmd ["app"]
                """, note: "Mixed case is never consistent."),
            .passing("""
                from debian:bookworm-slim
                copy app /usr/local/bin/app
                cmd ["app"]
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        let keywords = build.instructions.filter { $0.kind != .unknown }
        var lower = 0, upper = 0
        for instruction in keywords {
            let keyword = instruction.keyword
            if keyword == keyword.lowercased() { lower += 1 } else if keyword == keyword.uppercased() { upper += 1 }
        }
        let majorityLower = lower > upper
        for instruction in keywords {
            let keyword = instruction.keyword
            let expected = majorityLower ? keyword.lowercased() : keyword.uppercased()
            guard keyword != expected else { continue }
            findings.append(finding(at: instruction.keywordRange, """
                '\(keyword)' is not in the case most of this file uses (\(majorityLower ? "lower" : "upper") case): write \(expected)
                """))
        }
    }
}
