struct NetgoIsNotStaticRule: Rule {
    static let description = RuleDescription(
        id: "KB104", name: "netgo-is-not-static", severity: .info, category: .minimalImage,
        summary: "`-tags netgo` is relied on for a static Go binary while cgo stays on.",
        rationale: """
            The netgo build tag selects Go's own DNS resolver instead of the C library's, which removes one \
            reason for cgo. It does not turn cgo off: any other package with C code (os/user, a dependency \
            with `import "C"`) brings dynamic linking back, and the binary stops working in an empty image \
            after an innocent change. `CGO_ENABLED=0` states the intent and is checked by the compiler.
            """,
        article: "go-static-binaries.md",
        examples: [
            .triggering("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                ↓RUN go build -tags netgo -o /out/api .
                FROM scratch
                COPY --from=build /out/api /api
                """),
            .passing("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN CGO_ENABLED=0 go build -tags netgo -o /out/api .
                FROM scratch
                COPY --from=build /out/api /api
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, final.traits?.libc != .glibc else { return }
        for shipped in build.shippedArtifacts(.nativeBinary)
        where shipped.artifact.usesNetgoTag && shipped.artifact.cgoEnabled != false {
            findings.append(finding(shipped.artifact.builtBy, """
                -tags netgo replaces the C resolver but leaves cgo on: another cgo package would make \
                \(shipped.artifact.path) dynamic again in \(build.describeBase(of: final)). Use CGO_ENABLED=0.
                """))
        }
    }
}
