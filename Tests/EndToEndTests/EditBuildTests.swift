import Foundation
import KBTestSupport
import Testing

/// `kb build` after an edit that no other page sees: an edit build makes only the edited
/// articles' pages and their lines of the search index and the report again, and the site
/// and report are exactly those of a build from scratch. Any other edit is a cached build.
/// Which of the two ran is read from `KB_TIMINGS`' lines.
@Suite struct EditBuildTests {
    static let clean = "FROM scratch\nCOPY hello /hello\nUSER 65532\nENTRYPOINT [\"/hello\"]\n"

    static let starter: [String: String] = [
        "Content/a.md": "---\ntitle: Alpha\nsummary: First.\ntags: [go, size]\norder: 1\n---\n## Start here\n\nSee [beta](b.md#details), [gamma](c.md) and [nothing](nowhere.md).\n",
        "Content/b.md": "---\ntitle: Beta\ntags: [go]\norder: 2\n---\n## Details\n\nBack to [alpha](a.md#start-here).\n\n```dockerfile example=hello\n```\n",
        "Content/c.md": "---\ntitle: Gamma\norder: 3\n---\nPlain text, and a block:\n\n```dockerfile\nFROM alpine:3.20\nRUN sudo apk add curl\n```\n",
        "Content/d.md": "---\ntitle: Delta\norder: 4\n---\nLast, and [first](a.md).\n\n```dockerfile\n\(clean)```\n",
        "Content/e.md": "---\ntitle: Epsilon\norder: 5\n---\nAlso clean:\n\n```dockerfile\n\(clean)```\n",
        "Examples/hello/Dockerfile": "FROM scratch\nCOPY hello /hello\nENTRYPOINT [\"/hello\"]\n",
        "Examples/hello/hello": "binary\n",
    ]

    typealias Edit = (name: String, apply: @Sendable (TemporaryFolder) throws -> Void)

    static func append(_ path: String, _ text: String) -> @Sendable (TemporaryFolder) throws -> Void {
        { try $0.write(path, try $0.read(path) + text) }
    }

    static func replace(_ path: String, _ old: String, _ new: String) -> @Sendable (TemporaryFolder) throws -> Void {
        { folder in
            let text = try folder.read(path)
            guard text.contains(old) else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: "\(path) has no \(old)"]) }
            try folder.write(path, text.replacingOccurrences(of: old, with: new))
        }
    }

    /// Edits that change nothing other pages use: each is an edit build.
    static let unseen: [Edit] = [
        ("a sentence appended", append("Content/a.md", "\nOne more sentence.\n")),
        ("a paragraph above the links, which move with their finding", replace("Content/a.md", "## Start here\n", "A new first paragraph.\n\n## Start here\n")),
        ("a Dockerfile line with a finding", replace("Content/c.md", "RUN sudo apk add curl\n", "RUN sudo apk add curl\nRUN sudo apk add git\n")),
        ("that finding gone again", replace("Content/c.md", "RUN sudo apk add git\n", "")),
        ("findings in two articles that had none, at one place of the report", { folder in
            try replace("Content/d.md", "USER 65532\n", "")(folder)
            try replace("Content/e.md", "USER 65532\n", "")(folder)
        }),
        // The second of the two: its place is after the first's new findings.
        ("the second of them clean again", replace("Content/e.md", "COPY hello /hello\n", "COPY hello /hello\nUSER 65532\n")),
        ("two articles at once", { folder in
            try append("Content/a.md", "\nA second sentence.\n")(folder)
            try append("Content/b.md", "\nAnd more.\n")(folder)
        }),
        ("a file touched, not changed", { folder in
            let path = folder.url.appendingPathComponent("Content/b.md").path
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 5)], ofItemAtPath: path)
        }),
        ("nothing", { _ in }),
    ]

    /// Edits other pages or checks see: each is a cached build.
    static let seen: [Edit] = [
        ("a title", replace("Content/b.md", "title: Beta", "title: Better")),
        ("a heading others link to", replace("Content/b.md", "## Details", "## More")),
        ("a tag", replace("Content/d.md", "order: 4", "order: 4\ntags: [new]")),
        ("the order", replace("Content/e.md", "order: 5", "order: 0")),
        ("a link", append("Content/d.md", "\nSee [gamma](c.md).\n")),
        ("a block", append("Content/e.md", "\n```dockerfile\nFROM alpine:3.20\n```\n")),
        ("an example", { try $0.write("Examples/hello/Dockerfile", "FROM alpine\nCOPY hello /hello\nENTRYPOINT [\"/hello\"]\n") }),
        ("kb.yaml", { try $0.write("kb.yaml", "title: Renamed\n") }),
        ("a file beside the articles", { try $0.write("Content/pic.png", "png\n") }),
        ("a new article", { try $0.write("Content/f.md", "---\ntitle: Zeta\n---\nNew.\n") }),
        ("a removed article", { try FileManager.default.removeItem(at: $0.url.appendingPathComponent("Content/f.md")) }),
        ("an article that no longer reads", { try $0.write("Content/c.md", "no front matter\n") }),
    ]

    @Test func editsNoOtherPageSeesAreEditBuildsAndOthersCachedOnes() throws {
        let folder = try TemporaryFolder(Self.starter)
        #expect(try build(folder).status == 0)
        // After the cached builds, edits no page sees are edit builds again.
        for (edits, kind) in [(Self.unseen, "edit"), (Self.seen, "cached"), (Array(Self.unseen.prefix(2)), "edit")] {
            for edit in edits {
                try edit.apply(folder)
                let result = try build(folder)
                let ran = result.stderr.contains("made again") ? "edit" : "cached"
                #expect(ran == kind, "after editing \(edit.name): \(result.stderr)")
                try expectFullBuild(folder, result, after: edit.name)
            }
        }
    }

    @Test func anEditBuildThatFailsLeavesTheSiteAndItsStateAsTheyWere() throws {
        let folder = try TemporaryFolder(Self.starter)
        #expect(try build(folder).status == 0)
        let before = folder.contents(under: "Site")
        try Self.replace("Content/e.md", "USER 65532\n", "FROOM x\n")(folder)
        let failed = try KBBinary.run(["build", "--root", folder.path], environment: ["KB_TIMINGS": "1"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("the site was not written"))
        #expect(failed.stdout.contains("Content/e.md:10:1: error: unknown instruction 'FROOM'"), "\(failed.stdout)")
        #expect(folder.contents(under: "Site") == before)
        try Self.replace("Content/e.md", "FROOM x\n", "USER 65532\n")(folder)
        try Self.append("Content/e.md", "\nFixed.\n")(folder)
        let fixed = try build(folder)
        #expect(fixed.stderr.contains("made again"), "\(fixed.stderr)")
        try expectFullBuild(folder, fixed, after: "the fix")
    }

    @Test func aStateThatDoesNotDescribeTheOutputIsNotUsed() throws {
        let folder = try TemporaryFolder(Self.starter)
        #expect(try build(folder).status == 0)
        let damages: [Edit] = [
            ("a damaged state", { try $0.write(".Site.kb-cache/edit-state", Data([1, 0xFF, 0xFF, 7])) }),
            ("a damaged manifest", { try $0.write(".Site.kb-cache/pages", "not a manifest") }),
            ("the output removed", { try FileManager.default.removeItem(at: $0.url.appendingPathComponent("Site")) }),
            ("a search index of another size", { try $0.write("Site/search-index.js", "window.KB_SEARCH_INDEX = [];\n") }),
        ]
        for damage in damages {
            // An edit build is possible before the damage, and not after it.
            _ = try build(folder)
            try Self.append("Content/a.md", "\nAn edit.\n")(folder)
            try damage.apply(folder)
            let result = try build(folder)
            #expect(result.stderr.contains("no edit build"), "after \(damage.name): \(result.stderr)")
            if damage.name != "a search index of another size" { try expectFullBuild(folder, result, after: damage.name) }
        }
    }

    @Test func theReportFormatsOfOneLinePerFindingHaveEditBuilds() throws {
        let folder = try TemporaryFolder(Self.starter)
        for format in ["github", "text"] {
            #expect(try build(folder, ["--format", format]).status == 0)
            try Self.append("Content/a.md", "\nIn \(format).\n")(folder)
            let result = try build(folder, ["--format", format])
            #expect(result.stderr.contains("made again"), "\(format): \(result.stderr)")
            try expectFullBuild(folder, result, after: "an edit reported in \(format)", ["--format", format])
        }
        #expect(try build(folder, ["--format", "json"]).stderr.contains("no edit build: the json report is not one line per finding"))
    }

    private func build(_ folder: TemporaryFolder, _ flags: [String] = []) throws -> KBBinary.Result {
        try KBBinary.run(["build", "--root", folder.path, "--fail-on", "never"] + flags, environment: ["KB_TIMINGS": "1"])
    }

    /// The report, exit status and site of `result` are those of a build from scratch.
    private func expectFullBuild(_ folder: TemporaryFolder, _ result: KBBinary.Result, after edit: String, _ flags: [String] = []) throws {
        let full = try KBBinary.run(["build", "--root", folder.path, "--fail-on", "never", "--no-cache", "--output", folder.path + "/Full"] + flags)
        #expect(result.status == full.status, "after \(edit)")
        #expect(result.stdout == full.stdout, "the report after \(edit)")
        let site = folder.contents(under: "Site"), reference = folder.contents(under: "Full")
        #expect(site.count > 10 && site == reference, "the site after \(edit): \(Set(site.keys).symmetricDifference(reference.keys)) \(site.filter { reference[$0.key] != $0.value }.keys.sorted())")
    }
}
