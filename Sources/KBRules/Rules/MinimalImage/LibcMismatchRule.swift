struct LibcMismatchRule: Rule {
    static let description = RuleDescription(
        id: "KB102", name: "libc-mismatch", severity: .error, category: .minimalImage,
        summary: "A binary linked against one C library is copied into an image built on another.",
        rationale: """
            A program linked dynamically against the GNU C library needs glibc's loader and libc.so.6 at run \
            time; one linked against musl needs musl's. Alpine has only musl, Debian and Ubuntu only glibc, \
            and busybox's uclibc and musl variants neither of the others. Copying a binary across that line \
            fails exactly like an empty image does, with "no such file or directory" for the loader. Build \
            in a stage with the same C library as the run stage (golang:alpine for alpine, for example), or \
            link statically so that no loader is needed. On Alpine with the gcompat shim installed \
            (which provides glibc's loader name and many of its symbols) the rule only warns: many glibc \
            programs start there, not all.
            """,
        article: "alpine-and-musl.md",
        examples: [
            .triggering("""
                FROM gcc:13 AS build
                COPY hello.c .
                RUN gcc -O2 -o /usr/local/bin/hello hello.c
                FROM alpine:3.20
                ↓COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
                CMD ["hello"]
                """),
            .triggering("""
                FROM alpine:3.20 AS build
                RUN apk add --no-cache build-base
                COPY tool.c .
                RUN gcc -o /tool tool.c
                FROM debian:bookworm-slim
                ↓COPY --from=build /tool /tool
                """, note: "musl to glibc fails too."),
            .triggering("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN go build -o /out/api .
                FROM busybox:1.31-uclibc
                ↓COPY --from=build /out/api /api
                """, context: ["main.go": "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"]),
            .passing("""
                FROM alpine:3.20 AS build
                RUN apk add --no-cache build-base
                COPY hello.c .
                RUN gcc -o /hello hello.c
                FROM alpine:3.20
                COPY --from=build /hello /hello
                """),
            .passing("""
                FROM gcc:13 AS build
                COPY hello.c .
                RUN gcc -static -o /hello hello.c
                FROM alpine:3.20
                COPY --from=build /hello /hello
                """, note: "A static glibc binary runs on Alpine."),
            .triggering("""
                FROM rust:1.77 AS build
                COPY . .
                RUN cargo build --release
                FROM alpine:3.20
                RUN apk add --no-cache gcompat
                ↓COPY --from=build /target/release/app /usr/local/bin/app
                """, note: "With gcompat installed, a warning: the shim often, not always, suffices."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, let runtimeLibc = final.traits?.libc, runtimeLibc != .none else { return }
        for shipped in build.shippedArtifacts(.nativeBinary) {
            guard case let .dynamic(libc) = shipped.artifact.linkage, libc != runtimeLibc else { continue }
            // busybox:glibc holds a partial glibc: KB114 speaks for that case.
            if libc == .glibc, runtimeLibc == .musl,
               let shim = final.installedPackages.sorted().first(where: { ["gcompat", "libc6-compat"].contains($0) }) {
                // The shim provides glibc's loader name and many of its symbols: often enough.
                findings.append(finding(shipped.placedBy, """
                    \(shipped.artifact.describe(in: build)) is linked against glibc, and \(build.describeBase(of: final)) \
                    uses musl with \(shim) installed: the shim lets many glibc programs start, but not every glibc \
                    symbol is there. Build it in a musl stage, or link it statically.
                    """, severity: .warning))
                continue
            }
            findings.append(finding(shipped.placedBy, """
                \(shipped.artifact.describe(in: build)) is linked against \(libc.rawValue), but \
                \(build.describeBase(of: final)) uses \(runtimeLibc.rawValue): the loader \(libc.loader) is missing and \
                the container will fail with "no such file or directory". Build it in a \(runtimeLibc.rawValue) stage, \
                or link it statically.
                """))
        }
    }
}
