import KBDockerfile

struct DuplicateStageNameRule: Rule {
    static let description = RuleDescription(
        id: "KB005", name: "duplicate-stage-name", severity: .error, category: .syntax,
        summary: "Two stages with the same name.",
        rationale: """
            A stage name is how `COPY --from`, `FROM` and `--target` find a stage, and names are compared \
            without regard to case. With two stages called `build`, a reader cannot tell which one \
            `--from=build` means, and a reference that worked can change meaning when a stage is added; \
            BuildKit reports it (DuplicateStageName). Give every stage its own name.
            """,
        article: "multi-stage-builds.md#stage-names-and-stage-numbers",
        equivalents: ["DuplicateStageName"],
        examples: [
            .triggering("""
                FROM golang:1.22 AS build
                RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api
                ↓FROM node:20-slim AS Build
                RUN npm ci && npm run build
                FROM gcr.io/distroless/static-debian12
                COPY --from=build /out/api /api
                """, note: "Names are compared without regard to case."),
            .passing("""
                FROM golang:1.22 AS api
                RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api
                FROM node:20-slim AS assets
                RUN npm ci && npm run build
                FROM gcr.io/distroless/static-debian12
                COPY --from=api /out/api /api
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        var seen: [String: Stage] = [:]
        for stage in build.stages {
            guard let name = stage.name else { continue }
            if let first = seen[name] {
                let written = stage.from.fromParts.name ?? name
                findings.append(finding(at: stage.from.sourceRange(ofLastWord: written) ?? stage.from.range, """
                    stage name '\(written)' is already used by stage \(first.index) (line \(first.from.range.start.line)); \
                    rename one of them, and update the --from and FROM references that mean it
                    """))
            } else {
                seen[name] = stage
            }
        }
    }
}
