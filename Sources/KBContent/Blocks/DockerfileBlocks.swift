import Foundation
import KBMarkdown
import KBDockerfile
import KBRules

/// A ```` ```dockerfile ```` block of an article, checked: what it shows, what the rules
/// found in it, and what it was expected to show. The site renders these.
public struct DockerfileBlock: Sendable {
    public let articlePath: String
    /// Line of the opening fence, and of the first line of the body, in the article.
    public let line: Int
    public let bodyLine: Int
    /// The Dockerfile shown: the block's body, or the example's file for an empty include.
    public let source: String
    public let title: String?
    public let exampleSlug: String?
    /// Rules a counterexample must trigger (`expect=`).
    public let expected: [String]
    public let isFragment: Bool
    /// Findings with lines counted from the first line of `source`.
    public let findings: [Diagnostic]
    /// The highlighting tokens of `source`, from the lint's parse (nil when it did not parse).
    public var tokens: CompactTokens? = nil
}

/// The checks on dockerfile blocks: attributes, includes and drift, expectations, lint.
struct DockerfileBlockChecker {
    let knowledgeBase: KnowledgeBase
    /// Each example linted once by the checker, reused for blocks that include it whole.
    let exampleLints: [String: Checker.ExampleLint]
    let linter = Linter()

    struct Output {
        var diagnostics: [Diagnostic] = []
        var blocks: [DockerfileBlock] = []
        /// Rule IDs that articles expect of each example (from `example=… expect=…`).
        var expectedByExample: [String: Set<String>] = [:]
    }

    static let knownAttributes: Set<String> = ["example", "expect", "title"]
    static let knownFlags: Set<String> = ["fragment"]

    /// One article's blocks.
    func check(_ article: Article) -> Output {
        var output = Output()
        for block in article.document.codeBlocks {
            check(block, in: article, into: &output)
        }
        return output
    }

    private func check(_ block: CodeBlock, in article: Article, into output: inout Output) {
        let file = knowledgeBase.display(article.path)
        let info: CodeBlockInfo
        switch CodeBlockInfo.parse(block.info) {
        case let .success(parsed): info = parsed
        case let .failure(problem):
            // Only blocks kb acts on need a well-formed info string.
            guard block.language == "dockerfile" || block.language.hasPrefix("kb-") else { return }
            output.diagnostics.append(ContentCheck.invalidCodeBlockInfo.at(file, line: block.line, "\(describe(problem)) in the info string \"\(block.info)\""))
            return
        }
        guard info.isDockerfile else { return }
        if block.body.utf8.count > InputLimits.dockerfileBytes {
            output.diagnostics.append(ContentCheck.inputTooLarge.at(file, line: block.line, InputLimits.message(
                kind: "dockerfile blocks", size: block.body.utf8.count, limit: InputLimits.dockerfileBytes)))
            return
        }

        for key in info.attributes.keys.sorted() where !Self.knownAttributes.contains(key) {
            output.diagnostics.append(ContentCheck.invalidCodeBlockInfo.at(
                file, line: block.line, "unknown attribute '\(key)=' on a dockerfile block (known: example=, expect=, title=, fragment)"))
        }
        for flag in info.flags.sorted() where !Self.knownFlags.contains(flag) {
            output.diagnostics.append(ContentCheck.invalidCodeBlockInfo.at(
                file, line: block.line, "unknown word '\(flag)' on a dockerfile block (known: example=, expect=, title=, fragment)"))
        }

        // The text: the block's own, or the example's file.
        var source = block.body
        var example: Example?
        if let slug = info.attributes["example"] {
            guard let found = knowledgeBase.examples[slug] else {
                output.diagnostics.append(ContentCheck.unknownExample.at(
                    file, line: block.line, "example=\(FileNameCheck.printable(slug)): there is no Examples/\(FileNameCheck.printable(slug))/\(suggestExample(slug))"))
                return
            }
            guard let text = found.readDockerfile() else {
                output.diagnostics.append(ContentCheck.unknownExample.at(file, line: block.line, "example=\(slug): \(found.dockerfileInRoot) cannot be read"))
                return
            }
            example = found
            if block.body.isEmpty {
                source = text
            } else if let drift = Self.firstDifference(block.body, text) {
                output.diagnostics.append(ContentCheck.exampleDrift.at(
                    file, line: block.documentLine(ofBodyLine: drift.line),
                    "this block differs from \(found.dockerfileInRoot) at its line \(drift.line): the block has \(quote(drift.block)), the file has \(quote(drift.file)); leave the block empty to include the file"))
            }
        }

        // Expectations.
        var expected: [String] = []
        if let list = info.attributes["expect"] {
            for name in list.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                guard let rule = RuleRegistry.rule(name) else {
                    output.diagnostics.append(ContentCheck.unknownRule.at(
                        file, line: block.line, "expect=\(name): no such rule\(RuleRegistry.suggestion(for: name)); `kb rules` lists them"))
                    continue
                }
                expected.append(type(of: rule).description.id)
            }
            if let slug = example?.slug { output.expectedByExample[slug, default: []].formUnion(expected) }
        }

        let isFragment = info.flags.contains("fragment")
        let result: Linter.Result
        if !isFragment, let slug = example?.slug, let lint = exampleLints[slug], lint.source == source {
            result = lint.result
        } else {
            result = linter.lint(
                source, file: file, context: example.map { $0.ruleContextFiles() },
                options: .init(isFragment: isFragment, target: example?.manifest?.target, configuration: knowledgeBase.ruleConfiguration, keepsTokens: true))
        }
        let findings = result.diagnostics

        if !isFragment, result.dockerfile != nil, result.model?.stages.isEmpty == true {
            output.diagnostics.append(ContentCheck.missingFrom.at(
                file, line: block.line, "this dockerfile block has no FROM: mark a partial Dockerfile with `fragment` in the info string"))
        }

        // Report in the article: expectations for counterexamples, findings for the rest.
        // Included examples report their findings once, as Examples/SLUG/Dockerfile.
        let fired = Set(findings.map(\.rule))
        if info.attributes["expect"] != nil {
            for id in expected where !fired.contains(id) {
                output.diagnostics.append(ContentCheck.expectedFindingMissing.at(
                    file, line: block.line, "expect=\(id): the rule did not fire on this Dockerfile; fix the example or the expectation"))
            }
            for finding in findings where !expected.contains(finding.rule) && finding.severity <= .warning {
                output.diagnostics.append(ContentCheck.unexpectedFinding.at(
                    file, line: block.documentLine(ofBodyLine: finding.line), column: finding.column,
                    "this counterexample should show only \(expected.joined(separator: ", ")), but \(finding.rule) \(finding.name) fires too: \(finding.message)"))
            }
        } else if example == nil {
            for finding in findings {
                var moved = finding
                moved.line = block.documentLine(ofBodyLine: finding.line)
                moved.endLine = max(moved.line, block.documentLine(ofBodyLine: finding.endLine))
                output.diagnostics.append(moved)
            }
        }

        output.blocks.append(DockerfileBlock(
            articlePath: article.path, line: block.line, bodyLine: block.bodyLine, source: source,
            title: info.attributes["title"], exampleSlug: example?.slug, expected: expected, isFragment: isFragment,
            findings: findings.map { finding in
                var own = finding
                own.file = example?.dockerfileInRoot ?? file
                return own
            }, tokens: result.tokens))
    }

    /// The first line where two texts differ (trailing newline and CRLF ignored).
    static func firstDifference(_ block: String, _ file: String) -> (line: Int, block: String?, file: String?)? {
        func lines(_ text: String) -> [String] {
            var list = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            while list.last == "" { list.removeLast() }
            return list
        }
        let a = lines(block), b = lines(file)
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? a[index] : nil
            let right = index < b.count ? b[index] : nil
            if left != right { return (index + 1, left, right) }
        }
        return nil
    }

    private func quote(_ line: String?) -> String {
        guard let line else { return "nothing (it ends before)" }
        return "\"\(line)\""
    }

    private func describe(_ problem: CodeBlockInfo.Problem) -> String {
        switch problem {
        case let .unterminatedQuote(attribute): "the value of \(attribute)= has an opening quote but no closing one"
        case let .duplicate(attribute): "\(attribute)= is given twice"
        case .emptyName: "an attribute without a name"
        }
    }

    private func suggestExample(_ slug: String) -> String {
        let close = knowledgeBase.examples.slugs.filter { $0.hasPrefix(String(slug.prefix(4))) }.prefix(3)
        return close.isEmpty ? "" : " (examples with a similar name: \(close.joined(separator: ", ")))"
    }
}
