import KBContent

/// `index.html`: the articles in order, with their summaries and tags, and the latest
/// recorded size of every example.
enum HomePage {
    static func render(_ context: SiteContext, to output: SiteOutput) throws {
        guard output.reusesPages, let signature = context.pageSignature else { return try output.write(render(context)) }
        // The home page lists every article: its key is what it shows of each.
        var key = StableHash()
        key.combine(signature)
        for article in context.articles {
            key.combine(article.title)
            key.combine(article.pagePath)
            key.combine(article.frontMatter.summary)
            key.combine(article.frontMatter.tags)
        }
        try output.page("index.html", key: key.value) { try render(context) }
    }

    static func render(_ context: SiteContext) throws -> SiteFile {
        var values = context.base(depth: 0)
        values["articles"] = context.articles.map { article -> [String: Any] in
            var entry: [String: Any] = [
                "title": article.title, "href": article.pagePath,
                "tags": article.frontMatter.tags.map { context.tagLink($0, depth: 0) },
            ]
            if let summary = article.frontMatter.summary { entry["summary"] = summary }
            return entry
        }
        values["hasTags"] = !context.tags.isEmpty
        values["description"] = context.configuration.description
        let recorded = recordedSizes(context)
        values["recorded"] = recorded
        values["hasRecorded"] = !recorded.isEmpty
        return try context.page("index", values, at: "index.html")
    }

    /// The latest figure of every example, smallest first: the knowledge base at a glance.
    static func recordedSizes(_ context: SiteContext) -> [[String: Any]] {
        let figures = FigureResolver(context.knowledgeBase.examples)
        let rows = context.knowledgeBase.examples.examples.compactMap { example -> (Example, SizeFigure)? in
            guard case let .success(figure) = figures.figure(example.slug) else { return nil }
            return (example, figure)
        }
        return rows.sorted { ($0.1.bytes, $0.0.slug) < ($1.1.bytes, $1.0.slug) }.map { example, figure in
            [
                "title": example.manifest?.title ?? example.slug, "href": "examples/\(example.slug).html",
                "size": SizeFormat.bytes(figure.bytes), "provenance": figure.provenance,
                "fails": example.manifest?.run.fails == true,
            ]
        }
    }
}
