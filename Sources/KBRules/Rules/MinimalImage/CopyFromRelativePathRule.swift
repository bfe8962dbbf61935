struct CopyFromRelativePathRule: Rule {
    static let description = RuleDescription(
        id: "KB106", name: "copy-from-relative-path", severity: .warning, category: .minimalImage,
        summary: "A relative source path in `COPY --from` is read from the stage's root, not its WORKDIR.",
        rationale: """
            `COPY --from=build app /app` looks for /app in the build stage, whatever WORKDIR that stage \
            had. The golang image sets WORKDIR /go, so a `go build -o app` there writes /go/app and the copy \
            fails with "COPY failed: ... no such file or directory". Write the absolute path, and give the \
            build stage a WORKDIR of its own so the path is obvious. When the stage's WORKDIR is not / the \
            copy cannot work, and kb reports an error.
            """,
        article: "multi-stage-builds.md",
        examples: [
            .triggering("""
                FROM golang:1.22 AS build
                COPY main.go .
                RUN CGO_ENABLED=0 go build -o app main.go
                FROM debian:bookworm-slim
                ↓COPY --from=build app /usr/local/bin/app
                """, note: "The binary is /go/app: this copy fails."),
            .triggering("""
                FROM debian:bookworm AS build
                RUN echo hi > greeting
                FROM debian:bookworm-slim
                ↓COPY --from=build greeting /greeting
                """, note: "It works, because the stage's WORKDIR is /, but only by accident."),
            .passing("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY main.go .
                RUN CGO_ENABLED=0 go build -o app main.go
                FROM debian:bookworm-slim
                COPY --from=build /src/app /usr/local/bin/app
                """),
            .passing("""
                FROM debian:bookworm-slim
                COPY --from=alpine:3.20 etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
                """, note: "Copies from other images are not about a stage's WORKDIR."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for stage in build.stages {
            for copy in stage.copies {
                guard case let .stage(origin) = copy.source else { continue }
                let source = build.stages[origin]
                for path in copy.sources where !path.hasPrefix("/") && !path.hasPrefix("$") {
                    let missesWorkdir = source.workdir != "/"
                    findings.append(finding(copy.instruction, missesWorkdir ? """
                        '\(path)' is read from the root of stage '\(source.displayName)', not from its WORKDIR \
                        \(source.workdir): this copies /\(path), not \(PathMath.resolve(path, in: source.workdir)). \
                        Write the absolute path.
                        """ : """
                        '\(path)' is read from the root of stage '\(source.displayName)'; write /\(path) so the copy \
                        keeps working if the stage gets a WORKDIR.
                        """, severity: missesWorkdir ? .error : nil))
                }
            }
        }
    }
}
