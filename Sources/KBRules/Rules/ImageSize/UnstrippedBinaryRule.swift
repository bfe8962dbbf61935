import KBDockerfile

struct UnstrippedBinaryRule: Rule {
    static let description = RuleDescription(
        id: "KB213", name: "unstripped-binary", severity: .info, category: .imageSize,
        summary: "A compiled binary reaches a small final image with its symbol table.",
        rationale: """
            Compilers leave a symbol table, and with `-g` debugging information, in the executable; neither \
            is needed to run it. `strip` removes them, and each toolchain can do it while linking: \
            `gcc -s`, `go build -ldflags="-s -w"`, `strip = true` in Cargo's release profile, \
            `rustc -C strip=symbols` (for Cargo builds kb needs the build context to read Cargo.toml, and is \
            silent without it). "The Quest for Minimal Docker Images" (part 3) judges it "not likely \
            to be a game changer", but it helps where every byte counts, which is why kb reports it only for \
            final images built on scratch, distroless, Alpine or BusyBox, where the program is a large part \
            of the image; on a Debian or Ubuntu base the saving is lost in the rest. Keep an unstripped copy \
            outside the image if you will need to read core dumps.
            """,
        article: "going-further.md#strip-the-binaries",
        examples: [
            .triggering("""
                FROM debian:bookworm AS build
                RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
                COPY main.c .
                RUN gcc -O2 -static -o /out/tool main.c
                FROM scratch
                ↓COPY --from=build /out/tool /tool
                ENTRYPOINT ["/tool"]
                """),
            .passing("""
                FROM debian:bookworm AS build
                RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
                COPY main.c .
                RUN gcc -O2 -static -o /out/tool main.c && strip /out/tool
                FROM scratch
                COPY --from=build /out/tool /tool
                ENTRYPOINT ["/tool"]
                """),
            .passing("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/api .
                FROM scratch
                COPY --from=build /out/api /api
                ENTRYPOINT ["/api"]
                """),
            .passing("""
                FROM rust:1 AS build
                WORKDIR /src
                COPY . .
                RUN cargo build --release
                FROM gcr.io/distroless/cc-debian12
                COPY --from=build /src/target/release/hello /hello
                """, context: ["Cargo.toml": "[package]\nname = \"hello\"\n\n[profile.release]\nstrip = true\n"],
                note: "Cargo strips when the release profile says so."),
        ])

    static let compilers: Set<String> = ["gcc", "cc", "clang", "g++", "c++", "clang++", "musl-gcc", "x86_64-linux-musl-gcc", "x86_64-linux-gnu-gcc"]

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, isSmall(build.rootBase(of: final), traits: build.lineage(of: final).last?.baseTraits) else { return }
        var reported: Set<String> = []
        for artifact in final.artifacts where artifact.kind == .nativeBinary && !artifact.isStripped {
            guard let advice = advice(for: artifact.tool), reported.insert(artifact.path).inserted else { continue }
            // Cargo strips by its release profile, which kb reads only with a build context.
            if artifact.tool.hasPrefix("cargo "), build.context?.files["Cargo.toml"] == nil { continue }
            let placedBy = artifact.copiedBy.last ?? artifact.builtBy
            findings.append(finding(at: placedBy.range, """
                \(artifact.path) (built by \(artifact.tool) in \(build.stages[artifact.builtInStage].mention), line \
                \(artifact.builtBy.range.start.line)) keeps its symbol table: \(advice)
                """))
        }
    }

    private func advice(for tool: String) -> String? {
        if UnstrippedBinaryRule.compilers.contains(tool) { return "link with -s, or run strip on it in the build stage" }
        if tool.hasPrefix("go ") { return #"build with -ldflags="-s -w""# }
        if tool.hasPrefix("cargo ") { return "set strip = true in Cargo.toml's [profile.release] (or -C strip=symbols in RUSTFLAGS)" }
        if tool == "rustc" { return "compile with -C strip=symbols" }
        return nil
    }

    /// Bases where the program is a large part of the image.
    private func isSmall(_ base: Stage.Base, traits: ImageTraits?) -> Bool {
        switch base {
        case .scratch: return true
        case let .image(reference):
            return reference.name.hasPrefix("gcr.io/distroless/") || reference.repository == "busybox"
                || reference.name == "alpine" || traits?.libc == LibC.none
        default: return false
        }
    }
}
