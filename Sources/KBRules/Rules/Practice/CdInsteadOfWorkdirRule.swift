import KBDockerfile

struct CdInsteadOfWorkdirRule: Rule {
    static let description = RuleDescription(
        id: "KB308", name: "cd-instead-of-workdir", severity: .warning, category: .practice, scope: .instruction,
        summary: "A RUN that starts by changing directory, where WORKDIR says it once for the stage.",
        rationale: """
            `RUN cd /src && make` works, but the directory lasts for that RUN only: the next RUN, COPY or \
            CMD starts from the WORKDIR again, so the `cd` gets repeated, or forgotten, and relative paths \
            in later instructions silently mean something else. WORKDIR sets the directory for everything \
            that follows in the stage, creates it if needed, and makes each RUN read as what it does. \
            kb reports a RUN whose first command is a `cd` to a fixed path followed by more commands; a `cd` \
            in the middle of a RUN (into a temporary directory and back, say) or inside a subshell is a \
            different pattern and is left alone.
            """,
        article: "multi-stage-builds.md#source-paths-are-read-from-the-root-of-the-stage",
        equivalents: ["DL3003"],
        examples: [
            .triggering("""
                FROM golang:1.22 AS build
                COPY . /src
                RUN ↓cd /src && CGO_ENABLED=0 go build -o /out/api .
                """),
            .passing("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN CGO_ENABLED=0 go build -o /out/api .
                """),
            .passing("""
                FROM debian:bookworm-slim
                RUN curl -fsSLO https://example.com/tool.tar.gz && cd /tmp && tar -xzf /tool.tar.gz && cd - && rm /tool.tar.gz
                RUN (cd /opt/tool && ./install.sh)
                """, note: "Moving around inside a RUN, and a subshell."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for run in build.instructions where run.kind == .run && !run.isJSONForm {
            let script = run.runScript.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
            guard !script.hasPrefix("(") else { continue }
            let commands = build.commands(of: run)
            // Shell options (`set -eux;`) may come first.
            let start = commands.firstIndex { $0.program != "set" } ?? commands.endIndex
            guard commands.count > start + 1, case let first = commands[start], first.program == "cd", first.assignments.isEmpty,
                  first.words.count == 2, let directory = first.words.last,
                  !directory.hasPrefix("-"), !directory.containsBytes("$("), !directory.containsBytes("`") else { continue }
            findings.append(finding(at: run.sourceRange(ofCommandAt: start, in: commands), """
                this RUN starts with cd \(directory), which lasts for this RUN only: put WORKDIR \(directory) before it and \
                drop the cd (relative paths in the instructions after it then start from \(directory) too)
                """))
        }
    }
}
