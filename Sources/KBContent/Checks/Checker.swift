import Foundation
import KBParallel
import KBRules

/// What `kb check` found, and what the site needs of it (checked blocks, example findings).
public struct CheckReport: Sendable {
    public var diagnostics: [Diagnostic] = []
    /// Every dockerfile block of every article, checked (or, for an article restored from
    /// the build cache, only which example it includes and what it expects).
    public var dockerfileBlocks: [DockerfileBlock] = []
    /// Findings in each example's Dockerfile, by slug.
    public var exampleFindings: [String: [Diagnostic]] = [:]
    /// Rules each example is expected to trigger (counterexamples).
    public var expectedByExample: [String: Set<String>] = [:]
    /// `kb-sizes` and `kb-table` blocks, computed.
    public var tables: [SizeTable] = []
    /// `kb:size` and `kb:ratio` spans, computed.
    public var inlineFigures: [InlineFigure] = []
    /// Each article's own checks, by article path.
    public var articleChecks: [String: ArticleCheck] = [:]
    /// Where each link of each article leads from the article's page, by article path.
    public var linkHrefs: [String: [String]] = [:]
    /// Each example linted once, kept to check an article again when its page is rendered.
    var exampleLints: [String: Checker.ExampleLint] = [:]
    /// With the build cache: the signature of everything a link can lead to (`linkTargetsSignature`).
    public var linkTargets: UInt64?
    /// Files with findings other than an article's own link and block checks (problems found
    /// while reading, examples' findings).
    public var filesWithOtherFindings: Set<String> = []

    public init() {}

    /// The article's checks with every block and table in full, for rendering its page:
    /// checked again if the build cache only restored what other pages need.
    public func completeCheck(of article: Article, in knowledgeBase: KnowledgeBase) -> ArticleCheck {
        if let check = articleChecks[article.path], check.isComplete { return check }
        return Checker.check(article, in: knowledgeBase, exampleLints: exampleLints)
    }
}

/// One article's blocks, tables and figures, checked.
public struct ArticleCheck: Sendable {
    public var diagnostics: [Diagnostic] = []
    public var blocks: [DockerfileBlock] = []
    public var tables: [SizeTable] = []
    public var inlineFigures: [InlineFigure] = []
    public var expectedByExample: [String: Set<String>] = [:]
    /// False when restored from the build cache: blocks then carry only their example and
    /// expectations, and there are no tables or figures.
    public var isComplete = true

    init() {}

    init(restoring cached: CachedCheck, of article: Article) {
        diagnostics = cached.diagnostics
        blocks = cached.blocks.map {
            DockerfileBlock(
                articlePath: article.path, line: $0.line, bodyLine: $0.bodyLine, source: "", title: nil,
                exampleSlug: $0.exampleSlug, expected: $0.expected, isFragment: false, findings: [])
        }
        expectedByExample = cached.expectedByExample.mapValues(Set.init)
        isComplete = false
    }

    func cached(key: UInt64) -> CachedCheck {
        CachedCheck(
            key: key, diagnostics: diagnostics,
            blocks: blocks.map { .init(line: $0.line, bodyLine: $0.bodyLine, exampleSlug: $0.exampleSlug, expected: $0.expected) },
            expectedByExample: expectedByExample.mapValues { $0.sorted() })
    }
}

/// Step 5 of a build: cross-checks what was loaded. `kb check` stops here; `kb build`
/// goes on to render when nothing at or above the threshold was found.
public enum Checker {
    public static func check(_ knowledgeBase: KnowledgeBase, cache: BuildCache? = nil) -> CheckReport {
        var report = CheckReport()
        report.diagnostics += knowledgeBase.diagnostics
        report.filesWithOtherFindings = Set(knowledgeBase.diagnostics.map(\.file))
        if cache != nil { report.linkTargets = linkTargetsSignature(knowledgeBase) }
        let links = checkLinks(knowledgeBase, cache: cache, targets: report.linkTargets ?? 0)
        report.diagnostics += links.flatMap(\.problems)
        for (article, resolved) in zip(knowledgeBase.articles, links) { report.linkHrefs[article.path] = resolved.hrefs }

        // Each example's Dockerfile is read, given its context and linted once; blocks that
        // include it and tables that describe it use that result.
        let exampleLints = lintEachExample(knowledgeBase)
        report.exampleLints = exampleLints

        // Each article's blocks and tables, on every core; from the cache when neither the
        // article nor anything its checks depend on changed.
        let contextSignature = knowledgeBase.examples.contextSignature
        let checks = Parallel.map(knowledgeBase.articles) { article -> ArticleCheck in
            guard let cache else { return check(article, in: knowledgeBase, exampleLints: exampleLints) }
            let key = checkKey(signature: cache.signature, contexts: contextSignature, contentHash: article.contentHash)
            if let cached = cache.field(of: article.path, { $0.check }), cached.key == key {
                return ArticleCheck(restoring: cached, of: article)
            }
            let checked = check(article, in: knowledgeBase, exampleLints: exampleLints)
            cache.update(article.path) { $0.check = checked.cached(key: key) }
            return checked
        }
        for (article, check) in zip(knowledgeBase.articles, checks) {
            report.diagnostics += check.diagnostics
            report.dockerfileBlocks += check.blocks
            report.tables += check.tables
            report.inlineFigures += check.inlineFigures
            report.expectedByExample.merge(check.expectedByExample) { $0.union($1) }
            report.articleChecks[article.path] = check
        }

        let articlesOwn = report.diagnostics.count
        report.diagnostics += knowledgeBase.examples.allDiagnostics
        report.diagnostics += recordingDiagnostics(knowledgeBase)
        reportExampleFindings(knowledgeBase, exampleLints, into: &report)
        report.filesWithOtherFindings.formUnion(report.diagnostics[articlesOwn...].map(\.file))

        report.diagnostics.sort()
        return report
    }

    /// One article's dockerfile blocks, tables and figures.
    static func check(_ article: Article, in knowledgeBase: KnowledgeBase, exampleLints: [String: ExampleLint]) -> ArticleCheck {
        let blocks = DockerfileBlockChecker(knowledgeBase: knowledgeBase, exampleLints: exampleLints).check(article)
        let tables = TableChecker(knowledgeBase: knowledgeBase, exampleLints: exampleLints).check(article)
        var check = ArticleCheck()
        check.diagnostics = blocks.diagnostics + tables.diagnostics
        check.blocks = blocks.blocks
        check.expectedByExample = blocks.expectedByExample
        check.tables = tables.tables
        check.inlineFigures = tables.inlineFigures
        return check
    }

    /// Every article's links: the broken ones, and where each leads from the article's page.
    /// With the cache, an unchanged article keeps its results while nothing a link can lead
    /// to came, went or changed its anchors.
    static func checkLinks(_ knowledgeBase: KnowledgeBase, cache: BuildCache? = nil, targets: UInt64 = 0) -> [(problems: [Diagnostic], hrefs: [String])] {
        let resolver = LinkResolver(knowledgeBase)
        return Parallel.map(knowledgeBase.articles) { article in
            let key = cache.map { linkCheckKey(signature: $0.signature, targets: targets, contentHash: article.contentHash) } ?? 0
            if let cache {
                if let cached = cache.field(of: article.path, { $0.linkCheck }), cached.key == key {
                    return (cached.problems, cached.hrefs)
                }
            }
            var problems: [Diagnostic] = []
            var hrefs: [String] = []
            for link in article.links {
                let target = resolver.resolve(link, in: article)
                if case let .broken(problem) = target { problems.append(problem) }
                hrefs.append(LinkResolver.href(for: target, original: link.destination))
            }
            cache?.update(article.path) { $0.linkCheck = CachedLinks(key: key, problems: problems, hrefs: hrefs) }
            return (problems, hrefs)
        }
    }

    /// The key of an article's cached checks: the cache's signature, the build contexts
    /// outside Examples/ (`ExampleCatalog.contextSignature`), the article's bytes.
    public static func checkKey(signature: UInt64, contexts: UInt64, contentHash: UInt64) -> UInt64 {
        var key = StableHash()
        key.combine(signature)
        key.combine(contexts)
        key.combine(contentHash)
        return key.value
    }

    /// The key of an article's cached link results.
    public static func linkCheckKey(signature: UInt64, targets: UInt64, contentHash: UInt64) -> UInt64 {
        var key = StableHash()
        key.combine(signature)
        key.combine(targets)
        key.combine(contentHash)
        return key.value
    }

    /// Articles checked on their own, for a build that makes only their pages again: their
    /// blocks, tables and figures against the examples (linted here, once for all of them).
    /// Their links are not checked: that needs every other article.
    public static func checkAlone(_ articles: [Article], in knowledgeBase: KnowledgeBase) -> [ArticleCheck] {
        let exampleLints = lintEachExample(knowledgeBase)
        return articles.map { check($0, in: knowledgeBase, exampleLints: exampleLints) }
    }

    /// Everything a link can lead to: every article (its path, slug and anchors), every other
    /// file under Content/, every example. Rules' pages come with the kb binary, which is in
    /// the cache's signature.
    static func linkTargetsSignature(_ knowledgeBase: KnowledgeBase) -> UInt64 {
        var hash = StableHash()
        for article in knowledgeBase.articles.sorted(by: { $0.path < $1.path }) {
            hash.combine(article.path)
            hash.combine(article.slug)
            hash.combine(article.anchors)
        }
        hash.combine(knowledgeBase.contentFiles.sorted())
        hash.combine(knowledgeBase.examples.examples.map(\.slug).sorted())
        return hash.value
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
    struct ExampleLint: Sendable {
        let source: String
        let result: Linter.Result
    }

    /// Every example's Dockerfile is linted with its build context and its stage.
    static func lintEachExample(_ knowledgeBase: KnowledgeBase) -> [String: ExampleLint] {
        let linter = Linter()
        var lints: [String: ExampleLint] = [:]
        for example in knowledgeBase.examples.examples where example.hasDockerfile {
            guard let source = try? String(contentsOf: example.dockerfile, encoding: .utf8) else { continue }
            let result = linter.lint(
                source, file: example.shownDockerfile, context: example.ruleContextFiles(),
                options: .init(target: example.manifest?.target, configuration: knowledgeBase.ruleConfiguration, keepsTokens: true))
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
                    example.shownManifest, line: 1, "expect: \(id) did not fire on \(example.dockerfileInRoot); fix the example or the expectation"))
            }
        }
    }
}
