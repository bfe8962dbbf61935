import Foundation
import KBTestSupport
import Testing

/// `kb build` and `kb check` run as processes on real folders.
@Suite struct BuildCommandTests {
    let starter: [String: String] = [
        "Content/multi-stage.md": article("Multi-stage builds", order: 1, """
            ## Why two stages

            The compiler stays in [the first stage](linking.md#static-binaries).

            ## Why two stages
            """),
        "Content/linking.md": "---\ntitle: Linking\nsummary: Static & dynamic.\ntags: [c, scratch]\norder: 2\n---\n## Static binaries\n\nBack to [multi-stage](multi-stage.md#why-two-stages-1).\n",
    ]

    @Test func buildsASiteThatReadsOffline() throws {
        let folder = try TemporaryFolder(starter)
        let result = try KBBinary.run(["build", "--root", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("2 articles"))
        let written = Set(folder.files(under: "Site"))
        let expected: Set<String> = [
            ".kb-site", "404.html", "articles/linking.html", "articles/multi-stage.html", "assets/search.js", "assets/style.css",
            "index.html", "search-index.js", "tags/c.html", "tags/index.html", "tags/scratch.html", "examples/index.html",
            "rules/index.html", "rules/KB101.html",
        ]
        #expect(expected.isSubset(of: written), "missing: \(expected.subtracting(written).sorted())")

        let home = try folder.read("Site/index.html")
        #expect(home.contains("<a href=\"articles/multi-stage.html\">Multi-stage builds</a>"))
        #expect(home.contains("<p>Static &amp; dynamic.</p>"))
        let page = try folder.read("Site/articles/multi-stage.html")
        #expect(page.contains("<h2 id=\"why-two-stages\">"))
        #expect(page.contains("<h2 id=\"why-two-stages-1\">"))
        #expect(page.contains("<a href=\"linking.html#static-binaries\">the first stage</a>"))
        #expect(page.contains("<link rel=\"stylesheet\" href=\"../assets/style.css\">"))
        let linking = try folder.read("Site/articles/linking.html")
        #expect(linking.contains("<a href=\"multi-stage.html#why-two-stages-1\">multi-stage</a>"))
    }

    @Test func outputOptionAndCurrentFolderRoot() throws {
        let folder = try TemporaryFolder(starter)
        let result = try KBBinary.run(["build", "--output", "public"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(folder.exists("public/index.html"))
        #expect(!folder.exists("Site"))
    }

    @Test func brokenLinkFailsAndLeavesThePreviousSiteUntouched() throws {
        let folder = try TemporaryFolder(starter)
        #expect(try KBBinary.run(["build", "--root", folder.path]).status == 0)
        let before = try folder.read("Site/articles/linking.html")

        try folder.write("Content/linking.md", article("Linking", "[gone](nowhere.md) and [a](multi-stage.md#nope)\n\n## Static binaries\n"))
        let result = try KBBinary.run(["build", "--root", folder.path])
        #expect(result.status == 1)
        #expect(result.stdout == """
            \(folder.path)/Content/linking.md:4:1: error: link nowhere.md: there is no article Content/nowhere.md [KC010 broken-link]
            \(folder.path)/Content/linking.md:4:24: error: link multi-stage.md#nope: Content/multi-stage.md has no heading with the anchor #nope [KC011 broken-anchor]

            """)
        #expect(result.stderr.contains("the site was not written"))
        #expect(try folder.read("Site/articles/linking.html") == before)
    }

    @Test func failOnNeverWritesTheSiteAnyway() throws {
        let folder = try TemporaryFolder(["Content/a.md": article("A", "[gone](nowhere.md)\n")])
        let result = try KBBinary.run(["build", "--fail-on", "never"], in: folder.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Content/a.md:4:1: error: link nowhere.md"))
        #expect(folder.exists("Site/articles/a.html"))
    }

    @Test func badFrontMatterIsReportedWithFileAndLine() throws {
        let folder = try TemporaryFolder([
            "Content/a.md": "---\ntitle: A\ntags: [x\n---\n",
            "Content/b.md": "No front matter\n",
        ])
        let result = try KBBinary.run(["check"], in: folder.url)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("Content/a.md:4:") && lines[0].contains("error: invalid YAML") && lines[0].hasSuffix("[KC004 malformed-front-matter]"))
        #expect(lines[1].hasPrefix("Content/b.md:1:1: error: no front matter"))
        #expect(!folder.exists("Site"))
    }

    @Test func jsonReport() throws {
        let folder = try TemporaryFolder(["Content/a.md": article("A", "[x](#missing)\n")])
        let result = try KBBinary.run(["check", "--format", "json"], in: folder.url)
        #expect(result.status == 1)
        let problems = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        #expect(problems?.count == 1)
        #expect(problems?.first?["rule"] as? String == "KC011")
        #expect(problems?.first?["line"] as? Int == 4)
        #expect(problems?.first?["file"] as? String == "Content/a.md")
    }

    @Test func unreadableInputAndBadInvocationExitWithTwo() throws {
        let empty = try TemporaryFolder()
        let missing = try KBBinary.run(["build"], in: empty.url)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("Content: no Content/ folder here"))

        let badFlag = try KBBinary.run(["build", "--fail-on", "sometimes"], in: empty.url)
        #expect(badFlag.status == 2)

        let unknown = try KBBinary.run(["frobnicate"], in: empty.url)
        #expect(unknown.status == 2)
    }

    @Test func contentThatIsNotAFolder() throws {
        let file = try TemporaryFolder(["Content": "not a folder"])
        let result = try KBBinary.run(["check"], in: file.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Content is a file, not a folder"))

        let dangling = try TemporaryFolder()
        try FileManager.default.createSymbolicLink(atPath: dangling.url.appendingPathComponent("Content").path, withDestinationPath: "/nonexistent/kb")
        #expect(try KBBinary.run(["check"], in: dangling.url).status == 2)
    }

    // Root reads every folder whatever its mode, so this runs only for other users.
    @Test(.enabled(if: getuid() != 0, "running as root: permissions do not stop root from reading"))
    func unreadableContentFolder() throws {
        let folder = try TemporaryFolder(["Content/a.md": article("A")])
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: folder.url.appendingPathComponent("Content").path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.url.appendingPathComponent("Content").path) }
        #expect(try KBBinary.run(["build"], in: folder.url).status == 2)
    }

    @Test func refusesToOverwriteAFolderItDidNotWrite() throws {
        let folder = try TemporaryFolder(starter)
        try folder.write("Site/notes.txt", "keep me")
        let result = try KBBinary.run(["build"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("was not written by kb"))
        #expect(try folder.read("Site/notes.txt") == "keep me")
    }

    @Test func twoBuildsAreByteIdentical() throws {
        let folder = try TemporaryFolder(starter)
        #expect(try KBBinary.run(["build", "--output", "one"], in: folder.url).status == 0)
        #expect(try KBBinary.run(["build", "--output", "two"], in: folder.url).status == 0)
        let one = folder.files(under: "one"), two = folder.files(under: "two")
        #expect(one == two)
        for path in one {
            #expect(try folder.read("one/" + path) == folder.read("two/" + path), "\(path) differs between two builds")
        }
    }

    @Test func versionAndHelp() throws {
        let version = try KBBinary.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let help = try KBBinary.run(["build", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--output"))
    }
}
