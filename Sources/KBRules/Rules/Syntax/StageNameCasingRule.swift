import KBDockerfile

struct StageNameCasingRule: Rule {
    static let description = RuleDescription(
        id: "KB009", name: "stage-name-casing", severity: .style, category: .syntax, scope: .instruction,
        summary: "A stage name with upper-case letters.",
        rationale: """
            Stage names are compared without regard to case, so `FROM golang AS Build` can be referred to \
            as `--from=build`, `--from=BUILD` or `--target Build`. Spelling the same name several ways \
            invites confusion with image names, which are lower case; BuildKit's StageNameCasing check asks \
            for lower-case stage names, and kb does too.
            """,
        article: "multi-stage-builds.md#stage-names-and-stage-numbers",
        equivalents: ["StageNameCasing"],
        examples: [
            .triggering("""
                ↓FROM golang:1.22 AS Build
                RUN CGO_ENABLED=0 go build -o /out/api .
                """),
            .passing("""
                FROM golang:1.22 AS build
                RUN CGO_ENABLED=0 go build -o /out/api .
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for instruction in build.instructions where instruction.kind == .from {
            guard let name = instruction.fromParts.name, !name.containsBytes("$"), name != name.lowercased() else { continue }
            findings.append(finding(at: instruction.sourceRange(ofLastWord: name) ?? instruction.range, """
                stage name '\(name)' has upper-case letters; name it '\(name.lowercased())' (and use that spelling in --from and --target)
                """))
        }
    }
}
