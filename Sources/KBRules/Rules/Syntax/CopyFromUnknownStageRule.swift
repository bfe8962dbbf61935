import KBDockerfile

struct CopyFromUnknownStageRule: Rule {
    static let description = RuleDescription(
        id: "KB006", name: "copy-from-unknown-stage", severity: .error, category: .syntax,
        summary: "COPY --from names a stage that is not an earlier stage.",
        rationale: """
            `COPY --from` takes a stage name, a stage number counting from 0, or an image. A number that \
            is not an earlier stage, a stage that copies from itself, or stages that copy from each other \
            fail the build. A name that matches a stage further down works with BuildKit, which orders \
            stages by what they use, but the classic builder reads the file top to bottom and takes it for \
            an image on Docker Hub. And a name that matches no stage is an image reference: \
            `--from=biuld` becomes a pull of an image called `biuld`, which fails with a confusing \
            "pull access denied", so a near miss of a stage name is reported as the typo it probably is. \
            Real images (`--from=alpine:3.20`, `--from=busybox`) are fine.
            """,
        article: "multi-stage-builds.md#stage-names-and-stage-numbers",
        examples: [
            .triggering("""
                FROM golang:1.22 AS build
                RUN CGO_ENABLED=0 go build -o /out/api .
                FROM scratch
                COPY ↓--from=2 /out/api /api
                """, note: "There is no stage 2; stages count from 0."),
            .triggering("""
                FROM golang:1.22 AS build
                RUN CGO_ENABLED=0 go build -o /out/api .
                FROM scratch
                COPY ↓--from=biuld /out/api /api
                """, note: "Not a stage, so an image called 'biuld' would be pulled."),
            .triggering("""
                FROM scratch
                COPY ↓--from=build /out/api /api
                FROM golang:1.22 AS build
                RUN CGO_ENABLED=0 go build -o /out/api .
                """, note: "A stage defined further down: BuildKit copes, the classic builder does not."),
            .passing("""
                FROM golang:1.22 AS build
                RUN CGO_ENABLED=0 go build -o /out/api .
                FROM scratch
                COPY --from=build /out/api /api
                COPY --from=0 /out/api /api2
                COPY --from=alpine:3.20 /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
                COPY --from=busybox /bin/busybox /busybox
                """, note: "Earlier stages by name or number, and images."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        let graph = dependencies(build)
        for stage in build.stages {
            for instruction in stage.instructions {
                for (value, range) in references(in: instruction) where !value.containsBytes("$") {
                    check(value, range: range, in: stage, build: build, graph: graph, &findings)
                }
            }
        }
    }

    private func check(_ value: String, range: SourceRange, in stage: Stage, build: BuildModel, graph: [Int: Set<Int>], _ findings: inout [Finding]) {
        let target: Stage
        if let number = Int(value) {
            guard number >= 0, number < build.stages.count else {
                findings.append(finding(at: range, """
                    --from=\(value) is not a stage: this file has \(build.stages.count) stage\(build.stages.count == 1 ? "" : "s") \
                    (0 to \(build.stages.count - 1)); name the stage with FROM … AS name and use --from=name
                    """))
                return
            }
            target = build.stages[number]
        } else if let named = build.stage(named: value) {
            target = named
        } else {
            // Not a stage: an image. Report only a near miss of a stage name.
            guard !value.contains(where: { "/:@.".contains($0) }),
                  let guess = EditDistance.closest(to: value, among: build.stages.compactMap { $0.from.fromParts.name }) else { return }
            findings.append(finding(at: range, """
                --from=\(value) matches no stage, so the build will try to pull an image called '\(value)' (unless a \
                build context of that name is passed with --build-context); did you mean --from=\(guess)?
                """, severity: .warning))
            return
        }
        if target.index == stage.index {
            findings.append(finding(at: range, "--from=\(value) names the stage it is in (\(stage.mention)); a stage cannot copy from itself"))
        } else if target.index > stage.index {
            if reaches(from: target.index, to: stage.index, graph) {
                findings.append(finding(at: range, """
                    --from=\(value) names \(target.mention) (line \(target.from.range.start.line)), which itself \
                    depends on \(stage.mention): the stages form a cycle and cannot be built
                    """))
            } else {
                findings.append(finding(at: range, """
                    --from=\(value) names \(target.mention), defined further down (line \(target.from.range.start.line)); \
                    BuildKit accepts it, but the classic builder takes '\(value)' for an image: move that stage above this one
                    """, severity: .warning))
            }
        }
    }

    /// `COPY --from=…` and `RUN --mount=…,from=…` values with where they are written.
    private func references(in instruction: Instruction) -> [(String, SourceRange)] {
        switch instruction.kind {
        case .copy:
            return instruction.flag("from").flatMap { flag in flag.value.map { [($0, flag.range)] } } ?? []
        case .run:
            return instruction.flags.filter { $0.name == "mount" }.compactMap { flag in flag.options["from"].map { ($0, flag.range) } }
        default:
            return []
        }
    }

    /// Stage → the stages it uses (its base, and what it copies or mounts from), by any reference.
    private func dependencies(_ build: BuildModel) -> [Int: Set<Int>] {
        var graph: [Int: Set<Int>] = [:]
        for stage in build.stages {
            var uses: Set<Int> = []
            if case let .stage(parent) = stage.base { uses.insert(parent) }
            for instruction in stage.instructions {
                for (value, _) in references(in: instruction) {
                    if let number = Int(value), build.stages.indices.contains(number) { uses.insert(number) }
                    else if let named = build.stage(named: value) { uses.insert(named.index) }
                }
            }
            graph[stage.index] = uses
        }
        return graph
    }

    private func reaches(from start: Int, to goal: Int, _ graph: [Int: Set<Int>]) -> Bool {
        var seen: Set<Int> = []
        var queue = [start]
        while let next = queue.popLast() {
            if next == goal { return true }
            guard seen.insert(next).inserted else { continue }
            queue += graph[next] ?? []
        }
        return false
    }
}
