import KBDockerfile

struct ArchiveUnpackedAtStartRule: Rule {
    static let description = RuleDescription(
        id: "KB212", name: "archive-unpacked-at-start", severity: .info, category: .imageSize,
        summary: "The container unpacks an archive from the image every time it starts.",
        rationale: """
            Shipping files compressed and unpacking them when the container starts looks like a saving, \
            and "The Quest for Minimal Docker Images" (part 3) calls it a bad good idea. Layers are \
            already compressed for transfer, so the pull is not faster. Once unpacked, both the archive and \
            its contents take disk space. And the unpacked files are written to each container's own \
            writable layer, so they are not shared between containers the way files of image layers are, \
            and every start pays the time to unpack them. Put the files in the image as they are: `COPY` the \
            folder, or let `ADD` unpack a local tar archive at build time.
            """,
        article: "going-further.md#compression-is-a-false-friend",
        examples: [
            .triggering("""
                FROM nginx:alpine
                COPY site.tar.gz /srv/
                ↓CMD ["sh", "-c", "tar -xzf /srv/site.tar.gz -C /usr/share/nginx/html && exec nginx -g 'daemon off;'"]
                """),
            .passing("""
                FROM nginx:alpine
                COPY site/ /usr/share/nginx/html/
                """),
            .passing("""
                FROM nginx:alpine
                ADD site.tar.gz /usr/share/nginx/html/
                """, note: "ADD unpacks a local tar archive at build time."),
        ])

    static let archiveSuffixes = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".zip", ".gz", ".xz", ".bz2", ".zst", ".7z"]

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage else { return }
        let startup = build.lineage(of: final).lazy.map(\.effectiveCommands).first { !$0.isEmpty } ?? []
        for instruction in startup {
            let commands = build.commands(of: instruction)
            for (index, command) in commands.enumerated() {
                guard let archive = unpackedArchive(command) else { continue }
                findings.append(finding(at: instruction.sourceRange(ofCommandAt: index, in: commands), """
                    \(instruction.keyword.uppercased()) unpacks \(archive) at every container start: the files land in each container's \
                    writable layer, unshared, next to the archive; put them in the image unpacked (COPY the folder, or ADD a local \
                    tar archive, which is unpacked at build time)
                    """))
                break
            }
        }
    }

    /// The archive a command extracts, when it is an extraction of a named archive.
    private func unpackedArchive(_ command: ShellCommand) -> String? {
        guard let program = command.program else { return nil }
        let arguments = command.words.dropFirst()
        let archive = arguments.first { word in !word.hasPrefix("-") && ArchiveUnpackedAtStartRule.archiveSuffixes.contains { word.lowercased().hasSuffix($0) } }
        switch program {
        case "tar", "bsdtar":
            // `tar -xzf f`, `tar xzf f`, `tar --extract -f f`
            let extracts = arguments.first.map { first in
                (first.hasPrefix("-") && !first.hasPrefix("--") || !first.hasPrefix("-")) && first.containsBytes("x")
            } ?? false || arguments.contains("--extract") || arguments.contains("--get")
            return extracts ? archive ?? "an archive" : nil
        case "unzip", "gunzip", "bunzip2", "unxz", "unzstd", "7z", "7za":
            if program.hasPrefix("7z"), arguments.first != "x", arguments.first != "e" { return nil }
            return archive
        case "gzip", "xz", "bzip2", "zstd":
            return command.has("-d", "--decompress") ? archive : nil
        default:
            return nil
        }
    }
}
