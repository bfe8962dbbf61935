import Foundation
import KBContent
import KBSite
import KBTestSupport
import Testing

@Suite struct SitePagesTests {
    func render(_ files: [String: String], environment: [String: String] = [:]) throws -> [String: String] {
        let folder = try TemporaryFolder(files)
        let knowledgeBase = try ContentLoader.load(root: folder.url)
        var pages: [String: String] = [:]
        for file in try SiteRenderer().render(knowledgeBase) {
            pages[file.path] = String(decoding: file.contents, as: UTF8.self)
        }
        return pages
    }

    let three: [String: String] = [
        "Content/one.md": "---\ntitle: One\ntags: [Go, scratch]\norder: 1\ndate: 2026-01-02\n---\n## Alpha heading\n\nCGO_ENABLED matters.\n",
        "Content/two.md": "---\ntitle: Two\ntags: [go]\norder: 2\n---\n## Beta\n",
        "Content/three.md": "---\ntitle: Three\norder: 3\ndate: 2026-03-04\n---\nText </script> here.\n",
    ]

    @Test func previousAndNextFollowTheHomeOrder() throws {
        let pages = try render(three)
        let two = try #require(pages["articles/two.html"])
        #expect(two.contains("rel=\"prev\" href=\"one.html\"><span>Previous</span> One</a>"))
        #expect(two.contains("rel=\"next\" href=\"three.html\"><span>Next</span> Three</a>"))
        #expect(pages["articles/one.html"]?.contains("rel=\"prev\"") == false)
        #expect(pages["articles/three.html"]?.contains("rel=\"next\"") == false)
    }

    @Test func tagPagesMergeCaseVariants() throws {
        let pages = try render(three)
        #expect(pages.keys.filter { $0.hasPrefix("tags/") }.sorted() == ["tags/go.html", "tags/index.html", "tags/scratch.html"])
        let go = try #require(pages["tags/go.html"])
        #expect(go.contains("href=\"../articles/one.html\">One</a>"))
        #expect(go.contains("href=\"../articles/two.html\">Two</a>"))
        #expect(pages["articles/one.html"]?.contains("<a href=\"../tags/go.html\">Go</a>") == true)
        #expect(pages["tags/index.html"]?.contains("<a href=\"go.html\">Go</a> <span class=\"count\">(2)</span>") == true)
    }

    @Test func searchIndexHasTitlesHeadingsAndWords() throws {
        let pages = try render(three)
        let index = try #require(pages["search-index.js"])
        #expect(index.hasPrefix("window.KB_SEARCH_INDEX = [\n"))
        #expect(index.contains(#"["article","articles/one.html","One","",[["Alpha heading","alpha-heading"]],"Go scratch","alpha heading cgo_enabled matters"]"#))
        // Text that would close a script element is escaped.
        #expect(!index.contains("</script>"))
        #expect(index.contains("\\u003c/script\\u003e") == false)  // words drop markup characters entirely
    }

    @Test func everyPageLoadsTheSearchScriptRelatively() throws {
        let pages = try render(three)
        #expect(pages["index.html"]?.contains("<script src=\"assets/search.js\" defer></script>") == true)
        #expect(pages["articles/one.html"]?.contains("<script src=\"../assets/search.js\" defer></script>") == true)
        #expect(pages["tags/go.html"]?.contains("data-root=\"../\"") == true)
        #expect(pages["assets/search.js"]?.contains("search-index.js") == true)
    }

    @Test func notFoundPage() throws {
        let pages = try render(three)
        let page = try #require(pages["404.html"])
        #expect(page.contains("<h1>Page not found</h1>"))
        #expect(page.contains("<a href=\"articles/one.html\">One</a>"))
    }

    @Test func feedsOnlyWithABaseURL() throws {
        #expect(try render(three)["sitemap.xml"] == nil)
        var files = three
        files["kb.yaml"] = "title: Notes & more\nbase_url: https://example.org/kb\n"
        let pages = try render(files)
        let sitemap = try #require(pages["sitemap.xml"])
        #expect(sitemap.contains("<loc>https://example.org/kb/articles/one.html</loc>"))
        #expect(sitemap.contains("<loc>https://example.org/kb/tags/go.html</loc>"))
        let atom = try #require(pages["atom.xml"])
        #expect(atom.contains("<title>Notes &amp; more</title>"))
        #expect(atom.contains("<updated>2026-03-04T00:00:00Z</updated>"))
        // Newest first.
        let three = try #require(atom.range(of: "articles/three.html"))
        let one = try #require(atom.range(of: "articles/one.html"))
        #expect(three.lowerBound < one.lowerBound)
        #expect(pages["404.html"]?.contains("href=\"https://example.org/kb/index.html\"") == true)
    }

    @Test func siteTitleFromConfiguration() throws {
        var files = three
        files["kb.yaml"] = "title: Field notes\n"
        #expect(try render(files)["index.html"]?.contains("<h1>Field notes</h1>") == true)
    }
}
