import KBDockerfile

struct JsonFormRecommendedRule: Rule {
    static let description = RuleDescription(
        id: "KB303", name: "json-form-recommended", severity: .warning, category: .practice, scope: .instruction,
        summary: "CMD or ENTRYPOINT in shell form.",
        rationale: """
            In shell form, `CMD node server.js` runs `/bin/sh -c "node server.js"`. Docker's documentation \
            warns that the program then runs as a child of the shell, which does not pass signals on: it is \
            not process 1, the SIGTERM that `docker stop` sends does not reach it, and it is killed when the \
            timeout expires instead of shutting down cleanly. An ENTRYPOINT in shell form also ignores the \
            CMD and the arguments of `docker run`. The JSON \
            (exec) form, `CMD ["node", "server.js"]`, starts the program directly. Where shell features are \
            really needed, write the shell out and `exec` the program: \
            `CMD ["/bin/sh", "-c", "exec node server.js --port \\"$PORT\\""]`. When the image has no shell at all, \
            the shell form cannot even start; KB107 reports that as an error. A stage that sets its own \
            SHELL chose its shell deliberately and is left alone.
            """,
        article: "static-and-dynamic-linking.md#no-shell",
        equivalents: ["JSONArgsRecommended", "DL3025"],
        examples: [
            .triggering("""
                FROM node:20-slim
                COPY server.js /app/
                ↓CMD node /app/server.js
                """),
            .passing("""
                FROM node:20-slim
                COPY server.js /app/
                CMD ["node", "/app/server.js"]
                """),
            .passing("""
                FROM mcr.microsoft.com/powershell:7.4-debian-12
                SHELL ["pwsh", "-Command"]
                CMD Write-Output "hello"
                """, note: "A stage with its own SHELL."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        var customShell = false
        let stagesWithShell = Set(build.stages.filter { $0.instructions.contains { $0.kind == .shell } }.compactMap(\.name))
        for instruction in build.instructions {
            switch instruction.kind {
            case .from:
                customShell = stagesWithShell.contains(instruction.fromParts.image.lowercased())
            case .shell:
                customShell = true
            case .cmd, .entrypoint:
                guard !instruction.isJSONForm, !customShell else { continue }
                let text = instruction.arguments.first ?? ""
                findings.append(finding(at: instruction.argumentsRange ?? instruction.range, """
                    \(instruction.keyword.uppercased()) in shell form runs under /bin/sh -c, which does not pass signals on, so the \
                    program is killed instead of stopped: write \(instruction.keyword.uppercased()) \(JsonFormRecommendedRule.jsonForm(of: text))
                    """))
            default:
                break
            }
        }
    }

    /// `node /app/server.js` → `["node", "/app/server.js"]`; text with shell syntax keeps a
    /// shell and `exec`s the program.
    static func jsonForm(of text: String) -> String {
        let trimmed = text.trimmingCharacters(in: " \t")
        let quote = { (word: String) in "\"" + word.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\"" }
        if trimmed.contains(where: { "&|;<>()`\n".contains($0) }) {
            // Several commands: keep the shell (and `exec` the last one).
            return "[\"/bin/sh\", \"-c\", \(quote(trimmed))]"
        }
        if trimmed.contains(where: { "$'\"*?~{}[]\\#".contains($0) }) {
            let script = trimmed.hasPrefix("exec ") ? trimmed : "exec " + trimmed
            return "[\"/bin/sh\", \"-c\", \(quote(script))]"
        }
        let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        return "[" + words.map(quote).joined(separator: ", ") + "]"
    }
}
