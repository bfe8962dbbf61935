import KBRules

/// The checks on `Examples/`, with stable IDs like the rules and the content checks.
/// IDs are `KC1xx`: 10x the example's files, 11x results.json, 12x recordings.
public enum ExampleCheck: String, CaseIterable, KnowledgeBaseCheck {
    case missingManifest = "KC100"
    case malformedManifest = "KC101"
    case invalidManifestField = "KC102"
    case missingDockerfile = "KC103"
    case outsideRoot = "KC104"
    case unreadableExampleFile = "KC105"
    case invalidSlug = "KC106"
    case malformedResults = "KC110"
    case invalidResults = "KC111"
    case missingRecording = "KC120"
    case staleRecording = "KC121"
    case unexpectedBehaviour = "KC122"

    public var name: String {
        switch self {
        case .missingManifest: "missing-example-yaml"
        case .malformedManifest: "malformed-example-yaml"
        case .invalidManifestField: "invalid-example-field"
        case .missingDockerfile: "missing-dockerfile"
        case .outsideRoot: "example-outside-root"
        case .unreadableExampleFile: "unreadable-example-file"
        case .invalidSlug: "invalid-example-slug"
        case .malformedResults: "malformed-results"
        case .invalidResults: "invalid-results"
        case .missingRecording: "missing-recording"
        case .staleRecording: "stale-recording"
        case .unexpectedBehaviour: "unexpected-behaviour"
        }
    }

    public var severity: Severity { .error }
}
