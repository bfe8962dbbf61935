import Foundation
import KBDockerfile

struct ShellFormWithoutShellRule: Rule {
    static let description = RuleDescription(
        id: "KB107", name: "shell-form-without-shell", severity: .error, category: .minimalImage,
        summary: "A shell-form CMD, ENTRYPOINT or RUN in an image that has no /bin/sh.",
        rationale: """
            The shell form, `CMD /app --port 80`, is run as `/bin/sh -c "/app --port 80"`. An image built \
            from scratch or on distroless has no /bin/sh, so the container fails to start with \
            `exec: "/bin/sh": stat /bin/sh: no such file or directory`; a RUN in such a stage fails the build \
            the same way. The exec (JSON) form, `CMD ["/app", "--port", "80"]`, starts the program directly. \
            With an exec-form ENTRYPOINT, a shell-form CMD starts nothing: it becomes the arguments \
            `/bin/sh -c "…"` of the entrypoint, which is a warning rather than an error.
            """,
        article: "static-and-dynamic-linking.md",
        examples: [
            .triggering("""
                FROM scratch
                COPY server /server
                ↓CMD /server --listen :8080
                """),
            .triggering("""
                FROM gcr.io/distroless/static-debian12
                COPY server /server
                ↓ENTRYPOINT /server
                """),
            .triggering("""
                FROM scratch
                COPY app /app
                ↓RUN /app --self-test
                """, note: "A RUN needs the shell too, at build time."),
            .passing("""
                FROM scratch
                COPY server /server
                CMD ["/server", "--listen", ":8080"]
                """),
            .passing("""
                FROM alpine:3.20
                COPY server /server
                CMD /server --listen :8080
                """, note: "Alpine has a shell (KB303 still suggests the JSON form)."),
            .passing("""
                FROM python:3.12-slim AS full
                RUN pip install --no-cache-dir requests
                FROM scratch
                COPY --from=full / /
                CMD python3 -m http.server
                """, note: "Copying a whole file system copies its shell too."),
            .triggering("""
                FROM gcr.io/distroless/static-debian12
                COPY server /server
                ENTRYPOINT ["/server"]
                ↓CMD serve
                """, note: "With an exec-form ENTRYPOINT no shell runs: the program gets `/bin/sh -c serve` as arguments (a warning)."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for stage in build.stages where stage.traits?.hasShell == false {
            for instruction in stage.instructions where !instruction.isJSONForm {
                switch instruction.kind {
                case .cmd, .entrypoint:
                    guard stage.isFinal || build.stages.contains(where: { $0.base == .stage(stage.index) && $0.isFinal }) else { continue }
                    if instruction.kind == .cmd, let entrypoint = entrypoint(of: stage, in: build), entrypoint.isJSONForm {
                        // No shell runs: ENTRYPOINT starts and gets `/bin/sh -c "…"` as its arguments.
                        findings.append(finding(instruction, """
                            CMD in shell form becomes the arguments /bin/sh -c "\(instruction.arguments.joined(separator: " "))" \
                            of ENTRYPOINT (line \(entrypoint.range.start.line)), and \(build.describeBase(of: stage)) has no \
                            shell to read them: the program receives those three words. Use the JSON form: CMD \(jsonForm(instruction)).
                            """, severity: .warning))
                        continue
                    }
                    findings.append(finding(instruction, """
                        \(instruction.keyword.uppercased()) in shell form runs /bin/sh -c, and \
                        \(build.describeBase(of: stage)) has no shell: the container will not start. Use the JSON form: \
                        \(instruction.keyword.uppercased()) \(jsonForm(instruction)).
                        """))
                case .run:
                    findings.append(finding(instruction, """
                        RUN in shell form needs /bin/sh, which \(build.describeBase(of: stage)) does not have: the build \
                        fails. Do this work in a build stage and copy the result.
                        """))
                default:
                    continue
                }
            }
        }
    }

    /// The last ENTRYPOINT of a stage or of the stages it is built on.
    private func entrypoint(of stage: Stage, in build: BuildModel) -> Instruction? {
        if let own = stage.instructions.last(where: { $0.kind == .entrypoint }) { return own }
        if case let .stage(parent) = stage.base { return entrypoint(of: build.stages[parent], in: build) }
        return nil
    }

    /// A JSON rendering of a simple shell-form command, for the message.
    private func jsonForm(_ instruction: Instruction) -> String {
        let words = ShellCommandParser.split(instruction.arguments.joined(separator: " ")).first ?? []
        let quoted = words.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        return "[" + quoted.joined(separator: ", ") + "]"
    }
}
