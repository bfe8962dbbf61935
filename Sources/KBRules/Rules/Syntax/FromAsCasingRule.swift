import KBDockerfile

struct FromAsCasingRule: Rule {
    static let description = RuleDescription(
        id: "KB008", name: "from-as-casing", severity: .style, category: .syntax, scope: .instruction,
        summary: "FROM and AS written in different cases.",
        rationale: """
            `FROM image AS name` works in any case, but `FROM golang:1.22 as build` mixes an upper-case \
            keyword with a lower-case one on the same line. BuildKit's FromAsCasing check asks for the two \
            to match: `AS` with `FROM`, `as` with `from`. A keyword in mixed case (`From`) is left to \
            KB004.
            """,
        article: "multi-stage-builds.md#stage-names-and-stage-numbers",
        equivalents: ["FromAsCasing"],
        examples: [
            .triggering("""
                ↓FROM golang:1.22 as build
                RUN CGO_ENABLED=0 go build -o /out/api .
                """),
            .passing("""
                FROM golang:1.22 AS build
                from debian:bookworm-slim as run
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for instruction in build.instructions where instruction.kind == .from && instruction.arguments.count == 3 && instruction.arguments[1].lowercased() == "as" {
            let keyword = instruction.keyword
            let word = instruction.arguments[1]
            let isUpper = keyword == keyword.uppercased(), isLower = keyword == keyword.lowercased()
            guard isUpper || isLower else { continue }
            let expected = isUpper ? word.uppercased() : word.lowercased()
            guard word != expected else { continue }
            let range = asWordRange(instruction) ?? instruction.range
            findings.append(finding(at: range, "'\(word)' does not match the case of '\(keyword)': write \(keyword) … \(expected) …"))
        }
    }

    /// The AS word is the last occurrence of its text, or the one before when the stage
    /// name is spelled the same.
    private func asWordRange(_ instruction: Instruction) -> SourceRange? {
        let word = instruction.arguments[1]
        var ranges: [SourceRange] = []
        while let range = instruction.sourceRange(ofWord: word, occurrence: ranges.count) { ranges.append(range) }
        let index = ranges.count - (instruction.arguments[2] == word ? 2 : 1)
        return ranges.indices.contains(index) ? ranges[index] : nil
    }
}
