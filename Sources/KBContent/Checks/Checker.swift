import Foundation
import KBRules

/// What `kb check` found, and what the site needs of it (checked blocks, example findings).
public struct CheckReport: Sendable {
    public var diagnostics: [Diagnostic] = []
    /// Every dockerfile block of every article, checked.
    public var dockerfileBlocks: [DockerfileBlock] = []
    /// Findings in each example's Dockerfile, by slug.
    public var exampleFindings: [String: [Diagnostic]] = [:]
    /// Rules each example is expected to trigger (counterexamples).
    public var expectedByExample: [String: Set<String>] = [:]
    /// `kb-sizes` and `kb-table` blocks, computed.
    public var tables: [SizeTable] = []
    /// `kb:size` and `kb:ratio` spans, computed.
    public var inlineFigures: [InlineFigure] = []

    public init() {}
}

/// Step 5 of a build: cross-checks what was loaded. `kb check` stops here; `kb build`
/// goes on to render when nothing at or above the threshold was found.
public enum Checker {
    public static func check(_ knowledgeBase: KnowledgeBase) -> CheckReport {
        var report = CheckReport()
        report.diagnostics += knowledgeBase.diagnostics
        report.diagnostics += checkLinks(knowledgeBase)

        // Each example's Dockerfile is read, given its context and linted once; blocks that
        // include it and tables that describe it use that result.
        let exampleLints = lintEachExample(knowledgeBase)
        let blocks = DockerfileBlockChecker(knowledgeBase: knowledgeBase, exampleLints: exampleLints).check()
        report.diagnostics += blocks.diagnostics
        report.dockerfileBlocks = blocks.blocks
        report.expectedByExample = blocks.expectedByExample

        let tables = TableChecker(knowledgeBase: knowledgeBase, exampleLints: exampleLints).check()
        report.diagnostics += tables.diagnostics
        report.tables = tables.tables
        report.inlineFigures = tables.inlineFigures

        report.diagnostics += knowledgeBase.examples.allDiagnostics
        report.diagnostics += recordingDiagnostics(knowledgeBase)
        reportExampleFindings(knowledgeBase, exampleLints, into: &report)

        report.diagnostics.sort()
        return report
    }

    static func checkLinks(_ knowledgeBase: KnowledgeBase) -> [Diagnostic] {
        let resolver = LinkResolver(knowledgeBase)
        var problems: [Diagnostic] = []
        for article in knowledgeBase.articles {
            for link in article.document.links {
                if case let .broken(problem) = resolver.resolve(link, in: article) { problems.append(problem) }
            }
        }
        return problems
    }

    /// A missing or stale recording is a warning here; a table or figure that uses it
    /// makes it an error where it is used.
    static func recordingDiagnostics(_ knowledgeBase: KnowledgeBase) -> [Diagnostic] {
        knowledgeBase.examples.examples.flatMap { $0.recordingDiagnostics() }.map { diagnostic in
            var softened = diagnostic
            if diagnostic.rule == ExampleCheck.missingRecording.id || diagnostic.rule == ExampleCheck.staleRecording.id {
                softened.severity = .warning
            }
            return softened
        }
    }

    /// An example's Dockerfile as read, and what the linter made of it.
    struct ExampleLint {
        let source: String
        let result: Linter.Result
    }

    /// Every example's Dockerfile is linted with its folder as build context and its stage.
    static func lintEachExample(_ knowledgeBase: KnowledgeBase) -> [String: ExampleLint] {
        let linter = Linter()
        var lints: [String: ExampleLint] = [:]
        for example in knowledgeBase.examples.examples where example.hasDockerfile {
            guard let source = try? String(contentsOf: example.dockerfile, encoding: .utf8) else { continue }
            let result = linter.lint(
                source, file: example.shownPath + "/Dockerfile", context: BuildContextFiles.load(folder: example.folder),
                options: .init(target: example.manifest?.target, configuration: knowledgeBase.ruleConfiguration))
            lints[example.slug] = ExampleLint(source: source, result: result)
        }
        return lints
    }

    /// Rules that a counterexample is expected to trigger are not problems; missing ones are.
    static func reportExampleFindings(_ knowledgeBase: KnowledgeBase, _ lints: [String: ExampleLint], into report: inout CheckReport) {
        for example in knowledgeBase.examples.examples {
            guard let result = lints[example.slug]?.result else { continue }
            let expected = report.expectedByExample[example.slug, default: []].union(example.manifest?.expect ?? [])
            report.exampleFindings[example.slug] = result.diagnostics
            report.diagnostics += result.diagnostics.filter { !expected.contains($0.rule) }
            // example.yaml's own expectations must hold, like an article's expect=.
            let fired = Set(result.diagnostics.map(\.rule))
            for id in example.manifest?.expect ?? [] where !fired.contains(id) {
                report.diagnostics.append(ContentCheck.expectedFindingMissing.at(
                    example.shownManifest, line: 1, "expect: \(id) did not fire on Examples/\(example.slug)/Dockerfile; fix the example or the expectation"))
            }
        }
    }
}
