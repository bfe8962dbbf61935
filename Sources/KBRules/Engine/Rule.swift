import KBDockerfile

/// A check of a Dockerfile, declared once: its identity, its reasons, and the examples that
/// are at the same time its tests and its documentation.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    /// Adds a finding for every problem in the build.
    func check(_ build: BuildModel, _ findings: inout [Finding])
}

/// What a rule is, in one place: `kb rules`, `kb explain`, the rule's page and its tests
/// all read this.
public struct RuleDescription: Sendable {
    public enum Category: String, Sendable, CaseIterable {
        case syntax = "Syntax"
        case minimalImage = "Minimal-image correctness"
        case imageSize = "Image size"
        case practice = "General practice and security"
    }

    /// Which part of a Dockerfile the rule needs: rules that look at one instruction at a
    /// time also run on fragments (partial Dockerfiles in articles).
    public enum Scope: Sendable {
        case instruction
        case build
    }

    /// `KB101`.
    public let id: String
    /// `dynamic-binary-in-empty-image`.
    public let name: String
    public let severity: Severity
    public let category: Category
    public let scope: Scope
    /// One line: what the rule finds.
    public let summary: String
    /// A paragraph: why it matters, with the facts behind it.
    public let rationale: String
    /// The article that explains it, as a path under Content/ with an optional anchor.
    public let article: String?
    /// hadolint and BuildKit checks this rule covers (`DL3008`, `JSONArgsRecommended`):
    /// `# hadolint ignore=DL3008` suppresses this rule too.
    public let equivalents: [String]
    public let examples: [RuleExample]

    public init(
        id: String, name: String, severity: Severity, category: Category, scope: Scope = .build,
        summary: String, rationale: String, article: String? = nil, equivalents: [String] = [],
        examples: [RuleExample]
    ) {
        self.id = id
        self.name = name
        self.severity = severity
        self.category = category
        self.scope = scope
        self.summary = summary
        self.rationale = rationale
        self.article = article
        self.equivalents = equivalents
        self.examples = examples
    }

    public var descriptor: RuleDescriptor {
        RuleDescriptor(id: id, name: name, summary: summary, severity: severity, helpURI: "rules/\(id).html")
    }
}

/// A Dockerfile that must (or must not) trigger a rule. In a triggering example, `↓` at the
/// start of a line marks each line where a finding must start; no other line may have one.
public struct RuleExample: Sendable {
    public let dockerfile: String
    public let triggers: Bool
    /// Files of the build context (Go sources, say), by path.
    public let context: [String: String]
    /// The stage to build, when not the last.
    public let target: String?
    /// One line on what the example shows, for the rule's page.
    public let note: String?

    public static func triggering(_ dockerfile: String, context: [String: String] = [:], target: String? = nil, note: String? = nil) -> RuleExample {
        RuleExample(dockerfile: dockerfile, triggers: true, context: context, target: target, note: note)
    }

    public static func passing(_ dockerfile: String, context: [String: String] = [:], target: String? = nil, note: String? = nil) -> RuleExample {
        RuleExample(dockerfile: dockerfile, triggers: false, context: context, target: target, note: note)
    }

    public static let marker: Character = "↓"

    /// The Dockerfile without markers.
    public var source: String { String(dockerfile.filter { $0 != RuleExample.marker }) }

    /// Lines (1-based) that carry a marker.
    public var markedLines: [Int] {
        dockerfile.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.contains(RuleExample.marker) }
            .map { $0.offset + 1 }
    }
}

/// One problem a rule found, before configuration decides its final severity.
public struct Finding: Sendable, Hashable {
    public let rule: String
    public let range: SourceRange
    public let message: String
    /// Set when the rule's severity depends on what it found (a warning that becomes an
    /// error when the evidence is certain); nil for the rule's declared severity.
    public let severity: Severity?

    public init(rule: String, range: SourceRange, message: String, severity: Severity? = nil) {
        self.rule = rule
        self.range = range
        self.message = message
        self.severity = severity
    }
}

extension Rule {
    /// A finding of this rule at an instruction (its keyword line).
    public func finding(_ instruction: Instruction, _ message: String, severity: Severity? = nil) -> Finding {
        Finding(rule: Self.description.id, range: instruction.range, message: message, severity: severity)
    }

    public func finding(at range: SourceRange, _ message: String, severity: Severity? = nil) -> Finding {
        Finding(rule: Self.description.id, range: range, message: message, severity: severity)
    }
}
