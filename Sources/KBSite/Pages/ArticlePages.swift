import KBContent
import KBMarkdown

/// `articles/SLUG.html`: one page per article, and what search needs to know of it.
enum ArticlePages {
    static func render(_ context: SiteContext) throws -> (pages: [SiteFile], searchEntries: [SearchIndex.Entry]) {
        let resolver = LinkResolver(context.knowledgeBase)
        let lookups = Lookups(blocks: context.dockerfileBlocks, tables: context.tables, figures: context.inlineFigures)
        var pages: [SiteFile] = []
        var entries: [SearchIndex.Entry] = []
        let articles = context.articles
        for (index, article) in articles.enumerated() {
            // Search text first: rendering rewrites the document's tree.
            entries.append(searchEntry(article))
            var values = context.base(depth: 1)
            values["article"] = articleValues(article, resolver: resolver, lookups: lookups, context: context)
            if index > 0 { values["previous"] = neighbour(articles[index - 1]) }
            if index + 1 < articles.count { values["next"] = neighbour(articles[index + 1]) }
            if let summary = article.frontMatter.summary { values["description"] = summary }
            pages.append(try context.page("article", values, at: article.pagePath))
        }
        return (pages, entries)
    }

    private static func neighbour(_ article: Article) -> [String: Any] {
        ["title": article.title, "href": LinkResolver.percentEncodePath(article.slug) + ".html"]
    }

    struct Lookups {
        let blocks: [SiteContext.Place: DockerfileBlock]
        let tables: [SiteContext.Place: SizeTable]
        let figures: [SiteContext.Place: InlineFigure]
    }

    private static func articleValues(_ article: Article, resolver: LinkResolver, lookups: Lookups, context: SiteContext) -> [String: Any] {
        let anchors = article.anchors
        var blockIndex = 0
        let hooks = RenderHooks(
            heading: { heading, index in headingMarkup(level: heading.level, anchor: anchors[index]) },
            linkDestination: { link in
                LinkResolver.href(for: resolver.resolve(link, in: article), original: link.destination)
            },
            codeBlock: { block in
                let place = SiteContext.Place(path: article.path, line: block.line)
                blockIndex += 1
                if let checked = lookups.blocks[place] { return DockerfileBlockMarkup.render(checked, index: blockIndex, root: "../") }
                if let table = lookups.tables[place] { return SizeTableMarkup.render(table, id: "table-\(blockIndex)", root: "../") }
                if block.language == "kb-rules" { return RuleListMarkup.render(root: "../") }
                return nil
            },
            inlineCode: { code in
                guard let figure = lookups.figures[SiteContext.Place(path: article.path, line: code.line, column: code.column)] else { return nil }
                return RawHTML(trustedMarkup: "<a class=\"figure\" href=\"../examples/\(HTML.escape(figure.exampleSlug)).html\" title=\"\(HTML.escape(figure.tooltip))\">\(HTML.escape(figure.text))</a>")
            }
        )
        let body = article.document.renderHTML(hooks: hooks)
        let toc: [[String: Any]] = zip(article.document.headings, anchors).compactMap { heading, anchor in
            guard (2...3).contains(heading.level) else { return nil }
            return ["level": heading.level, "text": heading.text, "anchor": anchor]
        }
        var values: [String: Any] = [
            "title": article.title,
            "body": body,
            "tags": article.frontMatter.tags.map { context.tagLink($0, depth: 1) },
            "hasTags": !article.frontMatter.tags.isEmpty,
            "toc": toc,
            "hasToc": toc.count >= 2,
            "source": article.path,
        ]
        if let summary = article.frontMatter.summary { values["summary"] = summary }
        if let date = article.frontMatter.date { values["date"] = String(date.prefix(10)) }
        return values
    }

    /// A heading with its anchor id and a link to itself, shown on hover.
    static func headingMarkup(level: Int, anchor: String) -> (open: RawHTML, close: RawHTML) {
        let id = HTML.escape(anchor)
        return (
            RawHTML(trustedMarkup: "<h\(level) id=\"\(id)\">"),
            RawHTML(trustedMarkup: "<a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this section\">#</a></h\(level)>")
        )
    }

    private static func searchEntry(_ article: Article) -> SearchIndex.Entry {
        SearchIndex.Entry(
            title: article.title,
            url: article.pagePath,
            kind: "article",
            summary: article.frontMatter.summary ?? "",
            headings: zip(article.document.headings, article.anchors).map { ($0.text, $1) },
            tags: article.frontMatter.tags,
            text: article.document.plainText())
    }
}
