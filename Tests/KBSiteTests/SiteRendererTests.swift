import Foundation
import KBContent
import KBSite
import KBTestSupport
import Testing

@Suite struct SiteRendererTests {
    func render(_ files: [String: String], theme: Theme = .builtIn) throws -> [String: String] {
        let folder = try TemporaryFolder(files)
        let knowledgeBase = try ContentLoader.load(root: folder.url)
        #expect(Checker.check(knowledgeBase).diagnostics.isEmpty)
        var pages: [String: String] = [:]
        for file in try SiteRenderer(theme: theme).render(knowledgeBase) {
            pages[file.path] = String(decoding: file.contents, as: UTF8.self)
        }
        return pages
    }

    @Test func writesHomeArticlesStylesheetAndFiles() throws {
        let pages = try render([
            "Content/b.md": article("Beta", order: 1, "## Part one\n\n## Part two\n\n[a](a.md#intro)\n![pic](img/p.png)\n"),
            "Content/a.md": article("Alpha", order: 2, "## Intro\n"),
            "Content/img/p.png": "png",
        ])
        let expected: Set<String> = [
            "404.html", "articles/a.html", "articles/b.html", "assets/search.js", "assets/style.css", "files/img/p.png",
            "index.html", "search-index.js", "tags/index.html", "examples/index.html", "rules/index.html", "rules/KB101.html",
        ]
        #expect(expected.isSubset(of: Set(pages.keys)))
        #expect(pages.keys.filter { $0.hasPrefix("articles/") }.sorted() == ["articles/a.html", "articles/b.html"])
        let home = try #require(pages["index.html"])
        let beta = try #require(home.range(of: "href=\"articles/b.html\">Beta"))
        let alpha = try #require(home.range(of: "href=\"articles/a.html\">Alpha"))
        #expect(beta.lowerBound < alpha.lowerBound)
        let b = try #require(pages["articles/b.html"])
        #expect(b.contains("<h2 id=\"part-one\">"))
        #expect(b.contains("href=\"#part-two\""))
        #expect(b.contains("<a href=\"a.html#intro\">a</a>"))
        #expect(b.contains("<img src=\"../files/img/p.png\""))
        #expect(b.contains("href=\"../assets/style.css\""))
    }

    @Test func onlyRelativeLinksInPages() throws {
        let pages = try render(["Content/a.md": article("A", "## H\n\n[ext](https://example.com)\n")])
        for (path, html) in pages where path.hasSuffix(".html") {
            for match in html.matches(of: /(?:href|src)="([^"]*)"/) {
                let url = String(match.1)
                #expect(!url.hasPrefix("/"), "absolute link \(url) in \(path)")
                #expect(url == "https://example.com" || !url.contains("://"), "remote reference \(url) in \(path)")
            }
        }
    }

    @Test func frontMatterValuesAreEscaped() throws {
        let pages = try render(["Content/a.md": "---\ntitle: \"<script>alert(1)</script>\"\nsummary: \"a \\\"quote\\\" & <b>\"\ntags: [\"<i>x</i>\"]\n---\n"])
        let page = try #require(pages["articles/a.html"])
        #expect(!page.contains("<script>alert"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.contains("<i>x</i>"))
        #expect(!page.contains("<b>"))
    }

    @Test func renderingIsDeterministic() throws {
        let files = ["Content/a.md": article("A", "## x\n"), "Content/b.md": article("B", "## y\n")]
        let first = try render(files)
        let second = try render(files)
        #expect(first == second)
    }

    @Test func themeFolderOverridesFilesByName() throws {
        let themeFolder = try TemporaryFolder(["style.css": "body{}", "extra.js": "1", "index.mustache": "<p>{{#articles}}{{title}};{{/articles}}</p>"])
        let theme = try Theme.overriding(with: themeFolder.url)
        let pages = try render(["Content/a.md": article("A")], theme: theme)
        #expect(pages["assets/style.css"] == "body{}")
        #expect(pages["assets/extra.js"] == "1")
        #expect(pages["index.html"] == "<p>A;</p>\n")
        #expect(pages["articles/a.html"]?.contains("<h1>A</h1>") == true)
    }

    @Test func aBrokenTemplateIsAClearError() throws {
        let themeFolder = try TemporaryFolder(["index.mustache": "<p>\n{{#articles}}\n</p>"])
        let folder = try TemporaryFolder(["Content/a.md": article("A")])
        let knowledgeBase = try ContentLoader.load(root: folder.url)
        #expect(throws: SiteError.self) {
            try SiteRenderer(theme: try Theme.overriding(with: themeFolder.url)).render(knowledgeBase)
        }
    }
}
