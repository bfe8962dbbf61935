import KBDockerfile

struct RelativeWorkdirRule: Rule {
    static let description = RuleDescription(
        id: "KB310", name: "relative-workdir", severity: .warning, category: .practice, scope: .instruction,
        summary: "WORKDIR with a relative path before any absolute one in the stage.",
        rationale: """
            A relative WORKDIR is resolved against the working directory in effect, which at the start of a \
            stage is whatever the base image chose: `/` for most, `/go` for golang, something else after the \
            next release. The same `WORKDIR src` then means different folders, and paths built on it (COPY \
            destinations, `COPY --from` sources in a later stage) move with it. An absolute WORKDIR says \
            where things go regardless of the base. As in BuildKit's WorkdirRelativePath check, a relative \
            WORKDIR after an absolute one in the same stage (or the stages it is built on) is fine.
            """,
        article: "multi-stage-builds.md#source-paths-are-read-from-the-root-of-the-stage",
        equivalents: ["WorkdirRelativePath"],
        examples: [
            .triggering("""
                FROM golang:1.22 AS build
                WORKDIR ↓src
                COPY . .
                """),
            .passing("""
                FROM golang:1.22 AS build
                WORKDIR /src
                WORKDIR cmd/api
                COPY . .
                """, note: "Relative to an absolute WORKDIR set in the stage."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        var anchored: [String: (Bool, String?)] = [:]   // stage name → absolute WORKDIR set, resulting directory
        var hasAbsolute = false
        var directory: String?
        var stageName: String?
        for instruction in build.instructions {
            switch instruction.kind {
            case .from:
                if let stageName { anchored[stageName] = (hasAbsolute, directory) }
                let base = instruction.fromParts.image.lowercased()
                let stage = build.stage(containing: instruction)
                if let inherited = anchored[base] {
                    (hasAbsolute, directory) = inherited
                } else {
                    hasAbsolute = false
                    directory = stage.map { $0.baseTraits?.workdir ?? ($0.baseTraits == nil && $0.base != .scratch ? nil : "/") } ?? nil
                }
                stageName = instruction.fromParts.name?.lowercased()
            case .workdir:
                guard let path = instruction.arguments.first, !path.containsBytes("$") else { hasAbsolute = true; continue }
                if path.hasPrefix("/") {
                    hasAbsolute = true
                    directory = PathMath.normalize(path)
                    continue
                }
                let resolved = directory.map { PathMath.resolve(path, in: $0) }
                if !hasAbsolute {
                    // A path is shown only while it is short enough to read in a message.
                    let hint = resolved.flatMap { $0.utf8.count <= 200 ? "; today that is \($0): write WORKDIR \($0)" : nil } ?? ": write the absolute path"
                    findings.append(finding(at: instruction.argumentsRange ?? instruction.range, """
                        WORKDIR \(path) is relative to the working directory the base image sets, which can change with the \
                        base\(hint)
                        """))
                }
                directory = resolved
            default:
                break
            }
        }
    }
}
