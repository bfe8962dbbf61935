import KBContent
import KBMarkdown
import KBParallel

/// `tags/index.html` and `tags/TAG.html`: what is filed under each tag.
enum TagPages {
    static func slug(_ tag: String) -> String {
        let slug = Slugger.slug(tag)
        return slug.isEmpty ? "tag" : slug
    }

    static func render(_ context: SiteContext, to output: SiteOutput) throws {
        var index = context.base(depth: 1)
        index["tags"] = context.tags.map { tag -> [String: Any] in
            ["name": tag.name, "href": "\(tag.slug).html", "count": tag.articles.count]
        }
        try output.write(try context.page("tags", index, at: "tags/index.html"))
        try Parallel.forEach(context.tags) { tag in
            let path = "tags/\(tag.slug).html"
            let render = {
                var values = context.base(depth: 1)
                values["tag"] = tag.name
                values["articles"] = tag.articles.map { article -> [String: Any] in
                    var entry: [String: Any] = ["title": article.title, "href": "../\(article.pagePath)"]
                    if let summary = article.frontMatter.summary { entry["summary"] = summary }
                    return entry
                }
                return try context.page("tag", values, at: path)
            }
            guard output.reusesPages, let signature = context.pageSignature else {
                try output.write(try render())
                return
            }
            var key = StableHash()
            key.combine(signature)
            key.combine(tag.name)
            for article in tag.articles {
                key.combine(article.title)
                key.combine(article.pagePath)
                key.combine(article.frontMatter.summary)
            }
            try output.page(path, key: key.value, render: render)
        }
    }
}
