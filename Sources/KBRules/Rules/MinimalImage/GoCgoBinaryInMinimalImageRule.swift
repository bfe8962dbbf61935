struct GoCgoBinaryInMinimalImageRule: Rule {
    static let description = RuleDescription(
        id: "KB103", name: "go-cgo-in-minimal-image", severity: .warning, category: .minimalImage,
        summary: "A Go binary built with cgo on is copied into an image without glibc.",
        rationale: """
            Go links statically by default, except when cgo is on and the program uses a package with a C \
            implementation: net (DNS resolution), os/user, or any `import "C"`. cgo is on by default when a C \
            compiler is present, and the Debian-based golang images ship gcc; since Go 1.20 it defaults to off \
            only where no C compiler is found. The result is a binary that needs glibc's loader and fails in \
            scratch, distroless static or Alpine. `CGO_ENABLED=0` guarantees a static binary. When kb can read \
            the build context it checks the imports and reports an error when a cgo package is imported; \
            without the sources it is a warning.
            """,
        article: "go-static-binaries.md",
        examples: [
            .triggering("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN go build -o /out/api .
                FROM scratch
                ↓COPY --from=build /out/api /api
                ENTRYPOINT ["/api"]
                """, context: ["main.go": "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n\nfunc main() { fmt.Println(http.StatusOK) }\n"],
                note: "net/http with cgo on: dynamic."),
            .triggering("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN go build -o /out/api .
                FROM alpine:3.20
                ↓COPY --from=build /out/api /api
                """, note: "Without the sources kb cannot see the imports: a warning."),
            .passing("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN CGO_ENABLED=0 go build -o /out/api .
                FROM scratch
                COPY --from=build /out/api /api
                """),
            .passing("""
                FROM golang:1.22 AS build
                ENV CGO_ENABLED=0
                WORKDIR /src
                COPY . .
                RUN go build -o /out/api .
                FROM scratch
                COPY --from=build /out/api /api
                """),
            .passing("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN go build -o /out/hello .
                FROM scratch
                COPY --from=build /out/hello /hello
                """, context: ["main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"],
                note: "Only fmt: static even with cgo on."),
            .passing("""
                FROM golang:1.22-alpine AS build
                WORKDIR /src
                COPY . .
                RUN go build -o /out/api .
                FROM alpine:3.20
                COPY --from=build /out/api /api
                """, note: "golang:alpine has no C compiler: cgo is off."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, let runtimeLibc = final.traits?.libc, runtimeLibc != .glibc else { return }
        for shipped in build.shippedArtifacts(.nativeBinary) where shipped.artifact.tool.hasPrefix("go ") {
            switch shipped.artifact.linkage {
            case let .dynamic(libc)? where libc != runtimeLibc:
                // KB101/KB102 report the certain case; this rule adds the Go-specific fix.
                findings.append(finding(shipped.placedBy, """
                    \(shipped.artifact.describe(in: build)): the code imports a package that needs cgo, so the \
                    binary needs \(libc.rawValue), which \(build.describeBase(of: final)) lacks. Build with \
                    CGO_ENABLED=0 for a static binary.
                    """, severity: .error))
            case let .likelyDynamic(libc)? where libc != runtimeLibc:
                findings.append(finding(shipped.placedBy, """
                    \(shipped.artifact.describe(in: build)): with cgo on, a program that imports net or os/user \
                    links against \(libc.rawValue), which \(build.describeBase(of: final)) lacks. Set CGO_ENABLED=0 \
                    in the build stage to be sure the binary is static.
                    """))
            default:
                continue
            }
        }
    }
}
