import Foundation
import KBContent
import KBMarkdown
import Mustache

/// Step 6 of a build: turns a checked knowledge base into the site's files, in memory.
public struct SiteRenderer {
    public struct Options: Sendable {
        public var siteTitle: String
        public init(siteTitle: String = "Minimal container images") { self.siteTitle = siteTitle }
    }

    private let theme: Theme
    private let options: Options

    public init(theme: Theme = .builtIn, options: Options = Options()) {
        self.theme = theme
        self.options = options
    }

    /// Every page and asset, sorted by path so that output is deterministic.
    public func render(_ knowledgeBase: KnowledgeBase) throws -> [SiteFile] {
        let library = try theme.library()
        let resolver = LinkResolver(knowledgeBase)
        var files: [SiteFile] = []

        files.append(SiteFile(path: "index.html", text: try page("index", homeContext(knowledgeBase), library)))
        for article in knowledgeBase.articles {
            let context = articleContext(article, resolver: resolver)
            files.append(SiteFile(path: article.pagePath, text: try page("article", context, library)))
        }
        for (name, bytes) in theme.assets {
            files.append(SiteFile(path: "assets/" + name, contents: Data(bytes)))
        }
        for path in knowledgeBase.contentFiles {
            let source = knowledgeBase.root.appendingPathComponent("Content/" + path)
            guard let data = FileManager.default.contents(atPath: source.path) else {
                throw SiteError(path: knowledgeBase.display("Content/" + path), message: "cannot read the file to publish it")
            }
            files.append(SiteFile(path: "files/" + path, contents: data))
        }
        return files.sorted { $0.path < $1.path }
    }

    private func page(_ template: String, _ context: [String: Any], _ library: MustacheLibrary) throws -> String {
        guard let html = library.render(context, withTemplate: template) else {
            throw SiteError(path: "\(template).mustache", message: "the theme has no template named '\(template)'")
        }
        return html
    }

    private func siteContext() -> [String: Any] {
        ["title": options.siteTitle]
    }

    private func homeContext(_ knowledgeBase: KnowledgeBase) -> [String: Any] {
        let articles: [[String: Any]] = knowledgeBase.articlesInOrder.map { article in
            var entry: [String: Any] = ["title": article.title, "href": article.pagePath]
            if let summary = article.frontMatter.summary { entry["summary"] = summary }
            return entry
        }
        return ["site": siteContext(), "root": "", "articles": articles]
    }

    private func articleContext(_ article: Article, resolver: LinkResolver) -> [String: Any] {
        let document = article.document
        let anchors = article.anchors
        let hooks = RenderHooks(
            heading: { heading, index in
                guard heading.level > 1 else {
                    return (RawHTML(trustedMarkup: "<h1 id=\"\(HTML.escape(anchors[index]))\">"), RawHTML(trustedMarkup: "</h1>"))
                }
                let id = HTML.escape(anchors[index])
                return (
                    RawHTML(trustedMarkup: "<h\(heading.level) id=\"\(id)\">"),
                    RawHTML(trustedMarkup: "<a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this section\">#</a></h\(heading.level)>")
                )
            },
            linkDestination: { link in
                LinkResolver.href(for: resolver.resolve(link, in: article), original: link.destination)
            }
        )
        let body = document.renderHTML(hooks: hooks)
        let toc: [[String: Any]] = zip(document.headings, anchors).compactMap { heading, anchor in
            guard (2...3).contains(heading.level) else { return nil }
            return ["level": heading.level, "text": heading.text, "anchor": anchor]
        }
        var entry: [String: Any] = [
            "title": article.title,
            "body": body,
            "tags": article.frontMatter.tags,
            "hasTags": !article.frontMatter.tags.isEmpty,
            "toc": toc,
            "hasToc": toc.count >= 2,
        ]
        if let summary = article.frontMatter.summary { entry["summary"] = summary }
        var context: [String: Any] = ["site": siteContext(), "root": "../", "article": entry]
        if let summary = article.frontMatter.summary { context["description"] = summary }
        return context
    }
}
