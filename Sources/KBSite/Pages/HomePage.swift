/// `index.html`: the articles in order, with their summaries and tags.
enum HomePage {
    static func render(_ context: SiteContext) throws -> [SiteFile] {
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
        return [try context.page("index", values, at: "index.html")]
    }
}
