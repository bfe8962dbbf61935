import KBMarkdown

/// `tags/index.html` and `tags/TAG.html`: what is filed under each tag.
enum TagPages {
    static func slug(_ tag: String) -> String {
        let slug = Slugger.slug(tag)
        return slug.isEmpty ? "tag" : slug
    }

    static func render(_ context: SiteContext) throws -> [SiteFile] {
        var files: [SiteFile] = []
        var index = context.base(depth: 1)
        index["tags"] = context.tags.map { tag -> [String: Any] in
            ["name": tag.name, "href": "\(tag.slug).html", "count": tag.articles.count]
        }
        files.append(try context.page("tags", index, at: "tags/index.html"))
        for tag in context.tags {
            var values = context.base(depth: 1)
            values["tag"] = tag.name
            values["articles"] = tag.articles.map { article -> [String: Any] in
                var entry: [String: Any] = ["title": article.title, "href": "../\(article.pagePath)"]
                if let summary = article.frontMatter.summary { entry["summary"] = summary }
                return entry
            }
            files.append(try context.page("tag", values, at: "tags/\(tag.slug).html"))
        }
        return files
    }
}
