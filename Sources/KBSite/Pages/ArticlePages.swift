import KBContent
import KBMarkdown
import KBParallel

/// `articles/SLUG.html`: one page per article, and what search needs to know of it.
enum ArticlePages {
    /// Writes every article's page to `output`, on every core, and returns each article's
    /// line of the search index.
    static func render(_ context: SiteContext, to output: SiteOutput) throws -> [SearchIndex.Line] {
        let resolver = LinkResolver(context.knowledgeBase)
        let articles = context.articles
        return try Parallel.map(Array(articles.indices)) { index in
            let article = articles[index]
            let previous = index > 0 ? Neighbour(articles[index - 1]) : nil
            let next = index + 1 < articles.count ? Neighbour(articles[index + 1]) : nil
            let render = { try page(article, previous: previous, next: next, resolver: resolver, context: context) }
            if output.reusesPages, let signature = context.pageSignature {
                let hrefs = context.checked.linkHrefs[article.path] ?? article.links.map {
                    LinkResolver.href(for: resolver.resolve($0, in: article), original: $0.destination)
                }
                try output.page(article.pagePath, key: pageKey(article, previous: previous, next: next, hrefs: hrefs, signature: signature), render: render)
            } else {
                try output.write(try render())
            }
            return searchLine(article, cache: context.cache)
        }
    }

    /// The article before or after another in the home page's order, as its page links it.
    struct Neighbour: Equatable {
        let title: String
        let slug: String

        init(title: String, slug: String) {
            self.title = title
            self.slug = slug
        }

        init(_ article: Article) { self.init(title: article.title, slug: article.slug) }
    }

    /// The article's page. Its links lead where `context.checked.linkHrefs` says (the link
    /// check's results), or where `resolver` finds for an article the check did not see.
    static func page(_ article: Article, previous: Neighbour?, next: Neighbour?, resolver: LinkResolver, context: SiteContext) throws -> SiteFile {
        var values = context.baseValues(depth: 1)
        values["article"] = .object(articleValues(article, resolver: resolver, context: context))
        if let previous { values["previous"] = neighbour(previous) }
        if let next { values["next"] = neighbour(next) }
        if let summary = article.frontMatter.summary { values["description"] = .text(summary) }
        return try context.page("article", values, at: article.pagePath)
    }

    /// Everything an article's page is made of: its own text, its neighbours' titles, where
    /// its links lead, and the signature of the rest (kb, theme, kb.yaml, examples, data).
    static func pageKey(_ article: Article, previous: Neighbour?, next: Neighbour?, hrefs: [String], signature: UInt64) -> UInt64 {
        var key = StableHash()
        key.combine(signature)
        key.combine(article.contentHash)
        for neighbour in [previous, next] {
            key.combine(neighbour?.title)
            key.combine(neighbour?.slug)
        }
        key.combine(hrefs)
        return key.value
    }

    /// The article's line of the search index: from the cache while the article is unchanged.
    static func searchLine(_ article: Article, cache: BuildCache?) -> SearchIndex.Line {
        if let cached = cache?.field(of: article.path, { $0.searchLine }) { return SearchIndex.Line(url: article.pagePath, json: cached) }
        let line = SearchIndex.line(searchEntry(article))
        cache?.update(article.path) { $0.searchLine = line.json }
        return line
    }

    private static func neighbour(_ article: Neighbour) -> TemplateValue {
        .object(["title": .text(article.title), "href": .text(LinkResolver.percentEncodePath(article.slug) + ".html")])
    }

    /// The article's checked blocks, tables and figures, by where they are.
    struct Lookups {
        let blocks: [Int: DockerfileBlock]
        let tables: [Int: SizeTable]
        let figures: [SiteContext.Place: InlineFigure]

        init(_ check: ArticleCheck) {
            blocks = Dictionary(check.blocks.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
            tables = Dictionary(check.tables.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
            figures = Dictionary(
                check.inlineFigures.map { (SiteContext.Place(path: $0.articlePath, line: $0.line, column: $0.column), $0) },
                uniquingKeysWith: { a, _ in a })
        }
    }

    private static func articleValues(_ article: Article, resolver: LinkResolver, context: SiteContext) -> [String: TemplateValue] {
        let lookups = Lookups(context.checked.completeCheck(of: article, in: context.knowledgeBase))
        let anchors = article.anchors
        let hrefs = context.checked.linkHrefs[article.path]
        var linkIndex = 0
        var blockIndex = 0
        let hooks = RenderHooks(
            heading: { heading, index in headingMarkup(level: heading.level, anchor: anchors[index]) },
            linkDestination: { link in
                // The page's links come in the order of the article's, which the check resolved.
                defer { linkIndex += 1 }
                if let hrefs, linkIndex < hrefs.count, linkIndex < article.links.count, article.links[linkIndex] == link { return hrefs[linkIndex] }
                return LinkResolver.href(for: resolver.resolve(link, in: article), original: link.destination)
            },
            codeBlock: { block in
                blockIndex += 1
                if let checked = lookups.blocks[block.line] {
                    let dockerfile = checked.exampleSlug.flatMap { context.knowledgeBase.examples[$0]?.dockerfileInRoot }
                    return DockerfileBlockMarkup.render(checked, index: blockIndex, root: "../", exampleDockerfile: dockerfile)
                }
                if let table = lookups.tables[block.line] { return SizeTableMarkup.render(table, id: "table-\(blockIndex)", root: "../") }
                if block.language == "kb-rules" { return RuleListMarkup.render(root: "../") }
                return nil
            },
            inlineCode: { code in
                guard let figure = lookups.figures[SiteContext.Place(path: article.path, line: code.line, column: code.column)] else { return nil }
                return RawHTML(trustedMarkup: "<a class=\"figure\" href=\"../examples/\(HTML.escape(figure.exampleSlug)).html\" title=\"\(HTML.escape(figure.tooltip))\">\(HTML.escape(figure.text))</a>")
            }
        )
        let body = article.document.renderHTML(hooks: hooks)
        let toc: [TemplateValue] = zip(article.document.headings, anchors).compactMap { heading, anchor in
            guard (2...3).contains(heading.level) else { return nil }
            return .object(["level": .text(String(heading.level)), "text": .text(heading.text), "anchor": .text(anchor)])
        }
        var values: [String: TemplateValue] = [
            "title": .text(article.title),
            "body": .text(body),
            "tags": .list(article.frontMatter.tags.map { context.tagLink($0, depth: 1) }),
            "hasTags": .flag(!article.frontMatter.tags.isEmpty),
            "toc": .list(toc),
            "hasToc": .flag(toc.count >= 2),
            "source": .text(article.path),
        ]
        if let summary = article.frontMatter.summary { values["summary"] = .text(summary) }
        if let date = article.frontMatter.date { values["date"] = .text(String(date.prefix(10))) }
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
            headings: zip(article.headings, article.anchors).map { ($0.text, $1) },
            tags: article.frontMatter.tags,
            text: article.document.plainText)
    }
}
