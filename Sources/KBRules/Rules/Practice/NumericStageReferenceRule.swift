import KBDockerfile

struct NumericStageReferenceRule: Rule {
    static let description = RuleDescription(
        id: "KB311", name: "numeric-stage-reference", severity: .style, category: .practice,
        summary: "COPY --from=N in a Dockerfile long enough for names to matter.",
        rationale: """
            `COPY --from=0` refers to the first stage by its position, and positions change: insert a stage \
            above it and the number silently points at another one. A name, `FROM golang:1.22 AS build` and \
            `COPY --from=build`, keeps its meaning and says what the stage is for. In a very short file a \
            number is harmless ("The Quest for Minimal Docker Images" uses them in its first examples, and \
            suggests names once a file grows), so kb reports numbers only in files with more than two stages \
            or more than ten instructions.
            """,
        article: "multi-stage-builds.md#stage-names-and-stage-numbers",
        examples: [
            .triggering("""
                FROM golang:1.22
                WORKDIR /src
                COPY . .
                RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api
                FROM node:20-slim
                WORKDIR /web
                COPY web .
                RUN npm ci && npm run build
                FROM gcr.io/distroless/static-debian12
                COPY ↓--from=0 /out/api /api
                COPY ↓--from=1 /web/dist /static
                ENTRYPOINT ["/api"]
                """),
            .passing("""
                FROM golang:1.22
                COPY main.go .
                RUN CGO_ENABLED=0 go build -o /hello main.go
                FROM scratch
                COPY --from=0 /hello /hello
                ENTRYPOINT ["/hello"]
                """, note: "A short file, as in the series' first examples."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard build.stages.count > 2 || build.instructions.count > 10 else { return }
        for stage in build.stages {
            for instruction in stage.instructions {
                let references: [Flag]
                switch instruction.kind {
                case .copy: references = instruction.flags.filter { $0.name == "from" }
                case .run: references = instruction.flags.filter { $0.name == "mount" && $0.options["from"] != nil }
                default: references = []
                }
                for flag in references {
                    let value = flag.name == "from" ? flag.value : flag.options["from"]
                    guard let value, let number = Int(value), number >= 0, number < stage.index else { continue }
                    let target = build.stages[number]
                    let advice = target.name.map { "use --from=\($0)" }
                        ?? "name that stage (FROM \(target.from.fromParts.image) AS <name>, line \(target.from.range.start.line)) and use --from=<name>"
                    findings.append(finding(at: flag.range, """
                        --from=\(number) refers to stage \(number) by position, which changes when a stage is added above it: \(advice)
                        """))
                }
            }
        }
    }
}
