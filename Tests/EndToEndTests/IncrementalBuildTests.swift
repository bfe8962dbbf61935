import Foundation
import KBTestSupport
import Testing

/// `kb build` with its build cache: after any edit, the site and the report are exactly those
/// of a build from scratch, and unchanged pages are kept rather than made again.
@Suite struct IncrementalBuildTests {
    static let starter: [String: String] = [
        "Content/a.md": "---\ntitle: Alpha\nsummary: First.\ntags: [go, size]\norder: 1\n---\n## Start here\n\nSee [beta](b.md#details) and [gamma](c.md).\n",
        "Content/b.md": "---\ntitle: Beta\ntags: [go]\norder: 2\n---\n## Details\n\nBack to [alpha](a.md#start-here).\n\n```dockerfile example=hello\n```\n",
        "Content/c.md": "---\ntitle: Gamma\norder: 3\n---\nPlain text, and a block:\n\n```dockerfile\nFROM alpine:3.20\nRUN sudo apk add curl\n```\n",
        "Content/d.md": "---\ntitle: Delta\norder: 4\n---\nLast, and [first](a.md).\n",
        "Examples/hello/Dockerfile": "FROM scratch\nCOPY hello /hello\nENTRYPOINT [\"/hello\"]\n",
        "Examples/hello/hello": "binary\n",
    ]

    /// Each edit, then a cached build compared with a build from scratch.
    static let edits: [(name: String, apply: @Sendable (TemporaryFolder) throws -> Void)] = [
        ("nothing", { _ in }),
        ("a body", { try $0.write("Content/a.md", try $0.read("Content/a.md") + "\nOne more sentence.\n") }),
        ("a title", { try $0.write("Content/b.md", try $0.read("Content/b.md").replacingOccurrences(of: "title: Beta", with: "title: Better")) }),
        ("a heading others link to", { try $0.write("Content/b.md", try $0.read("Content/b.md").replacingOccurrences(of: "## Details", with: "## More")) }),
        ("a tag", { try $0.write("Content/d.md", try $0.read("Content/d.md").replacingOccurrences(of: "order: 4", with: "order: 4\ntags: [new]")) }),
        ("the order", { try $0.write("Content/d.md", try $0.read("Content/d.md").replacingOccurrences(of: "order: 4", with: "order: 0")) }),
        ("an example", { try $0.write("Examples/hello/Dockerfile", "FROM alpine\nCOPY hello /hello\nENTRYPOINT [\"/hello\"]\n") }),
        ("kb.yaml", { try $0.write("kb.yaml", "title: Renamed\n") }),
        ("a link to a file that is not there", { try $0.write("Content/d.md", try $0.read("Content/d.md") + "\n![a picture](pic.png)\n") }),
        ("the linked file appears", { try $0.write("Content/pic.png", "png\n") }),
        ("the linked file goes", { try FileManager.default.removeItem(at: $0.url.appendingPathComponent("Content/pic.png")) }),
        ("a new article", { try $0.write("Content/e.md", "---\ntitle: Epsilon\n---\nNew, linking [delta](d.md).\n") }),
        ("a removed article", { try FileManager.default.removeItem(at: $0.url.appendingPathComponent("Content/c.md")) }),
        ("a broken article", { try $0.write("Content/d.md", "no front matter\n") }),
    ]

    @Test func everyEditGivesTheSiteAndReportOfAFullBuild() throws {
        let folder = try TemporaryFolder(Self.starter)
        let first = try KBBinary.run(["build", "--root", folder.path, "--fail-on", "never"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(folder.exists(".Site.kb-cache/pages"))
        #expect(folder.files(under: ".Site.kb-cache").contains { $0.hasPrefix("articles-") })
        for edit in Self.edits {
            try edit.apply(folder)
            let cached = try KBBinary.run(["build", "--root", folder.path, "--fail-on", "never"])
            let full = try KBBinary.run(["build", "--root", folder.path, "--fail-on", "never", "--no-cache", "--output", folder.path + "/Full"])
            #expect(cached.status == full.status, "after editing \(edit.name)")
            #expect(cached.stdout == full.stdout, "the report after editing \(edit.name)")
            #expect(differences(folder, "Site", "Full") == [],
                    "the site after editing \(edit.name)")
        }
    }

    @Test func unchangedPagesAreKeptAndEditedOnesMadeAgain() throws {
        let folder = try TemporaryFolder(Self.starter)
        #expect(try KBBinary.run(["build", "--root", folder.path, "--fail-on", "never"]).status == 0)
        let before = (a: try inode(folder, "Site/articles/a.html"), d: try inode(folder, "Site/articles/d.html"))
        try folder.write("Content/a.md", try folder.read("Content/a.md") + "\nAn edit.\n")
        #expect(try KBBinary.run(["build", "--root", folder.path, "--fail-on", "never"]).status == 0)
        #expect(try inode(folder, "Site/articles/d.html") == before.d, "an unrelated page is the same file")
        #expect(try inode(folder, "Site/articles/a.html") != before.a, "the edited page is new")
        #expect(try folder.read("Site/articles/a.html").contains("An edit."))
    }

    @Test func aCorruptCacheIsIgnored() throws {
        let folder = try TemporaryFolder(Self.starter)
        #expect(try KBBinary.run(["build", "--root", folder.path, "--fail-on", "never"]).status == 0)
        for name in folder.files(under: ".Site.kb-cache") where name.hasPrefix("articles-") {
            try folder.write(".Site.kb-cache/" + name, Data([1, 0xFF, 0xFF, 7]))
        }
        try folder.write(".Site.kb-cache/pages", "not a manifest")
        try folder.write("Content/a.md", try folder.read("Content/a.md") + "\nAfter the damage.\n")
        let result = try KBBinary.run(["build", "--root", folder.path, "--fail-on", "never"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try KBBinary.run(["build", "--root", folder.path, "--fail-on", "never", "--no-cache", "--output", folder.path + "/Full"]).status == 0)
        #expect(differences(folder, "Site", "Full") == [])
    }

    private func inode(_ folder: TemporaryFolder, _ path: String) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.url.appendingPathComponent(path).path)
        return (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
    }

    /// Paths whose bytes differ, or that only one of the two folders has.
    private func differences(_ folder: TemporaryFolder, _ a: String, _ b: String) -> [String] {
        let left = folder.contents(under: a), right = folder.contents(under: b)
        return Set(left.keys).union(right.keys).filter { left[$0] != right[$0] }.sorted()
    }
}
