import KBRules

/// The checks kb runs on a knowledge base, each with a stable ID and name, like the rules.
/// IDs are `KC` + number: 00x articles and front matter, 01x links, 02x code blocks,
/// 03x size tables, 04x input limits (see ExampleCheck for 1xx, Configuration for 090).
public enum ContentCheck: String, CaseIterable, KnowledgeBaseCheck {
    case invalidUTF8 = "KC001"
    case notText = "KC002"
    case missingFrontMatter = "KC003"
    case malformedFrontMatter = "KC004"
    case missingTitle = "KC005"
    case unknownFrontMatterKey = "KC006"
    case unreadableFile = "KC007"
    case duplicatePage = "KC008"
    case unsafeFileName = "KC009"
    case brokenLink = "KC010"
    case brokenAnchor = "KC011"
    case linkOutsideRoot = "KC012"
    case remoteImage = "KC013"
    case unsafeLink = "KC014"
    case invalidCodeBlockInfo = "KC020"
    case unknownExample = "KC021"
    case exampleDrift = "KC022"
    case unknownRule = "KC023"
    case expectedFindingMissing = "KC024"
    case unexpectedFinding = "KC025"
    case missingFrom = "KC026"
    case invalidTable = "KC030"
    case missingResult = "KC031"
    case staleResult = "KC032"
    case baselineNotListed = "KC033"
    case unknownDataFile = "KC034"
    case invalidDataFile = "KC035"
    case inputTooLarge = "KC040"

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
        case .unsafeFileName: "unsafe-file-name"
        case .brokenLink: "broken-link"
        case .brokenAnchor: "broken-anchor"
        case .linkOutsideRoot: "link-outside-root"
        case .remoteImage: "remote-image"
        case .unsafeLink: "unsafe-link"
        case .invalidCodeBlockInfo: "invalid-code-block-info"
        case .unknownExample: "unknown-example"
        case .exampleDrift: "example-drift"
        case .unknownRule: "unknown-rule"
        case .expectedFindingMissing: "expected-finding-missing"
        case .unexpectedFinding: "unexpected-finding"
        case .missingFrom: "dockerfile-without-from"
        case .invalidTable: "invalid-table"
        case .missingResult: "missing-result"
        case .staleResult: "stale-result"
        case .baselineNotListed: "baseline-not-listed"
        case .unknownDataFile: "unknown-data-file"
        case .invalidDataFile: "invalid-data-file"
        case .inputTooLarge: "input-too-large"
        }
    }

    public var severity: Severity { .error }
}
