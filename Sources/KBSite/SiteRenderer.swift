import Foundation
import KBContent
import KBMarkdown
import Mustache

/// Step 6 of a build: turns a checked knowledge base into the site's files, in memory.
/// Each step below adds the files of one kind of page; read top to bottom, that is the site.
public struct SiteRenderer {
    private let theme: Theme

    public init(theme: Theme = .builtIn) {
        self.theme = theme
    }

    /// Every page and asset, sorted by path so that output is deterministic.
    public func render(_ knowledgeBase: KnowledgeBase, checked: CheckReport? = nil) throws -> [SiteFile] {
        let checked = checked ?? Checker.check(knowledgeBase)
        let context = try SiteContext(knowledgeBase: knowledgeBase, checked: checked, library: theme.library())
        var files: [SiteFile] = []
        let articles = try ArticlePages.render(context)
        files += articles.pages
        let examples = try ExamplePages.render(context)
        files += examples.pages
        let rules = try RulePages.render(context)
        files += rules.pages
        files += try HomePage.render(context)
        files += try TagPages.render(context)
        files += try NotFoundPage.render(context)
        files.append(SearchIndex.render(articles.searchEntries + examples.searchEntries + rules.searchEntries))
        files += Feeds.render(context)
        files += try assets(knowledgeBase)
        return files.sorted { $0.path < $1.path }
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
    let library: MustacheLibrary
    /// Articles in home-page order (also the previous/next order).
    let articles: [Article]
    /// Tag → articles with it, tags sorted.
    let tags: [(name: String, slug: String, articles: [Article])]

    init(knowledgeBase: KnowledgeBase, checked: CheckReport, library: MustacheLibrary) {
        self.knowledgeBase = knowledgeBase
        self.checked = checked
        self.library = library
        self.articles = knowledgeBase.articlesInOrder
        // Tags that differ only in case or punctuation ("Go", "go") are one tag, one page.
        var bySlug: [String: (name: String, articles: [Article])] = [:]
        for article in articles {
            var seen: Set<String> = []
            for tag in article.frontMatter.tags {
                let slug = TagPages.slug(tag)
                guard seen.insert(slug).inserted else { continue }
                bySlug[slug, default: (name: tag, articles: [])].articles.append(article)
            }
        }
        self.tags = bySlug.keys.sorted().map { (name: bySlug[$0]!.name, slug: $0, articles: bySlug[$0]!.articles) }
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

    var dockerfileBlocks: [Place: DockerfileBlock] {
        Dictionary(checked.dockerfileBlocks.map { (Place(path: $0.articlePath, line: $0.line), $0) }, uniquingKeysWith: { a, _ in a })
    }

    var tables: [Place: SizeTable] {
        Dictionary(checked.tables.map { (Place(path: $0.articlePath, line: $0.line), $0) }, uniquingKeysWith: { a, _ in a })
    }

    var inlineFigures: [Place: InlineFigure] {
        Dictionary(checked.inlineFigures.map { (Place(path: $0.articlePath, line: $0.line, column: $0.column), $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Values every template may use, for a page `depth` folders below the site root.
    func base(depth: Int) -> [String: Any] {
        var site: [String: Any] = ["title": configuration.title]
        if let description = configuration.description { site["description"] = description }
        return ["site": site, "root": String(repeating: "../", count: depth)]
    }

    func page(_ template: String, _ values: [String: Any], at path: String) throws -> SiteFile {
        guard let html = library.render(values, withTemplate: template) else {
            throw SiteError(path: "\(template).mustache", message: "the theme has no template named '\(template)'")
        }
        return SiteFile(path: path, text: html.hasSuffix("\n") ? html : html + "\n")
    }

    /// A tag as the templates list it, with the link from a page at `depth`.
    func tagLink(_ tag: String, depth: Int) -> [String: Any] {
        ["name": tag, "href": String(repeating: "../", count: depth) + "tags/\(TagPages.slug(tag)).html"]
    }
}
