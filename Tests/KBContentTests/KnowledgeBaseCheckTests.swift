import Foundation
import KBContent
import KBRules
import KBTestSupport
import Testing

/// Whole knowledge bases on disk, checked as `kb check` does; assertions on exact diagnostics.
@Suite struct KnowledgeBaseCheckTests {
    func check(_ files: [String: String], drafts: Bool = false) throws -> (KnowledgeBase, [String]) {
        let folder = try TemporaryFolder(files)
        let knowledgeBase = try ContentLoader.load(root: folder.url, options: .init(includeDrafts: drafts))
        let lines = Checker.check(knowledgeBase).diagnostics.map { "\($0.file):\($0.line):\($0.column) \($0.rule) \($0.message)" }
        return (knowledgeBase, lines)
    }

    @Test func cleanKnowledgeBaseHasNoProblems() throws {
        let (knowledgeBase, problems) = try check([
            "Content/a.md": article("Alpha", order: 2, "# A\n\nSee [b](go/b.md#the-end) and [top](#a) and [web](https://example.com).\n![d](img/d.png)\n"),
            "Content/go/b.md": article("Beta", order: 1, "## The end\n\nBack to [a](../a.md).\n"),
            "Content/img/d.png": "PNG",
        ])
        #expect(problems == [])
        #expect(knowledgeBase.articles.map(\.slug) == ["a", "go-b"])
        #expect(knowledgeBase.articlesInOrder.map(\.title) == ["Beta", "Alpha"])
        #expect(knowledgeBase.contentFiles == ["img/d.png"])
    }

    @Test func brokenLinksAndAnchors() throws {
        let (_, problems) = try check([
            "Content/a.md": article("A", """
                ## Real heading

                [1](missing.md) [2](b.md#nowhere) [3](#not-here) [4](../../etc/passwd)
                [5](b.md#real) [6](img/none.png) ![7](https://example.com/x.png)
                """),
            "Content/b.md": article("B", "## Real\n"),
        ])
        #expect(problems == [
            "Content/a.md:6:1 KC010 link missing.md: there is no article Content/missing.md",
            "Content/a.md:6:17 KC011 link b.md#nowhere: Content/b.md has no heading with the anchor #nowhere",
            "Content/a.md:6:35 KC011 no heading on this page has the anchor #not-here",
            "Content/a.md:6:50 KC012 link ../../etc/passwd leads outside the knowledge base",
            "Content/a.md:7:16 KC010 link img/none.png leads to Content/img/none.png, which is not a file under Content/",
            "Content/a.md:7:34 KC013 image https://example.com/x.png is fetched from the network; copy it under Content/ so the site reads offline",
        ])
    }

    @Test func anchorSuggestion() throws {
        let (_, problems) = try check([
            "Content/a.md": article("A", "[x](b.md#musl)\n"),
            "Content/b.md": article("B", "## musl vs glibc\n"),
        ])
        #expect(problems == ["Content/a.md:4:1 KC011 link b.md#musl: Content/b.md has no heading with the anchor #musl (did you mean #musl-vs-glibc?)"])
    }

    @Test func badFilesAreReportedAndTheOthersStillLoad() throws {
        let folder = try TemporaryFolder([
            "Content/good.md": article("Good"),
            "Content/no-front.md": "# Hello\n",
            "Content/no-title.md": "---\nsummary: s\n---\n",
        ])
        try folder.write("Content/latin1.md", Data(Array("---\ntitle: caf".utf8) + [0xE9] + Array("\n---\n".utf8)))
        try folder.write("Content/binary.md", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00]))
        let knowledgeBase = try ContentLoader.load(root: folder.url)
        let problems = Checker.check(knowledgeBase).diagnostics.map { "\($0.file):\($0.line) \($0.rule)" }
        #expect(problems == [
            "Content/binary.md:1 KC001",
            "Content/latin1.md:2 KC001",
            "Content/no-front.md:1 KC003",
            "Content/no-title.md:1 KC005",
        ])
        #expect(knowledgeBase.articles.map(\.slug) == ["good"])
    }

    @Test func nulByteIsNotText() throws {
        let folder = try TemporaryFolder()
        try folder.write("Content/a.md", Data(Array("---\ntitle: A\n---\nx".utf8) + [0x00]))
        let problems = Checker.check(try ContentLoader.load(root: folder.url)).diagnostics.map { "\($0.line) \($0.rule) \($0.name)" }
        #expect(problems == ["4 KC002 not-text"])
    }

    @Test func twoArticlesWithTheSamePage() throws {
        let (_, problems) = try check([
            "Content/go-static.md": article("One"),
            "Content/go/static.md": article("Two"),
        ])
        // The walk is sorted by name within each folder, so go/ comes before go-static.md.
        #expect(problems == ["Content/go-static.md:1:1 KC008 this article's page would be articles/go-static.html, which Content/go/static.md already uses; rename one of them"])
    }

    @Test func draftsAreLeftOutUnlessAskedFor() throws {
        let files = ["Content/a.md": "---\ntitle: A\ndraft: true\n---\n", "Content/b.md": article("B")]
        #expect(try check(files).0.articles.map(\.slug) == ["b"])
        #expect(try check(files, drafts: true).0.articles.map(\.slug) == ["a", "b"])
    }

    @Test func linkToADraftIsBroken() throws {
        let (_, problems) = try check([
            "Content/a.md": "---\ntitle: A\ndraft: true\n---\n",
            "Content/b.md": article("B", "[a](a.md)\n"),
        ])
        #expect(problems == ["Content/b.md:4:1 KC010 link a.md: there is no article Content/a.md"])
    }

    @Test func missingContentFolderCannotBeRead() throws {
        let folder = try TemporaryFolder(["README.md": "x"])
        #expect(throws: KnowledgeBaseError.self) { try ContentLoader.load(root: folder.url) }
    }

    @Test func symlinkOutsideTheRootIsNotRead() throws {
        let outside = try TemporaryFolder(["secret.md": article("Secret")])
        let folder = try TemporaryFolder(["Content/a.md": article("A")])
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("Content/secret.md").path,
            withDestinationPath: outside.url.appendingPathComponent("secret.md").path)
        let knowledgeBase = try ContentLoader.load(root: folder.url)
        #expect(knowledgeBase.articles.map(\.slug) == ["a"])
        #expect(knowledgeBase.diagnostics.map(\.rule) == ["KC012"])
    }

    @Test func displayRootPrefixesPaths() throws {
        let folder = try TemporaryFolder(["Content/a.md": "# none\n"])
        let knowledgeBase = try ContentLoader.load(root: folder.url, displayRoot: "docs")
        #expect(knowledgeBase.diagnostics.map(\.file) == ["docs/Content/a.md"])
    }

    @Test func linkTargetsRewriteToPages() {
        #expect(LinkResolver.href(for: .article(slug: "go-static", fragment: "cgo"), original: "go/static.md#cgo") == "go-static.html#cgo")
        #expect(LinkResolver.href(for: .contentFile(path: "img/a b.png"), original: "img/a b.png") == "../files/img/a%20b.png")
        #expect(LinkResolver.href(for: .external, original: "https://x.org") == "https://x.org")
    }
}
