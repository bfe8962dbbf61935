struct DynamicBinaryInEmptyImageRule: Rule {
    static let description = RuleDescription(
        id: "KB101", name: "dynamic-binary-in-empty-image", severity: .error, category: .minimalImage,
        summary: "A dynamically linked binary is copied into an image without a C library.",
        rationale: """
            A dynamically linked program starts by asking the kernel for its loader (for glibc on x86-64, \
            /lib64/ld-linux-x86-64.so.2), which then loads libc.so.6 and the rest. `scratch` and distroless \
            `static` have neither, so the container dies before main() with the unhelpful \
            `exec /app: no such file or directory` (older runtimes: `standard_init_linux.go:211: exec user \
            process caused "no such file or directory"`): the missing file is the loader, not the program. \
            gcc links dynamically unless told `-static`; Go does whenever cgo is on and the code imports net or \
            os/user; Rust does for its default gnu target. Build statically, or pick a run image that has the \
            right C library.
            """,
        article: "static-and-dynamic-linking.md",
        examples: [
            .triggering("""
                FROM gcc:13 AS build
                COPY hello.c .
                RUN gcc -o /hello hello.c
                FROM scratch
                ↓COPY --from=build /hello /hello
                ENTRYPOINT ["/hello"]
                """),
            .triggering("""
                FROM rust:1.79 AS build
                WORKDIR /src
                COPY . .
                RUN cargo build --release
                FROM gcr.io/distroless/static-debian12
                ↓COPY --from=build /src/target/release/server /server
                ENTRYPOINT ["/server"]
                """, note: "Rust's default target links against glibc."),
            .triggering("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN go build -o /store .
                FROM scratch
                ↓COPY --from=build /store /store
                ENTRYPOINT ["/store"]
                """, context: ["main.go": "package main\n\nimport (\n\t\"database/sql\"\n\n\t_ \"github.com/mattn/go-sqlite3\"\n)\n\nfunc main() { sql.Open(\"sqlite3\", \":memory:\") }\n"],
                note: "go-sqlite3 is a cgo binding to SQLite's C library: with cgo on, the program links against glibc."),
            .triggering("""
                FROM rust:1.79-alpine AS build
                WORKDIR /src
                COPY . .
                ENV RUSTFLAGS="-C target-feature=-crt-static"
                RUN cargo build --release
                FROM scratch
                ↓COPY --from=build /src/target/release/agent /agent
                ENTRYPOINT ["/agent"]
                """, note: "`-crt-static` turns off the static linking that Rust's musl targets default to."),
            .passing("""
                FROM gcc:13 AS build
                COPY hello.c .
                RUN gcc -static -o /hello hello.c
                FROM scratch
                COPY --from=build /hello /hello
                ENTRYPOINT ["/hello"]
                """),
            .passing("""
                FROM rust:1.79 AS build
                WORKDIR /src
                COPY . .
                RUN rustup target add x86_64-unknown-linux-musl && cargo build --release --target x86_64-unknown-linux-musl
                FROM scratch
                COPY --from=build /src/target/x86_64-unknown-linux-musl/release/server /server
                ENTRYPOINT ["/server"]
                """, note: "The musl target links statically."),
            .passing("""
                FROM debian:bookworm AS build
                RUN apt-get update && apt-get install -y --no-install-recommends build-essential
                COPY . /src
                RUN make -C /src
                FROM scratch
                COPY --from=build /src/hello /hello
                """, note: "kb cannot know what make built, so it says nothing."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, final.traits?.libc == LibC.none else { return }
        for shipped in build.shippedArtifacts(.nativeBinary) {
            guard case let .dynamic(libc) = shipped.artifact.linkage else { continue }
            findings.append(finding(shipped.placedBy, """
                \(shipped.artifact.describe(in: build)) is linked dynamically against \(libc.rawValue), but \
                \(build.describeBase(of: final)) has no C library and no loader (\(libc.loader)): the container will \
                fail with "no such file or directory". Link it statically, or run it on an image with \(libc.rawValue).
                """))
        }
    }
}
