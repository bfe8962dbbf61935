struct ApkGccWithoutLibcHeadersRule: Rule {
    static let description = RuleDescription(
        id: "KB112", name: "apk-gcc-without-libc-headers", severity: .warning, category: .minimalImage,
        summary: "`apk add gcc` without the C library headers, then a C build.",
        rationale: """
            On Alpine the gcc package is the compiler alone: the C library's headers and start files come \
            with musl-dev, and make, binutils and the rest with build-base, Alpine's counterpart of Debian's \
            build-essential. A C build after `apk add gcc` alone stops at the first `#include <stdio.h>`. \
            Install build-base (or at least musl-dev).
            """,
        article: "alpine-and-musl.md",
        examples: [
            .triggering("""
                FROM alpine:3.20 AS build
                ↓RUN apk add --no-cache gcc
                COPY main.c .
                RUN gcc -static -o /tool main.c
                """),
            .passing("""
                FROM alpine:3.20 AS build
                RUN apk add --no-cache build-base
                COPY main.c .
                RUN gcc -static -o /tool main.c
                """),
            .passing("""
                FROM alpine:3.20 AS build
                RUN apk add --no-cache gcc musl-dev
                COPY main.c .
                RUN gcc -static -o /tool main.c
                """),
        ])

    static let headerPackages: Set<String> = ["build-base", "musl-dev", "libc-dev"]

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for stage in build.stages where stage.traits?.libc == .musl {
            guard stage.installedPackages.contains("gcc"), stage.installedPackages.isDisjoint(with: Self.headerPackages) else { continue }
            let compiles = stage.artifacts.contains { $0.builtInStage == stage.index && ["gcc", "cc", "clang"].contains($0.tool) }
                || stage.commands.contains { ["make", "gcc", "cc"].contains($0.command.program ?? "") && $0.command.program != nil }
            guard compiles,
                  let install = stage.commands.first(where: { ($0.command.program == "apk") && $0.command.words.contains("gcc") })?.run
            else { continue }
            findings.append(finding(install, """
                Alpine's gcc package has no C library headers: the build in stage '\(stage.displayName)' will not find \
                stdio.h. Install build-base (or add musl-dev).
                """))
        }
    }
}
