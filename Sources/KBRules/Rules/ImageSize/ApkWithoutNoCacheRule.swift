import KBDockerfile

struct ApkWithoutNoCacheRule: Rule {
    static let description = RuleDescription(
        id: "KB206", name: "apk-without-no-cache", severity: .info, category: .imageSize, scope: .instruction,
        summary: "apk add without --no-cache in the final image.",
        rationale: """
            `apk add` first fetches the repository indexes and keeps them in /var/cache/apk, where they stay \
            in the layer of that RUN. `apk add --no-cache` fetches them, uses them and throws them away, so \
            there is no `apk update` to run first and nothing to remove afterwards. An explicit \
            `rm -rf /var/cache/apk/*` in the same RUN, or a cache mount on /var/cache/apk, works too. As \
            with the apt lists, kb reports this only in the final stage and the stages it is built on, \
            where the files ship.
            """,
        equivalents: ["DL3019"],
        examples: [
            .triggering("""
                FROM alpine:3.20
                ↓RUN apk update && apk add ca-certificates
                """, note: "The finding points at the first apk command of the RUN."),
            .passing("""
                FROM alpine:3.20
                RUN apk add --no-cache ca-certificates
                """),
            .passing("""
                FROM alpine:3.20 AS build
                RUN apk add build-base
                COPY main.c .
                RUN gcc -static -o /tool main.c
                FROM scratch
                COPY --from=build /tool /tool
                """, note: "A build stage's layers do not ship."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for run in build.instructions where run.kind == .run {
            if let stage = build.stage(containing: run), !build.isShipped(stage) { continue }
            let commands = build.commands(of: run)
            let adds = commands.indices.filter { commands[$0].program == "apk" && commands[$0].packageManagerVerb?.verb == "add" }
            guard let firstAdd = adds.first else { continue }
            let cleaned = commands.contains { $0.program == "rm" && $0.words.contains { $0.hasPrefix("/var/cache/apk") } }
                || run.mounts.contains { ($0["target"] ?? $0["dst"] ?? $0["destination"]).map { $0.hasPrefix("/var/cache/apk") || $0.hasPrefix("/etc/apk/cache") } ?? false }
            guard !cleaned else { continue }
            let uncached = adds.filter { !commands[$0].words.contains("--no-cache") }
            guard let first = uncached.first else { continue }
            let updates = commands.firstIndex { $0.program == "apk" && $0.packageManagerVerb?.verb == "update" }
            let packages = uncached.flatMap { commands[$0].installedPackageNames }
            findings.append(finding(at: run.sourceRange(ofCommandAt: min(updates ?? first, firstAdd, first), in: commands), """
                apk add \(packages.prefix(5).joined(separator: " "))\(packages.count > 5 ? " …" : "") keeps the package indexes in /var/cache/apk, in a layer that ships: \
                use apk add --no-cache\(updates != nil ? " (and drop apk update)" : "")
                """))
        }
    }
}
