struct HandCopiedGlibcRule: Rule {
    static let description = RuleDescription(
        id: "KB115", name: "hand-copied-glibc", severity: .warning, category: .minimalImage,
        summary: "glibc's loader and libraries are copied by hand into an empty image.",
        rationale: """
            Copying the libraries that `ldd` lists (ld-linux, libc.so.6…) into scratch makes a dynamic \
            binary start, but glibc loads more at run time than ldd shows: name resolution goes through \
            /etc/nsswitch.conf and libnss_* modules, so DNS quietly fails. The copy must also be redone by \
            hand whenever the build image changes. Link statically, or use an image that ships glibc \
            (distroless base, debian:bookworm-slim).
            """,
        article: "static-and-dynamic-linking.md",
        examples: [
            .triggering("""
                FROM gcc:13 AS build
                COPY main.c .
                RUN gcc -o /tool main.c
                FROM scratch
                ↓COPY --from=build /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/
                ↓COPY --from=build /lib64/ld-linux-x86-64.so.2 /lib64/
                COPY --from=build /tool /tool
                """),
            .triggering("""
                FROM gcc:13 AS build
                COPY main.c .
                RUN gcc -o /tool main.c && mkdir /rootfs && ldd /tool | grep -o '/[^ ]*' | xargs -I{} cp -L --parents {} /rootfs/
                FROM scratch
                ↓COPY --from=build /rootfs/ /
                COPY --from=build /tool /tool
                """, note: "The same, scripted with ldd."),
            .passing("""
                FROM gcc:13 AS build
                COPY main.c .
                RUN gcc -o /tool main.c
                FROM gcr.io/distroless/base-debian12
                COPY --from=build /tool /tool
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, final.baseTraits?.libc == LibC.none else { return }
        for copy in final.copies {
            guard case let .stage(origin) = copy.source else { continue }
            // A folder filled from `ldd` output: the same technique, scripted.
            if build.stages[origin].commands.contains(where: { $0.command.program == "ldd" }),
               PathMath.normalize(copy.destination) == "/" {
                findings.append(finding(copy.instruction, """
                    The libraries that ldd listed in stage '\(build.stages[origin].displayName)' are copied into \
                    \(build.describeBase(of: final)) by hand: what glibc loads at run time (NSS modules for DNS) is not \
                    in that list. Link statically, or use a base that ships glibc.
                    """))
                continue
            }
            let glibcPieces = copy.sources.filter { path in
                let name = PathMath.basename(path)
                return name.hasPrefix("ld-linux") || name.hasPrefix("libc.so") || name.hasPrefix("libnss_")
                    || path.hasPrefix("/lib/x86_64-linux-gnu") || path.hasPrefix("/lib64") || path.hasPrefix("/lib/aarch64-linux-gnu")
            }
            guard !glibcPieces.isEmpty else { continue }
            findings.append(finding(copy.instruction, """
                Copying \(glibcPieces.joined(separator: ", ")) into \(build.describeBase(of: final)) by hand misses what \
                glibc loads at run time (NSS modules for DNS) and must be redone when the build image changes. Link \
                statically, or use a base that ships glibc.
                """))
        }
    }
}
