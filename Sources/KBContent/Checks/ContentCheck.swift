import KBRules

/// The checks kb runs on a knowledge base, each with a stable ID and name, like the rules.
/// IDs are `KC` + number: 0xx articles and front matter, 01x links.
public enum ContentCheck: String, CaseIterable, Sendable {
    case invalidUTF8 = "KC001"
    case notText = "KC002"
    case missingFrontMatter = "KC003"
    case malformedFrontMatter = "KC004"
    case missingTitle = "KC005"
    case unknownFrontMatterKey = "KC006"
    case unreadableFile = "KC007"
    case duplicatePage = "KC008"
    case brokenLink = "KC010"
    case brokenAnchor = "KC011"
    case linkOutsideRoot = "KC012"
    case remoteImage = "KC013"

    public var id: String { rawValue }

    public var name: String {
        switch self {
        case .invalidUTF8: "invalid-utf8"
        case .notText: "not-text"
        case .missingFrontMatter: "missing-front-matter"
        case .malformedFrontMatter: "malformed-front-matter"
        case .missingTitle: "missing-title"
        case .unknownFrontMatterKey: "unknown-front-matter-key"
        case .unreadableFile: "unreadable-file"
        case .duplicatePage: "duplicate-page"
        case .brokenLink: "broken-link"
        case .brokenAnchor: "broken-anchor"
        case .linkOutsideRoot: "link-outside-root"
        case .remoteImage: "remote-image"
        }
    }

    public var severity: Severity { .error }

    /// A diagnostic of this check at a place.
    public func at(_ file: String, line: Int, column: Int = 1, _ message: String) -> Diagnostic {
        Diagnostic(file: file, line: line, column: column, severity: severity, rule: id, name: name, message: message)
    }
}
