import KBDockerfile

struct UndefinedVariableRule: Rule {
    static let description = RuleDescription(
        id: "KB007", name: "undefined-variable", severity: .warning, category: .syntax,
        summary: "A variable used in FROM, COPY, WORKDIR, ENV and the like that no ARG or ENV declares.",
        rationale: """
            BuildKit replaces `$NAME` and `${NAME}` in FROM, COPY, ADD, ENV, LABEL, WORKDIR, USER, EXPOSE, \
            VOLUME and STOPSIGNAL before running anything, and an undefined variable silently becomes an \
            empty string: `FROM golang:${GO_VERSION}` turns into `golang:` and fails to resolve, \
            `COPY app $APP_DIR/` copies to the root. In FROM only the ARGs declared before the first FROM \
            count. Inside a stage, an ARG from before the first FROM, or an automatic one such as \
            TARGETARCH, is visible only after `ARG NAME` in that stage, which is the most common way to hit \
            this. Variables the base image sets with ENV (PATH, GOPATH, JAVA_HOME…) are defined at build \
            time without appearing in the Dockerfile, so kb reports a variable inside a stage only when it \
            is sure: the stage is built on scratch, the name is one of those out-of-scope ARGs, or it is a \
            near miss of a variable that is declared. RUN, CMD and ENTRYPOINT are left alone: their shell \
            expands variables when the command runs.
            """,
        equivalents: ["UndefinedArgInFrom", "UndefinedVar"],
        examples: [
            .triggering("""
                ARG GO_VERSION=1.22
                ↓FROM golang:${GO_VERSOIN} AS build
                """, note: "In FROM: a typo of the global ARG."),
            .triggering("""
                ARG APP_DIR=/srv/app
                FROM debian:bookworm-slim
                ↓COPY app.py ${APP_DIR}/
                """, note: "An ARG declared before FROM is not visible inside the stage without `ARG APP_DIR`."),
            .triggering("""
                FROM debian:bookworm-slim
                ENV APP_HOME=/srv/app
                ↓WORKDIR $APP_HOM
                """, note: "A near miss of a declared ENV."),
            .triggering("""
                FROM --platform=$BUILDPLATFORM golang:1.22 AS build
                ↓COPY bin/app-$TARGETARCH /app
                """, note: "Automatic platform ARGs need `ARG TARGETARCH` inside the stage."),
            .passing("""
                ARG GO_VERSION=1.22
                ARG APP_DIR=/srv/app
                FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
                ARG APP_DIR
                ARG TARGETARCH
                COPY bin/app-$TARGETARCH ${APP_DIR}/app
                WORKDIR $GOPATH/src
                ENV PATH=$PATH:/usr/local/go/bin
                COPY config ${CONFIG_DIR:-/etc/app}/
                """, note: "Declared in scope, set by the base image (GOPATH, PATH), or given a default."),
        ])

    /// ARGs BuildKit provides before the first FROM without a declaration.
    static let automaticArguments: Set<String> = [
        "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
    ]
    /// Set for every build (PATH has a default) or by the proxy settings.
    static let alwaysDefined: Set<String> = [
        "PATH", "HOME", "HOSTNAME", "PWD", "TERM", "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
        "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    ]
    /// ENV that well-known official images set, which a global ARG may shadow by name.
    static let commonImageEnvironment: Set<String> = [
        "GOPATH", "GOLANG_VERSION", "GOTOOLCHAIN", "JAVA_HOME", "JAVA_VERSION", "LANG", "LC_ALL", "NODE_VERSION",
        "YARN_VERSION", "PYTHON_VERSION", "PYTHON_PIP_VERSION", "PYTHON_SHA256", "GPG_KEY", "RUBY_VERSION", "RUBY_MAJOR",
        "GEM_HOME", "BUNDLE_PATH", "BUNDLE_APP_CONFIG", "CARGO_HOME", "RUSTUP_HOME", "RUST_VERSION", "MAVEN_HOME",
        "MAVEN_CONFIG", "GRADLE_HOME", "GRADLE_VERSION", "PHP_VERSION", "PHP_INI_DIR", "NGINX_VERSION", "HTTPD_PREFIX",
        "PG_MAJOR", "PG_VERSION", "PGDATA", "REDIS_VERSION",
    ]

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        let lexer = ShellLexer(escapeCharacter: build.dockerfile.escapeCharacter)
        let globalNames = build.globalArguments.map(\.name)
        checkFromLines(build, lexer: lexer, globalNames: globalNames, &findings)

        for stage in build.stages {
            var declared: Set<String> = []
            if case let .stage(parent) = stage.base { declared.formUnion(build.stages[parent].environment.keys) }
            // Kept up to date with `declared` rather than rebuilt per instruction, which was
            // quadratic in the number of ARG and ENV lines.
            var environment = ShellEnvironment(declared.map { ($0, "x") })
            let onScratch = build.rootBase(of: stage) == .scratch
            for instruction in stage.instructions {
                for name in undefinedNames(in: expandedTexts(of: instruction), environment: environment, lexer: lexer) {
                    if UndefinedVariableRule.alwaysDefined.contains(name) { continue }
                    let range = location(of: name, in: instruction)
                    if UndefinedVariableRule.automaticArguments.contains(name) || globalNames.contains(name) {
                        guard onScratch || !UndefinedVariableRule.commonImageEnvironment.contains(name) else { continue }
                        let origin = globalNames.contains(name) ? "is declared before the first FROM" : "is an automatic platform ARG"
                        findings.append(finding(at: range, """
                            $\(name) \(origin) and is not visible inside \(stage.mention), so it expands to an \
                            empty string here: add `ARG \(name)` in the stage before this line
                            """))
                    } else if let guess = EditDistance.closest(to: name, among: Array(declared) + globalNames) {
                        findings.append(finding(at: range, "$\(name) is not declared in \(stage.mention) and expands to an empty string; did you mean $\(guess)?"))
                    } else if onScratch {
                        findings.append(finding(at: range, """
                            $\(name) is not declared by any ARG or ENV of \(stage.mention), which starts from scratch, \
                            so it expands to an empty string: declare it with ARG or ENV before this line
                            """))
                    }
                }
                switch instruction.kind {
                case .arg, .env:
                    for (key, _) in instruction.keyValuePairs where declared.insert(key).inserted {
                        environment[key] = "x"
                    }
                default:
                    break
                }
            }
        }
    }

    private func checkFromLines(_ build: BuildModel, lexer: ShellLexer, globalNames: [String], _ findings: inout [Finding]) {
        let textsByStage = build.stages.map { stage in
            stage.from.arguments + (stage.from.flag("platform")?.value.map { [$0] } ?? [])
        }
        // Most FROM lines name an image without a variable: then there is nothing to look up.
        guard textsByStage.contains(where: { $0.contains { $0.containsBytes("$") } }) else { return }
        let declared = Set(globalNames).union(UndefinedVariableRule.automaticArguments)
        let environment = ShellEnvironment(declared.map { ($0, "x") })
        for (stage, texts) in zip(build.stages, textsByStage) {
            let from = stage.from
            for name in undefinedNames(in: texts, environment: environment, lexer: lexer) where !UndefinedVariableRule.alwaysDefined.contains(name) {
                var message = "FROM uses $\(name), which no ARG before the first FROM declares, so it expands to an empty string"
                if let guess = EditDistance.closest(to: name, among: Array(declared)) {
                    message += "; did you mean $\(guess)?"
                } else {
                    message += ": add `ARG \(name)=…` at the top of the file"
                }
                findings.append(finding(at: location(of: name, in: from), message))
            }
        }
    }

    /// The texts BuildKit expands in an instruction (RUN, CMD and ENTRYPOINT are the shell's job).
    private func expandedTexts(of instruction: Instruction) -> [String] {
        switch instruction.kind {
        case .copy, .add:
            let flags = instruction.flags.filter { ["chown", "chmod", "from"].contains($0.name) }.compactMap(\.value)
            return instruction.arguments.filter { !$0.hasPrefix("<<") } + flags
        case .env, .label:
            return instruction.keyValuePairs.flatMap { [$0.key] + ($0.rawValue.map { [$0] } ?? []) }
        case .arg:
            return instruction.keyValuePairs.compactMap { $0.rawValue }
        case .workdir, .user, .expose, .volume, .stopsignal:
            return instruction.arguments
        default:
            return []
        }
    }

    /// Names referenced without a value in scope; `${NAME:-default}` and friends say what
    /// happens when NAME is unset, so they are not reported.
    private func undefinedNames(in texts: [String], environment: ShellEnvironment, lexer: ShellLexer) -> [String] {
        var names: [String] = []
        for text in texts where text.containsBytes("$") {
            guard let result = try? lexer.process(text, environment: environment) else { continue }
            for name in result.unsetVariables where !names.contains(name) && !hasFallback(name, in: text) {
                names.append(name)
            }
        }
        return names
    }

    private func hasFallback(_ name: String, in text: String) -> Bool {
        ["${\(name):-", "${\(name)-", "${\(name):+", "${\(name)+", "${\(name):?", "${\(name)?", "${\(name):="].contains { text.contains($0) }
    }

    private func location(of name: String, in instruction: Instruction) -> SourceRange {
        instruction.sourceRange(ofText: "${\(name)") ?? instruction.sourceRange(ofText: "$\(name)") ?? instruction.range
    }
}
