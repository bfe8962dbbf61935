import Foundation
import KBDockerfile

/// Lints one Dockerfile: parse, model, rules, suppressions, configuration, diagnostics.
public struct Linter: Sendable {
    public struct Options: Sendable {
        /// Only instruction-scoped rules: for partial Dockerfiles shown in articles.
        public var isFragment: Bool
        /// The stage to build, when not the last one.
        public var target: String?
        public var configuration: RuleConfiguration
        /// Only these rule IDs (nil: every enabled rule). Rule tests use it.
        public var onlyRules: Set<String>?
        /// Also split the file into highlighting tokens, from the same parse (`Result.tokens`).
        public var keepsTokens: Bool

        public init(
            isFragment: Bool = false, target: String? = nil, configuration: RuleConfiguration = RuleConfiguration(),
            onlyRules: Set<String>? = nil, keepsTokens: Bool = false
        ) {
            self.isFragment = isFragment
            self.target = target
            self.configuration = configuration
            self.onlyRules = onlyRules
            self.keepsTokens = keepsTokens
        }
    }

    public let catalog: ImageCatalog

    public init(catalog: ImageCatalog = .standard) { self.catalog = catalog }

    /// The result of linting: the parsed file and model (nil when it does not parse) and
    /// the diagnostics, sorted.
    public struct Result: Sendable {
        public let dockerfile: Dockerfile?
        public let model: BuildModel?
        public let diagnostics: [Diagnostic]
        /// The highlighting tokens, when asked for and the file parses (nil for a source
        /// too large to keep them compactly).
        public var tokens: CompactTokens? = nil
    }

    public func lint(_ source: String, file: String, context: BuildContextFiles? = nil, options: Options = Options()) -> Result {
        let dockerfile: Dockerfile
        var tokens: CompactTokens?
        do {
            if options.keepsTokens {
                let parsed = try DockerfileParser.parseWithTokens(source)
                dockerfile = parsed.0
                tokens = CompactTokens(parsed.1)
            } else {
                dockerfile = try DockerfileParser.parse(source)
            }
        } catch {
            let parseError = ParseErrorRule.description
            let diagnostic = Diagnostic(
                file: file, line: error.range.start.line, column: error.range.start.column,
                endLine: error.range.end.line, endColumn: error.range.lastColumn,
                severity: options.configuration.severity(of: parseError.id) ?? parseError.severity,
                rule: parseError.id, name: parseError.name, message: error.message)
            return Result(dockerfile: nil, model: nil, diagnostics: [diagnostic])
        }
        let model = BuildModel(dockerfile: dockerfile, context: context, target: options.target, isFragment: options.isFragment, catalog: catalog)
        let suppressions = Suppressions(dockerfile)
        var diagnostics: [Diagnostic] = []
        for description in RuleRegistry.entries {
            guard options.configuration.isEnabled(description.id) else { continue }
            if let only = options.onlyRules, !only.contains(description.id) { continue }
            if options.isFragment && description.scope != .instruction { continue }
            var findings: [Finding] = []
            description.type.init().check(model, &findings)
            for finding in findings where !suppressions.suppresses(finding.rule, atLine: finding.range.start.line) {
                let severity = options.configuration.severity(of: description.id) ?? finding.severity ?? description.severity
                diagnostics.append(Diagnostic(
                    file: file, line: finding.range.start.line, column: finding.range.start.column,
                    endLine: finding.range.end.line, endColumn: finding.range.lastColumn,
                    severity: severity, rule: description.id, name: description.name, message: finding.message))
            }
        }
        return Result(dockerfile: dockerfile, model: model, diagnostics: Array(Set(diagnostics)).sorted(), tokens: tokens)
    }
}
