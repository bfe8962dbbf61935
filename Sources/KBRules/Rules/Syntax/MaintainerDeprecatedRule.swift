import Foundation
import KBDockerfile

struct MaintainerDeprecatedRule: Rule {
    static let description = RuleDescription(
        id: "KB010", name: "maintainer-deprecated", severity: .info, category: .syntax, scope: .instruction,
        summary: "MAINTAINER, which is deprecated, instead of a label.",
        rationale: """
            Docker deprecated MAINTAINER in version 1.13 (2017); it only fills the image's `Author` field. \
            A label carries the same information where tools look for it: \
            `LABEL org.opencontainers.image.authors="…"` is the OCI annotation for it, and `docker inspect` \
            shows labels with the rest of the image configuration.
            """,
        equivalents: ["MaintainerDeprecated", "DL4000"],
        examples: [
            .triggering("""
                FROM debian:bookworm-slim
                ↓MAINTAINER Jane Doe <jane@example.com>
                """),
            .passing("""
                FROM debian:bookworm-slim
                LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
                """),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for instruction in build.instructions where instruction.kind == .maintainer {
            let author = instruction.arguments.joined(separator: " ").replacingOccurrences(of: "\"", with: "\\\"")
            findings.append(finding(at: instruction.keywordRange, """
                MAINTAINER is deprecated: write LABEL org.opencontainers.image.authors="\(author)" instead
                """))
        }
    }
}
