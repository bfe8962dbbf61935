import Foundation
import KBContent
import KBMarkdown
import KBParallel
import KBRules

/// Step 6 of a build: turns a checked knowledge base into the site's files, handed to an
/// output (the staging folder of a build, or memory) as they are made.
/// Each step below adds the files of one kind of page; read top to bottom, that is the site.
public struct SiteRenderer {
    private let theme: Theme

    public init(theme: Theme = .builtIn) {
        self.theme = theme
    }

    /// Every page and asset, sorted by path so that output is deterministic.
    public func render(_ knowledgeBase: KnowledgeBase, checked: CheckReport? = nil) throws -> [SiteFile] {
        let memory = SiteInMemory()
        try render(knowledgeBase, checked: checked, to: memory)
        return memory.files
    }

    /// A build's report as printed, one line per finding of `checked.diagnostics`
    /// (`Reporter.lines`): kept with the site, an edit build changes one article's lines.
    public struct PrintedReport {
        public let format: ReportFormat
        public let lines: [String]

        public init(format: ReportFormat, lines: [String]) {
            self.format = format
            self.lines = lines
        }
    }

    /// Renders the site straight into a staging folder beside `output` and swaps it in when
    /// every file is written. With a build cache, the previous site's unchanged pages are
    /// kept rather than made again, and with the printed report too, what an edit build
    /// needs is kept (`SiteState`). Returns the number of files.
    @discardableResult
    public func publish(
        _ knowledgeBase: KnowledgeBase, checked: CheckReport, to output: URL, cache: BuildCache? = nil, report: PrintedReport? = nil
    ) throws -> Int {
        let staging: SiteStaging = try Timings.measure("staging") {
            if let cache { return try SiteStaging(output: output, keeping: cache.folder) }
            return try SiteStaging(output: output)
        }
        let made: Made?
        do {
            made = try renderSite(knowledgeBase, checked: checked, to: staging, cache: cache)
            try Timings.measure("commit") { try staging.commit() }
        } catch {
            staging.discard()
            throw error
        }
        // The site is written: a cache that cannot be saved only makes the next build slower.
        Timings.measure("save cache") { try? cache?.save() }
        if let cache, let report, let made, let generation = staging.generation {
            let state = Timings.measure("make state") {
                SiteState(
                    knowledgeBase, checked: checked, report: report, made: made, generation: generation, filesWritten: staging.filesWritten,
                    signature: SiteState.signature(
                        cache: cache.signature, theme: theme.signature, contexts: knowledgeBase.examples.contextSignature, format: report.format))
            }
            Timings.measure("save state") { try? state?.write(to: cache.folder.appendingPathComponent(SiteState.fileName)) }
        }
        return staging.filesWritten
    }

    /// What a build with a cache learns while rendering, for `SiteState`: the home page's
    /// order, and where each line of the search index is.
    struct Made {
        let order: [Article]
        let searchPlaces: [String: Range<Int>]
        let searchIndexSize: Int
    }

    /// Every page and asset, handed to `output` as it is made (article pages on every core).
    public func render(_ knowledgeBase: KnowledgeBase, checked: CheckReport? = nil, to output: SiteOutput, cache: BuildCache? = nil) throws {
        try renderSite(knowledgeBase, checked: checked, to: output, cache: cache)
    }

    @discardableResult
    private func renderSite(_ knowledgeBase: KnowledgeBase, checked: CheckReport?, to output: SiteOutput, cache: BuildCache?) throws -> Made? {
        let checked = checked ?? Checker.check(knowledgeBase)
        let context = try Timings.measure("context") {
            try SiteContext(knowledgeBase: knowledgeBase, checked: checked, library: theme.library(), cache: cache, themeSignature: theme.signature)
        }
        let articleLines = try Timings.measure("article pages") { try ArticlePages.render(context, to: output) }
        let examples = try Timings.measure("example pages") { try ExamplePages.render(context) }
        let ruleEntries = try Timings.measure("rule pages") { try RulePages.render(context, to: output) }
        var files = examples.pages
        try Timings.measure("home and tag pages") {
            try HomePage.render(context, to: output)
            try TagPages.render(context, to: output)
        }
        files += try NotFoundPage.render(context)
        let searchLines = articleLines + (examples.searchEntries + ruleEntries).map(SearchIndex.line)
        var made: Made?
        files.append(Timings.measure("search index") {
            guard cache != nil else { return SearchIndex.render(searchLines) }
            let (index, places) = SearchIndex.renderPlacing(searchLines)
            made = Made(order: context.articles, searchPlaces: places, searchIndexSize: index.contents.count)
            return index
        })
        files += Feeds.render(context)
        files += try assets(knowledgeBase)
        try Timings.measure("write other files") { for file in files { try output.write(file) } }
        return made
    }

    /// The theme's static files, then the non-Markdown files of Content/.
    private func assets(_ knowledgeBase: KnowledgeBase) throws -> [SiteFile] {
        var files = theme.assets.map { SiteFile(path: "assets/" + $0.key, contents: Data($0.value)) }
        for path in knowledgeBase.contentFiles {
            let source = knowledgeBase.root.appendingPathComponent("Content/" + path)
            guard let data = FileManager.default.contents(atPath: source.path) else {
                throw SiteError(path: knowledgeBase.display("Content/" + path), message: "cannot read the file to publish it")
            }
            files.append(SiteFile(path: "files/" + path, contents: data))
        }
        return files
    }
}

/// What every page renderer needs: the knowledge base, the templates, shared values.
struct SiteContext {
    let knowledgeBase: KnowledgeBase
    let checked: CheckReport
    let library: TemplateLibrary
    /// The build cache, when the build keeps one.
    let cache: BuildCache?
    /// With a cache: what every page depends on besides its own inputs (kb, kb.yaml,
    /// examples, data, theme), the base of page keys.
    let pageSignature: UInt64?
    /// Articles in home-page order (also the previous/next order).
    let articles: [Article]
    /// Tag → articles with it, tags sorted.
    let tags: [(name: String, slug: String, articles: [Article])]
    /// Each tag as written → its page name.
    private let tagSlugs: [String: String]

    init(knowledgeBase: KnowledgeBase, checked: CheckReport, library: TemplateLibrary, cache: BuildCache? = nil, themeSignature: UInt64 = 0) {
        self.knowledgeBase = knowledgeBase
        self.checked = checked
        self.library = library
        self.cache = cache
        self.pageSignature = cache.map {
            SiteContext.pageSignature(cache: $0.signature, theme: themeSignature, contexts: knowledgeBase.examples.contextSignature)
        }
        self.articles = knowledgeBase.articlesInOrder
        // Tags that differ only in case or punctuation ("Go", "go") are one tag, one page.
        var bySlug: [String: (name: String, articles: [Article])] = [:]
        var slugs: [String: String] = [:]  // a few tags, on thousands of articles
        for article in articles {
            var seen: Set<String> = []
            for tag in article.frontMatter.tags {
                let slug = slugs[tag] ?? TagPages.slug(tag)
                slugs[tag] = slug
                guard seen.insert(slug).inserted else { continue }
                bySlug[slug, default: (name: tag, articles: [])].articles.append(article)
            }
        }
        self.tagSlugs = slugs
        self.tags = bySlug.keys.sorted().map { (name: bySlug[$0]!.name, slug: $0, articles: bySlug[$0]!.articles) }
    }

    /// What every page depends on besides its own inputs: kb, kb.yaml, examples, data, theme.
    static func pageSignature(cache: UInt64, theme: UInt64, contexts: UInt64) -> UInt64 {
        var key = StableHash()
        key.combine(cache)
        key.combine(theme)
        // Build contexts outside Examples/ (example.yaml's `context:`), which the cache's
        // signature does not see, decide whether recordings are current.
        key.combine(contexts)
        return key.value
    }

    var configuration: Configuration { knowledgeBase.configuration }

    /// The article at a path from the root (`Content/go/static.md`), by the knowledge
    /// base's index rather than a scan: pages look articles up once per block.
    func article(at path: String) -> Article? {
        guard path.hasPrefix("Content/") else { return nil }
        return knowledgeBase.article(atContentPath: String(path.dropFirst("Content/".count)))
    }

    /// Checked blocks and computed figures, by where they are in an article.
    struct Place: Hashable {
        let path: String
        let line: Int
        var column: Int = 0
    }

    /// Values every template may use, for a page `depth` folders below the site root.
    func base(depth: Int) -> [String: Any] { baseValues(depth: depth) }

    func baseValues(depth: Int) -> [String: TemplateValue] {
        var site: [String: TemplateValue] = ["title": .text(configuration.title)]
        if let description = configuration.description { site["description"] = .text(description) }
        return ["site": .object(site), "root": .text(String(repeating: "../", count: depth))]
    }

    func page(_ template: String, _ values: [String: Any], at path: String) throws -> SiteFile {
        try page(template, values.mapValues(TemplateValue.init), at: path)
    }

    func page(_ template: String, _ values: [String: TemplateValue], at path: String) throws -> SiteFile {
        guard let html = library.render(values, template: template) else {
            throw SiteError(path: "\(template).mustache", message: "the theme has no template named '\(template)'")
        }
        return SiteFile(path: path, text: html.hasSuffix("\n") ? html : html + "\n")
    }

    /// A tag as the templates list it, with the link from a page at `depth`.
    func tagLink(_ tag: String, depth: Int) -> TemplateValue {
        .object(["name": .text(tag), "href": .text(String(repeating: "../", count: depth) + "tags/\(tagSlugs[tag] ?? TagPages.slug(tag)).html")])
    }
}
