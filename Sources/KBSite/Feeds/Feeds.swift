import Foundation
import KBContent
import KBMarkdown
import KBRules

/// `sitemap.xml` and `atom.xml`, written only when kb.yaml sets `base_url` (both need
/// absolute addresses). Dates come from the articles, never from the clock, unless
/// `SOURCE_DATE_EPOCH` says otherwise.
enum Feeds {
    static func render(_ context: SiteContext) -> [SiteFile] {
        guard let baseURL = context.configuration.baseURL else { return [] }
        return [sitemap(context, baseURL: baseURL), atom(context, baseURL: baseURL)]
    }

    static func sitemap(_ context: SiteContext, baseURL: String) -> SiteFile {
        var paths = ["index.html", "tags/index.html"]
        paths += context.articles.map(\.pagePath)
        paths += context.tags.map { "tags/\($0.slug).html" }
        paths += ["examples/index.html", "rules/index.html"]
        paths += context.knowledgeBase.examples.slugs.map { "examples/\($0).html" }
        paths += RuleRegistry.descriptions.map { "rules/\($0.id).html" }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for path in paths.sorted() {
            xml += "  <url><loc>\(escape(baseURL + path))</loc></url>\n"
        }
        xml += "</urlset>\n"
        return SiteFile(path: "sitemap.xml", text: xml)
    }

    static func atom(_ context: SiteContext, baseURL: String) -> SiteFile {
        let fallback = sourceDateEpoch() ?? "1970-01-01T00:00:00Z"
        let dated = context.articles.map { (article: $0, updated: $0.frontMatter.date.map(timestamp) ?? fallback) }
        let newest = dated.map(\.updated).max() ?? fallback
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>\(escape(context.configuration.title))</title>
              <id>\(escape(baseURL))</id>
              <link href="\(escape(baseURL))"/>
              <link rel="self" href="\(escape(baseURL + "atom.xml"))"/>
              <updated>\(escape(newest))</updated>

            """
        for entry in dated.sorted(by: { ($0.updated, $1.article.path) > ($1.updated, $0.article.path) }) {
            let url = baseURL + entry.article.pagePath
            xml += """
                  <entry>
                    <title>\(escape(entry.article.title))</title>
                    <id>\(escape(url))</id>
                    <link href="\(escape(url))"/>
                    <updated>\(escape(entry.updated))</updated>
                    <author><name>\(escape(context.configuration.title))</name></author>
                    <summary>\(escape(entry.article.frontMatter.summary ?? entry.article.title))</summary>
                  </entry>

                """
        }
        xml += "</feed>\n"
        return SiteFile(path: "atom.xml", text: xml)
    }

    /// `2026-11-28` → `2026-11-28T00:00:00Z`; a full date-time is kept.
    static func timestamp(_ date: String) -> String {
        date.count == 10 ? date + "T00:00:00Z" : date
    }

    static func sourceDateEpoch() -> String? {
        guard let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = TimeInterval(text) else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    static func escape(_ text: String) -> String { HTML.escape(text) }
}
