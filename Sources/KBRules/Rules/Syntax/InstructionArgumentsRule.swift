import KBDockerfile

struct InstructionArgumentsRule: Rule {
    static let description = RuleDescription(
        id: "KB011", name: "instruction-arguments", severity: .error, category: .syntax, scope: .instruction,
        summary: "An instruction without the arguments BuildKit requires of it.",
        rationale: """
            BuildKit's parser reads `WORKDIR` or `COPY app` without complaint; turning the line into a \
            build step then fails with `WORKDIR requires exactly one argument` or `COPY requires at least \
            two arguments`, and the build stops there. WORKDIR, USER, STOPSIGNAL and MAINTAINER take one \
            argument; ENV, LABEL, ARG, EXPOSE, VOLUME and HEALTHCHECK at least one; ONBUILD an instruction; COPY and ADD a \
            source and a destination; FROM an image, and optionally `AS` and a name; SHELL a JSON array \
            that is not empty. The usual cause is a value left out, or one that was meant to come from a \
            line that lost its backslash.
            """,
        equivalents: [],
        examples: [
            .triggering("""
                FROM debian:bookworm-slim
                ↓WORKDIR
                ↓COPY app
                ↓USER
                """),
            .triggering("""
                FROM debian:bookworm-slim
                ↓SHELL /bin/bash -c
                """, note: "SHELL takes a JSON array."),
            .triggering("""
                FROM debian:bookworm-slim
                ↓ONBUILD
                ONBUILD COPY . /src
                """),
            .passing("""
                FROM debian:bookworm-slim AS run
                WORKDIR /app
                COPY app /usr/local/bin/app
                COPY <<EOF /etc/app.conf
                port=8080
                EOF
                USER 10001:10001
                SHELL ["/bin/bash", "-c"]
                CMD ["app"]
                """, note: "CMD, ENTRYPOINT and RUN may be empty; a heredoc is a source."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for instruction in build.instructions {
            guard let problem = Self.problem(instruction) else { continue }
            findings.append(finding(at: instruction.keywordRange, problem + ": BuildKit stops the build here"))
        }
    }

    /// What BuildKit says of the instruction's arguments, or nil when it takes them.
    static func problem(_ instruction: Instruction) -> String? {
        let keyword = instruction.kind.rawValue.uppercased()
        let count = instruction.arguments.count
        switch instruction.kind {
        case .workdir, .user, .stopsignal, .maintainer:
            return count == 1 ? nil : "\(keyword) requires exactly one argument"
        case .env, .label, .arg, .expose, .volume, .healthcheck:
            return count >= 1 ? nil : "\(keyword) requires at least one argument"
        case .onbuild:
            // The instruction it carries is parsed as one of its own.
            return instruction.trigger != nil || count >= 1 ? nil : "ONBUILD requires an instruction"
        case .copy, .add:
            return count >= 2 ? nil : "\(keyword) requires a source and a destination"
        case .from:
            if count == 1 || count == 3 && instruction.arguments[1].lowercased() == "as" { return nil }
            return "FROM requires an image, and optionally AS and a stage name"
        case .shell:
            if !instruction.isJSONForm { return "SHELL requires its arguments as a JSON array, such as [\"/bin/sh\", \"-c\"]" }
            return count >= 1 ? nil : "SHELL requires at least one argument"
        case .run, .cmd, .entrypoint, .unknown:
            return nil
        }
    }
}
