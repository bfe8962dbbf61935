import Foundation
import KBDockerfile
import KBMarkdown
import KBRules
import Yams

/// A table computed from recorded or cited data, ready to render: cells as text, numbers
/// marked for right alignment, a bar per row for the chart, and the footnotes that give
/// the provenance of every figure.
public struct SizeTable: Sendable {
    public struct Cell: Sendable {
        public let text: String
        public let isNumeric: Bool
        /// The example the cell names, for a link to its page.
        public let exampleSlug: String?
        /// Footnote number (1-based) for the figure's provenance.
        public let note: Int?
    }

    public struct Note: Sendable {
        public let text: String
        public let url: String?
    }

    public let caption: String
    public let headers: [(title: String, isNumeric: Bool)]
    public let rows: [[Cell]]
    /// One bar per row: label and size in bytes (nil when the row has no size).
    public let bars: [(label: String, bytes: Int?)]
    public let notes: [Note]
    /// Where the block is, to find it again when rendering.
    public let articlePath: String
    public let line: Int
}

/// Inline `kb:size SLUG` and `kb:ratio SLUG BASELINE`, resolved.
public struct InlineFigure: Sendable {
    public let articlePath: String
    public let line: Int
    public let column: Int
    public let text: String
    public let tooltip: String
    public let exampleSlug: String
}

/// Checks and computes `kb-sizes` and `kb-table` blocks and inline figures.
struct TableChecker {
    let knowledgeBase: KnowledgeBase
    let figures: FigureResolver
    /// The examples' models, from the checker's one lint of each.
    let exampleLints: [String: Checker.ExampleLint]

    init(knowledgeBase: KnowledgeBase, exampleLints: [String: Checker.ExampleLint]) {
        self.knowledgeBase = knowledgeBase
        self.figures = FigureResolver(knowledgeBase.examples)
        self.exampleLints = exampleLints
    }

    struct Output {
        var diagnostics: [Diagnostic] = []
        var tables: [SizeTable] = []
        var inlineFigures: [InlineFigure] = []
    }

    /// One article's tables and figures.
    func check(_ article: Article) -> Output {
        var output = Output()
        let file = knowledgeBase.display(article.path)
        for block in article.document.codeBlocks {
            switch block.language {
            case "kb-sizes": sizesTable(block, article: article, file: file, into: &output)
            case "kb-table": dataTable(block, article: article, file: file, into: &output)
            default: continue
            }
        }
        for code in article.document.inlineCodes where code.text.hasPrefix("kb:") {
            inlineFigure(code, article: article, file: file, into: &output)
        }
        return output
    }

    // MARK: - kb-sizes

    private func sizesTable(_ block: CodeBlock, article: Article, file: String, into output: inout Output) {
        func fail(_ check: ContentCheck, _ message: String, line: Int? = nil) {
            output.diagnostics.append(check.at(file, line: line ?? block.line, message))
        }
        guard let fields = mapping(block, file: file, into: &output) else { return }
        let allowed: Set<String> = ["caption", "baseline", "examples"]
        for key in fields.keys.sorted() where !allowed.contains(key) {
            fail(.invalidTable, "kb-sizes: unknown key '\(key)' (known: caption, baseline, examples)")
        }
        guard case let .sequence(list)? = fields["examples"], !list.isEmpty else {
            fail(.invalidTable, "kb-sizes needs 'examples:', a list of example names")
            return
        }
        let slugs = list.compactMap { $0.scalar?.string }
        let caption = fields["caption"]?.scalar?.string ?? ""
        let baseline = fields["baseline"]?.scalar?.string ?? slugs[0]
        if !slugs.contains(baseline) {
            fail(.baselineNotListed, "kb-sizes: the baseline '\(baseline)' is not one of the examples \(slugs.joined(separator: ", "))")
        }

        var resolved: [(slug: String, figure: SizeFigure)] = []
        for (index, slug) in slugs.enumerated() {
            switch figures.figure(slug) {
            case let .success(figure): resolved.append((slug, figure))
            case let .failure(problem):
                let line = block.documentLine(ofBodyLine: list[index].mark?.line ?? 1)
                fail(problem.check, "kb-sizes: \(problem.message)", line: line)
            }
        }
        guard resolved.count == slugs.count, let base = resolved.first(where: { $0.slug == baseline })?.figure else { return }

        var notes: [SizeTable.Note] = []
        var rows: [[SizeTable.Cell]] = []
        for (slug, figure) in resolved {
            let example = knowledgeBase.examples[slug]
            notes.append(SizeTable.Note(text: "\(example?.manifest?.title ?? slug): \(figure.provenance)", url: figure.sourceURL))
            let isBaseline = slug == baseline
            rows.append([
                SizeTable.Cell(text: example?.manifest?.title ?? slug, isNumeric: false, exampleSlug: slug, note: nil),
                SizeTable.Cell(text: runStageBase(example) ?? "?", isNumeric: false, exampleSlug: nil, note: nil),
                SizeTable.Cell(text: SizeFormat.bytes(figure.bytes), isNumeric: true, exampleSlug: nil, note: notes.count),
                SizeTable.Cell(text: isBaseline ? "baseline" : SizeFormat.ratio(figure.bytes, baseline: base.bytes), isNumeric: true, exampleSlug: nil, note: nil),
                SizeTable.Cell(text: isBaseline ? "" : SizeFormat.saving(figure.bytes, baseline: base.bytes), isNumeric: true, exampleSlug: nil, note: nil),
            ])
        }
        output.tables.append(SizeTable(
            caption: caption,
            headers: [("Example", false), ("Run stage base", false), ("Image size", true), ("vs. baseline", true), ("Saved", true)],
            rows: rows,
            bars: resolved.map { (knowledgeBase.examples[$0.slug]?.manifest?.title ?? $0.slug, $0.figure.bytes) },
            notes: notes, articlePath: article.path, line: block.line))
    }

    /// The base of the stage the example builds, as written after ARG substitution.
    private func runStageBase(_ example: Example?) -> String? {
        guard let example, let model = exampleLints[example.slug]?.result.model, let final = model.finalStage else { return nil }
        if case let .stage(parent) = final.base { return "stage \(model.stages[parent].displayName)" }
        return final.baseText
    }

    // MARK: - kb-table

    private func dataTable(_ block: CodeBlock, article: Article, file: String, into output: inout Output) {
        func fail(_ check: ContentCheck, _ message: String) {
            output.diagnostics.append(check.at(file, line: block.line, message))
        }
        guard let fields = mapping(block, file: file, into: &output) else { return }
        for key in fields.keys.sorted() where !["data", "caption"].contains(key) {
            fail(.invalidTable, "kb-table: unknown key '\(key)' (known: data, caption)")
        }
        guard let name = fields["data"]?.scalar?.string, !name.isEmpty else {
            fail(.invalidTable, "kb-table needs 'data:', the name of a file under Content/data/")
            return
        }
        switch DataFile.load(name: name, knowledgeBase: knowledgeBase) {
        case let .failure(problems):
            if problems.all.isEmpty { fail(.unknownDataFile, "kb-table: there is no Content/data/\(name).yaml") }
            output.diagnostics += problems.all
        case let .success(data):
            output.tables.append(data.table(caption: fields["caption"]?.scalar?.string, articlePath: article.path, line: block.line))
        }
    }

    // MARK: - Inline figures

    private func inlineFigure(_ code: InlineCode, article: Article, file: String, into output: inout Output) {
        let words = code.text.split(separator: " ").map(String.init)
        func fail(_ check: ContentCheck, _ message: String) {
            output.diagnostics.append(check.at(file, line: code.line, column: code.column, message))
        }
        switch words.first {
        case "kb:size":
            guard words.count == 2 else { return fail(.invalidTable, "`kb:size` takes one example name: `kb:size SLUG`") }
            switch figures.figure(words[1]) {
            case let .success(figure):
                output.inlineFigures.append(InlineFigure(
                    articlePath: article.path, line: code.line, column: code.column, text: SizeFormat.bytes(figure.bytes),
                    tooltip: "\(figure.bytes) bytes, \(figure.provenance)", exampleSlug: figure.slug))
            case let .failure(problem):
                fail(problem.check, "kb:size: \(problem.message)")
            }
        case "kb:ratio":
            guard words.count == 3 else { return fail(.invalidTable, "`kb:ratio` takes two example names: `kb:ratio SLUG BASELINE`") }
            switch (figures.figure(words[1]), figures.figure(words[2])) {
            case let (.success(figure), .success(baseline)):
                output.inlineFigures.append(InlineFigure(
                    articlePath: article.path, line: code.line, column: code.column,
                    text: SizeFormat.ratio(figure.bytes, baseline: baseline.bytes),
                    tooltip: "\(SizeFormat.bytes(figure.bytes)) (\(figure.provenance)) against \(SizeFormat.bytes(baseline.bytes)) (\(baseline.provenance))",
                    exampleSlug: figure.slug))
            case let (.failure(problem), _), let (_, .failure(problem)):
                fail(problem.check, "kb:ratio: \(problem.message)")
            }
        default:
            fail(.invalidTable, "unknown figure `\(code.text)`: kb knows `kb:size SLUG` and `kb:ratio SLUG BASELINE`")
        }
    }

    // MARK: - YAML

    private func mapping(_ block: CodeBlock, file: String, into output: inout Output) -> [String: Node]? {
        switch YAMLReading.compose(block.body) {
        case let .failure(problem):
            output.diagnostics.append(ContentCheck.invalidTable.at(file, line: block.documentLine(ofBodyLine: problem.line), column: problem.column, "\(block.language): \(problem.message)"))
            return nil
        case let .success(node):
            guard let pairs = node?.orderedPairs else {
                output.diagnostics.append(ContentCheck.invalidTable.at(file, line: block.line, "\(block.language) holds a YAML mapping (caption:, …)"))
                return nil
            }
            var fields: [String: Node] = [:]
            for pair in pairs { fields[pair.key] = pair.value }
            return fields
        }
    }
}
