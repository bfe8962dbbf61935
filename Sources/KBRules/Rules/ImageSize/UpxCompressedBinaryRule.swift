import KBDockerfile

struct UpxCompressedBinaryRule: Rule {
    static let description = RuleDescription(
        id: "KB211", name: "upx-compressed-binary", severity: .warning, category: .imageSize,
        summary: "An executable packed with UPX ends up in the final image.",
        rationale: """
            UPX compresses an executable and prepends code that decompresses it when it starts. For an \
            image it saves nothing where it counts: layers are already compressed for transfer, so the \
            pull is not smaller. And it costs at run time: a normal executable is mapped from disk and \
            read page by page, with its pages shared between processes, while a packed one is \
            decompressed in full into private memory at every start, so memory use and start-up time go \
            up, noticeably for large Go binaries. "The Quest for Minimal Docker Images" (part 3) calls it \
            very counter-productive. If bytes matter, strip the binary instead.
            """,
        article: "going-further.md#upx",
        examples: [
            .triggering("""
                FROM golang:1.22 AS build
                COPY . /src
                RUN cd /src && CGO_ENABLED=0 go build -o /app . && upx --best /app
                FROM scratch
                ↓COPY --from=build /app /app
                ENTRYPOINT ["/app"]
                """, note: "The finding is on the COPY that brings the packed binary into the image."),
            .triggering("""
                FROM alpine:3.20
                COPY tool /usr/local/bin/tool
                ↓RUN apk add --no-cache upx && upx /usr/local/bin/tool
                """, note: "Packed in the final stage itself."),
            .passing("""
                FROM golang:1.22 AS build
                COPY . /src
                RUN cd /src && CGO_ENABLED=0 go build -ldflags="-s -w" -o /app .
                FROM scratch
                COPY --from=build /app /app
                ENTRYPOINT ["/app"]
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage else { return }
        let lineage = build.lineage(of: final)
        let lineageIndices = Set(lineage.map(\.index))
        var reported: Set<String> = []
        for artifact in final.artifacts where artifact.isCompressedWithUPX && !lineageIndices.contains(artifact.builtInStage) {
            guard let copy = artifact.copiedBy.last, reported.insert(artifact.path).inserted else { continue }
            findings.append(finding(at: copy.range, """
                \(artifact.path) was packed with UPX in \(build.stages[artifact.builtInStage].mention) and is copied into the \
                final image: it is unpacked into memory at every start and the pull is no smaller; drop the upx step \
                (strip the binary instead if size matters)
                """))
        }
        for stage in lineage.reversed() {
            for run in stage.instructions where run.kind == .run {
                let commands = build.commands(of: run)
                for (index, command) in commands.enumerated() where command.program == "upx" && !command.has("-d", "--decompress", "-t", "--test", "-l", "--list", "-V", "--version") {
                    let targets = command.words.dropFirst().filter { !$0.hasPrefix("-") }
                    findings.append(finding(at: run.sourceRange(ofCommandAt: index, in: commands), """
                        upx packs \(targets.isEmpty ? "an executable" : targets.joined(separator: ", ")) in the final image: it is unpacked \
                        into memory at every start and the pull is no smaller; drop this step (strip the binary instead if size matters)
                        """))
                }
            }
        }
    }
}
