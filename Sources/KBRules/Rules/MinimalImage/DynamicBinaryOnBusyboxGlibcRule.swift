struct DynamicBinaryOnBusyboxGlibcRule: Rule {
    static let description = RuleDescription(
        id: "KB114", name: "dynamic-binary-on-busybox-glibc", severity: .warning, category: .minimalImage,
        summary: "A dynamically linked binary relies on busybox's partial glibc.",
        rationale: """
            busybox:glibc carries a glibc loader and libc, enough for busybox itself, but not every \
            library a program may load: in 2020 Rust binaries failed there because libdl was missing \
            (`error while loading shared libraries: libdl.so.2`), and the busybox maintainers do not \
            promise that their libc suits other programs. Since December 2022 the plain busybox tags are \
            this variant. Use a full glibc image (debian:bookworm-slim) or a static binary. Rust binaries \
            are reported as errors, the case that was seen to fail.
            """,
        article: "static-and-dynamic-linking.md",
        examples: [
            .triggering("""
                FROM rust:1.79 AS build
                COPY main.rs .
                RUN rustc -o /svc main.rs
                FROM busybox:glibc
                ↓COPY --from=build /svc /svc
                CMD ["/svc"]
                """),
            .passing("""
                FROM rust:1.79 AS build
                COPY main.rs .
                RUN rustc -o /svc main.rs
                FROM debian:bookworm-slim
                COPY --from=build /svc /svc
                CMD ["/svc"]
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, final.traits?.libc == .glibc,
              case let .image(reference) = final.base, reference.repository == "busybox" else { return }
        for shipped in build.shippedArtifacts(.nativeBinary) {
            guard case .dynamic(.glibc) = shipped.artifact.linkage else { continue }
            let isRust = shipped.artifact.tool == "rustc" || shipped.artifact.tool.hasPrefix("cargo")
            findings.append(finding(shipped.placedBy, """
                \(shipped.artifact.describe(in: build)) needs glibc's shared libraries, and busybox:glibc has only \
                part of them\(isRust ? " (Rust binaries need libdl, which it lacks)" : ""). Run it on \
                debian:bookworm-slim, or link it statically.
                """, severity: isRust ? .error : nil))
        }
    }
}
