/// A Dockerfile BuildKit would refuse. The linter reports it before any other rule runs;
/// this declaration gives it an ID, a name and a page like every rule.
struct ParseErrorRule: Rule {
    static let description = RuleDescription(
        id: "KB001", name: "parse-error", severity: .error, category: .syntax, scope: .instruction,
        summary: "The Dockerfile does not parse.",
        rationale: """
            BuildKit rejects the file before building anything: an instruction without its arguments, an \
            unterminated heredoc, a JSON array that holds something other than strings, a parser directive \
            given twice. kb parses Dockerfiles exactly as BuildKit does, so what fails here fails in \
            `docker build` too, with the same message.
            """,
        examples: [
            .triggering("FROM debian:bookworm-slim\n↓ENV PATH\n", note: "ENV needs a value for its name."),
            .triggering("↓# escape=x\nFROM debian:bookworm-slim\n", note: "Only a backslash or a backtick may be the escape character."),
            .passing("FROM debian:bookworm-slim\nENV LANG=C.UTF-8\n"),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {}
}
