import KBDockerfile

struct AddForLocalFilesRule: Rule {
    static let description = RuleDescription(
        id: "KB306", name: "add-for-local-files", severity: .warning, category: .practice, scope: .instruction,
        summary: "ADD used to copy local files or folders, which COPY does.",
        rationale: """
            ADD does what COPY does and two more things: it downloads URLs, and it unpacks local tar \
            archives (compressed or not) into the destination. When neither is wanted, those extras are \
            surprises waiting to happen: a file that happens to be a tar archive gets unpacked instead of \
            copied. COPY says exactly what happens. ADD remains the right tool for a URL (with \
            `--checksum`), a Git repository, or a local archive you do want unpacked, and kb does not report \
            those.
            """,
        equivalents: ["DL3020"],
        examples: [
            .triggering("""
                FROM debian:bookworm-slim
                ↓ADD app.py requirements.txt /app/
                """),
            .passing("""
                FROM debian:bookworm-slim
                COPY app.py requirements.txt /app/
                ADD rootfs.tar.gz /
                ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /tmp/
                ADD https://github.com/moby/buildkit.git#v0.14.1 /src
                """, note: "An archive to unpack, a URL and a Git repository."),
        ])

    static let archiveSuffixes = [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz", ".tar.zst", ".tzst",
        ".tar.lz", ".tlz", ".tar.lzma", ".tar.z", ".tz",
    ]

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for instruction in build.instructions where instruction.kind == .add {
            guard let sources = instruction.copy?.sourcePaths, !sources.isEmpty else { continue }
            let local = sources.filter { source in
                let lowered = source.lowercased()
                return !lowered.containsBytes("://") && !lowered.hasPrefix("git@") && !lowered.containsBytes("$")
                    && !AddForLocalFilesRule.archiveSuffixes.contains { lowered.hasSuffix($0) }
            }
            guard local.count == sources.count else { continue }
            findings.append(finding(at: instruction.keywordRange, """
                ADD copies \(local.joined(separator: ", ")) from the build context, which COPY does without ADD's URL \
                downloads and archive unpacking: use COPY
                """))
        }
    }
}
