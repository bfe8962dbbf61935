import Foundation
import KBTestSupport
import Testing

/// A knowledge base beside a folder that holds a secret: whatever the knowledge base does to
/// reach it, `kb check` and `kb build` refuse with a diagnostic at a file and line (or exit 2
/// with a message), and the secret is never in anything kb prints or writes.
struct Containment {
    let root: TemporaryFolder
    let outside: TemporaryFolder
    /// A string that only the outside folder holds.
    let secret = "KB-SECRET-" + UUID().uuidString

    init(_ files: [String: String]) throws {
        outside = try TemporaryFolder()
        root = try TemporaryFolder(files)
        try outside.write("secret.md", "---\ntitle: \(secret)\n---\n\(secret)\n")
        try outside.write("secret.txt", secret + "\n")
        try outside.write("Dockerfile", "FROM scratch\n# \(secret)\n")
        try outside.write("data.yaml", "title: \(secret)\nsource: {title: s, url: 'https://example.org', date: 2020-01-01}\ncolumns: [{title: A}]\nrows: [[x]]\n")
        try outside.write("folder/inner.md", "---\ntitle: \(secret)\n---\n")
        try outside.write("folder/d.yaml", "title: \(secret)\nsource: {title: s, url: 'https://example.org', date: 2020-01-01}\ncolumns: [{title: A}]\nrows: [[x]]\n")
    }

    /// Makes `path` under the root a symbolic link to `target` (a path in the outside folder,
    /// or any absolute path).
    func link(_ path: String, toOutside target: String) throws {
        let url = root.url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let destination = target.hasPrefix("/") ? target : outside.url.appendingPathComponent(target).path
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: destination)
    }

    /// `kb check`, then `kb build --fail-on never` (which writes the site whatever was found,
    /// so that what a refused file would have leaked can be looked for).
    func run() throws -> (check: KBBinary.Result, build: KBBinary.Result) {
        let check = try KBBinary.run(["check"], in: root.url)
        let build = try KBBinary.run(["build", "--fail-on", "never"], in: root.url)
        return (check, build)
    }

    /// Every file of the written site that contains the secret.
    func leaks(in results: KBBinary.Result...) throws -> [String] {
        var found = results.enumerated().filter { $0.element.stdout.contains(secret) || $0.element.stderr.contains(secret) }.map { "output of run \($0.offset)" }
        for path in root.files(under: "Site") {
            let data = try Data(contentsOf: root.url.appendingPathComponent("Site/" + path))
            if String(decoding: data, as: UTF8.self).contains(secret) { found.append("Site/" + path) }
        }
        return found
    }
}

/// The lines of a text report that name `file`, without the root's own path.
private func lines(_ output: String, about file: String) -> [String] {
    output.split(separator: "\n").map(String.init).filter { $0.hasPrefix(file + ":") }
}

@Suite struct PathContainmentTests {
    static let article = "---\ntitle: A\n---\n"

    // MARK: example= names an example, never a path

    @Test(arguments: [
        ("parent folder", "../../outside", "example=../../outside: there is no Examples/../../outside/"),
        ("absolute path", "/etc", "example=/etc: there is no Examples//etc/"),
        ("control character", "a\u{1}b", "example=a\\u{1}b: there is no Examples/a\\u{1}b/"),
        ("escape sequence", "\u{1B}[31mred", "example=\\u{1B}[31mred: there is no Examples/\\u{1B}[31mred/"),
    ])
    func exampleAttributeIsALookUpNotAPath(_ name: String, slug: String, message: String) throws {
        let kb = try Containment(["Content/a.md": Self.article + "```dockerfile example=\"\(slug)\"\n```\n"])
        let (check, build) = try kb.run()
        #expect(check.status == 1)
        #expect(lines(check.stdout, about: "Content/a.md") == ["Content/a.md:4:1: error: \(message) [KC021 unknown-example]"], "\(name)")
        #expect(build.status == 0)
        #expect(try kb.leaks(in: check, build) == [])
    }

    @Test func nulInAnArticleIsRefusedBeforeAnythingIsLookedUp() throws {
        let kb = try Containment([:])
        try kb.root.write("Content/a.md", Data((Self.article + "```dockerfile example=ex\u{0}../../x\n```\n").utf8))
        let (check, _) = try kb.run()
        #expect(check.status == 1)
        #expect(check.stdout == "Content/a.md:4:1: error: contains a NUL byte: this is a binary file, not Markdown text [KC002 not-text]\n")
    }

    @Test func anExampleWhoseDockerfileLinksOutIsNeitherShownNorIncluded() throws {
        let kb = try Containment([
            "Content/a.md": Self.article + "```dockerfile example=ex\n```\n",
            "Examples/ex/example.yaml": "title: Ex\nrun: {stdout: hi}\n",
        ])
        try kb.link("Examples/ex/Dockerfile", toOutside: "Dockerfile")
        let (check, build) = try kb.run()
        #expect(check.status == 1)
        #expect(lines(check.stdout, about: "Examples/ex/Dockerfile") == [
            "Examples/ex/Dockerfile:1:1: error: a symbolic link to \(kb.outside.url.path)/Dockerfile, outside the knowledge base: refused, not read (copy the file into the example instead) [KC104 example-outside-root]",
        ])
        #expect(lines(check.stdout, about: "Content/a.md") == ["Content/a.md:4:1: error: example=ex: Examples/ex/Dockerfile cannot be read [KC021 unknown-example]"])
        #expect(try kb.leaks(in: check, build) == [])
        #expect(try kb.root.read("Site/examples/ex.html").contains("<h1>Ex</h1>"))
    }

    // MARK: kb-table data names

    @Test(arguments: [
        ("parent folder", "../../../secret", "Content/data/../../../secret.yaml:1:1: error: a data name is a file name under Content/data/, not a path ('../../../secret') [KC012 link-outside-root]"),
        ("absolute path", "/etc/passwd", "Content/data//etc/passwd.yaml:1:1: error: a data name is a file name under Content/data/, not a path ('/etc/passwd') [KC012 link-outside-root]"),
    ])
    func dataNameIsAFileNameNotAPath(_ name: String, data: String, expected: String) throws {
        let kb = try Containment(["Content/a.md": Self.article + "```kb-table\ndata: \(data)\n```\n"])
        let (check, build) = try kb.run()
        #expect(check.status == 1)
        #expect(check.stdout == expected + "\n", "\(name)")
        #expect(try kb.leaks(in: check, build) == [])
    }

    @Test func dataFileThatLinksOutIsNotRead() throws {
        let kb = try Containment(["Content/a.md": Self.article + "```kb-table\ndata: cited\n```\n"])
        try kb.link("Content/data/cited.yaml", toOutside: "data.yaml")
        let (check, build) = try kb.run()
        #expect(check.status == 1)
        #expect(check.stdout == """
            Content/data/cited.yaml:1:1: error: a symbolic link to \(kb.outside.url.path)/data.yaml, outside the knowledge base: not read [KC012 link-outside-root]
            Content/data/cited.yaml:1:1: error: the data file leads outside the knowledge base: not read [KC012 link-outside-root]

            """)
        #expect(try kb.leaks(in: check, build) == [])
    }

    @Test func dataFolderThatLinksOutIsNotRead() throws {
        let kb = try Containment(["Content/a.md": Self.article + "```kb-table\ndata: d\n```\n"])
        try kb.link("Content/data", toOutside: "folder")
        let (check, build) = try kb.run()
        #expect(check.status == 1)
        #expect(check.stdout == """
            Content/data:1:1: error: a symbolic link to \(kb.outside.url.path)/folder, outside the knowledge base: not read [KC012 link-outside-root]
            Content/data/d.yaml:1:1: error: the data file leads outside the knowledge base: not read [KC012 link-outside-root]

            """)
        #expect(try kb.leaks(in: check, build) == [])
    }

    // MARK: Links and images

    @Test func linksAndImagesOutOfTheRootAreRefused() throws {
        let kb = try Containment(["Content/a.md": Self.article + """
            [up](../../secret.txt) [abs](/etc/passwd) [file](file:///etc/passwd)
            ![up](../../../secret.txt) ![abs](/etc/hostname) ![file](file:///etc/hostname)
            [encoded](..%2F..%2Fsecret.txt)
            """])
        let (check, build) = try kb.run()
        #expect(check.status == 1)
        #expect(check.stdout == """
            Content/a.md:4:1: error: link ../../secret.txt leads outside the knowledge base [KC012 link-outside-root]
            Content/a.md:4:24: error: link /etc/passwd leads to etc/passwd, which is not a file under Content/ [KC010 broken-link]
            Content/a.md:4:43: error: link file:///etc/passwd: kb publishes no file: addresses (they run code, embed documents or point into the reader's own disk); link a page or a file under Content/ [KC014 unsafe-link]
            Content/a.md:5:1: error: link ../../../secret.txt leads outside the knowledge base [KC012 link-outside-root]
            Content/a.md:5:28: error: link /etc/hostname leads to etc/hostname, which is not a file under Content/ [KC010 broken-link]
            Content/a.md:5:50: error: image file:///etc/hostname: kb publishes no file: addresses (they run code, embed documents or point into the reader's own disk); link a page or a file under Content/ [KC014 unsafe-link]
            Content/a.md:6:1: error: link ..%2F..%2Fsecret.txt leads outside the knowledge base [KC012 link-outside-root]

            """)
        #expect(try kb.leaks(in: check, build) == [])
        let page = try kb.root.read("Site/articles/a.html")
        #expect(page.contains("<a href=\"\">file</a>"))
        #expect(page.contains("<img src=\"\" alt=\"file\" />"))
        #expect(!kb.root.exists("Site/files/secret.txt"))
    }

    // MARK: Symbolic links and odd names under Content/

    @Test func symlinkedArticleAndFolderOutOfTheRootAreNotRead() throws {
        let kb = try Containment(["Content/a.md": Self.article])
        try kb.link("Content/stolen.md", toOutside: "secret.md")
        try kb.link("Content/sub", toOutside: "folder")
        try kb.link("Content/key.txt", toOutside: "secret.txt")
        let (check, build) = try kb.run()
        #expect(check.status == 1)
        let outside = kb.outside.url.path
        #expect(check.stdout == """
            Content/key.txt:1:1: error: a symbolic link to \(outside)/secret.txt, outside the knowledge base: not read [KC012 link-outside-root]
            Content/stolen.md:1:1: error: a symbolic link to \(outside)/secret.md, outside the knowledge base: not read [KC012 link-outside-root]
            Content/sub:1:1: error: a symbolic link to \(outside)/folder, outside the knowledge base: not read [KC012 link-outside-root]

            """)
        #expect(try kb.leaks(in: check, build) == [])
        #expect(kb.root.files(under: "Site/files") == [])
    }

    @Test func contentFolderItselfLinkedOutIsNotRead() throws {
        let kb = try Containment([:])
        try kb.link("Content", toOutside: "folder")
        let (check, build) = try kb.run()
        #expect(check.status == 1)
        // One problem, at the folder: nothing below it is even listed.
        #expect(check.stdout == """
            Content:1:1: error: a symbolic link to \(kb.outside.url.path)/folder, outside the knowledge base: not read [KC012 link-outside-root]

            """)
        #expect(try kb.leaks(in: check, build) == [])
    }

    @Test(arguments: [
        ("newline", "a\nb.md", "Content/a\\u{A}b.md:1:1: error: the name contains a line break (U+000A), which kb does not read: rename the file [KC009 unsafe-file-name]"),
        ("escape", "\u{1B}[2Jclear.md", "Content/\\u{1B}[2Jclear.md:1:1: error: the name contains a control character (U+001B), which kb does not read: rename the file [KC009 unsafe-file-name]"),
        ("tab in a folder", "sub\tdir/a.md", "Content/sub\\u{9}dir:1:1: error: the name contains a tab (U+0009), which kb does not read: rename the file [KC009 unsafe-file-name]"),
        ("bidi override", "evil\u{202E}dm.txt", "Content/evil\\u{202E}dm.txt:1:1: error: the name contains a bidirectional control (U+202E), which kb does not read: rename the file [KC009 unsafe-file-name]"),
    ])
    func fileNamesWithControlCharactersAreRefused(_ name: String, path: String, expected: String) throws {
        let kb = try Containment(["Content/ok.md": Self.article, "Content/" + path: Self.article + "unique text\n"])
        let (check, build) = try kb.run()
        #expect(check.status == 1)
        #expect(check.stdout == expected + "\n", "\(name)")
        #expect(build.status == 0)
        #expect(kb.root.files(under: "Site").filter { $0.hasPrefix("articles/") || $0.hasPrefix("files/") } == ["articles/ok.html"])
    }

    @Test func namedPipeIsNotReadSoNothingHangs() throws {
        let kb = try Containment(["Content/a.md": Self.article])
        #expect(mkfifo(kb.root.url.appendingPathComponent("Content/pipe.md").path, 0o644) == 0)
        #expect(mkfifo(kb.root.url.appendingPathComponent("Content/pipe.png").path, 0o644) == 0)
        let (check, build) = try kb.run()
        #expect(check.status == 1)
        #expect(check.stdout == """
            Content/pipe.md:1:1: error: not a regular file (a named pipe, socket or device): not read [KC007 unreadable-file]
            Content/pipe.png:1:1: error: not a regular file (a named pipe, socket or device): not read [KC007 unreadable-file]

            """)
        #expect(build.status == 0)
    }

    // MARK: --theme

    @Test func themeFileLinkedOutOfTheThemeFolderIsRefused() throws {
        let kb = try Containment(["Content/a.md": Self.article, "theme/style.css": "body {}\n"])
        try kb.link("theme/extra.css", toOutside: "secret.txt")
        let result = try KBBinary.run(["build", "--theme", "theme"], in: kb.root.url)
        #expect(result.status == 2)
        let real = kb.outside.url.resolvingSymlinksInPath().path
        #expect(result.stderr == "kb build: error: \(kb.root.path)/theme/extra.css: a symbolic link to \(real)/secret.txt, outside the theme folder: refused, not read\n")
        #expect(!kb.root.exists("Site"))
        #expect(try kb.leaks(in: result) == [])
    }

    @Test func themeFileNamesCannotClimbOutOfTheAssets() throws {
        let kb = try Containment(["Content/a.md": Self.article, "theme/..evil.css": "x", "theme/a..b.css": "y"])
        try kb.write(kb.root, "theme/bad\nname.css", "z")
        let refused = try KBBinary.run(["build", "--theme", "theme"], in: kb.root.url)
        #expect(refused.status == 2)
        #expect(refused.stderr == "kb build: error: \(kb.root.path)/theme/bad\\u{A}name.css: the name contains a line break (U+000A), which kb does not read: rename the file\n")
        try FileManager.default.removeItem(at: kb.root.url.appendingPathComponent("theme/bad\nname.css"))

        let built = try KBBinary.run(["build", "--theme", "theme"], in: kb.root.url)
        #expect(built.status == 0, "\(built.stderr)")
        // Hidden names are not theme files; `..` inside a name is only part of the name.
        #expect(kb.root.files(under: "Site/assets") == ["a..b.css", "search.js", "style.css"])
        #expect(kb.root.files(under: "").filter { $0.hasSuffix("evil.css") } == ["theme/..evil.css"])
    }

    // MARK: --output

    @Test func aForeignOutputFolderIsLeftByteForByte() throws {
        let kb = try Containment(["Content/a.md": Self.article])
        let mine: [String: Data] = ["mine/notes.txt": Data("keep\n".utf8), "mine/deep/data.bin": Data([0, 1, 2, 255]), "mine/index.html": Data("<p>mine</p>".utf8)]
        for (path, data) in mine { try kb.root.write(path, data) }
        let before = try snapshot(kb.root.url.appendingPathComponent("mine"))
        let result = try KBBinary.run(["build", "--output", "mine"], in: kb.root.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("mine: the output folder exists and was not written by kb (no .kb-site file in it); refusing to replace it"))
        #expect(try snapshot(kb.root.url.appendingPathComponent("mine")) == before)
        #expect(kb.root.files(under: "").filter { !$0.hasPrefix("Content/") && !$0.hasPrefix("mine/") } == [])
    }

    @Test(arguments: [
        ("the root", ".", "the output folder is the knowledge base's root itself; kb would replace the knowledge base with its site"),
        ("the root, spelt another way", "Content/..", "the output folder is the knowledge base's root itself; kb would replace the knowledge base with its site"),
        ("Content", "Content", "the output folder is inside Content/, which kb reads: the site would become part of its own sources"),
        ("a new folder in Content", "Content/site", "the output folder is inside Content/, which kb reads: the site would become part of its own sources"),
        ("Examples", "Examples/site", "the output folder is inside Examples/, which kb reads: the site would become part of its own sources"),
        ("the file system root", "/", "the output folder is the file system's root; choose a folder of its own, such as Site/"),
    ])
    func outputOverTheKnowledgeBaseIsRefused(_ name: String, output: String, reason: String) throws {
        let kb = try Containment(["Content/a.md": Self.article, "Examples/ex/Dockerfile": "FROM scratch\n"])
        let before = try snapshot(kb.root.url)
        let result = try KBBinary.run(["build", "--output", output], in: kb.root.url)
        #expect(result.status == 2, "\(name)")
        #expect(result.stderr == "kb build: error: --output \(output): \(reason)\n", "\(name)")
        #expect(try snapshot(kb.root.url) == before, "\(name)")
    }

    @Test func outputThatHoldsTheRootIsRefused() throws {
        let parent = try TemporaryFolder(["kb/Content/a.md": Self.article, "other.txt": "x"])
        // Even a folder that carries kb's marker: replacing it would carry the knowledge base away.
        try parent.write(".kb-site", "")
        let before = try snapshot(parent.url)
        for output in ["..", parent.url.path] {
            let result = try KBBinary.run(["build", "--output", output], in: parent.url.appendingPathComponent("kb"))
            #expect(result.status == 2)
            #expect(result.stderr == "kb build: error: --output \(output): the output folder holds the knowledge base (\(parent.url.resolvingSymlinksInPath().path)/kb); kb would replace the knowledge base with its site\n")
        }
        #expect(try snapshot(parent.url) == before)
    }

    @Test func outputThroughASymbolicLinkToTheRootIsRefused() throws {
        let kb = try Containment(["Content/a.md": Self.article])
        try FileManager.default.createSymbolicLink(atPath: kb.outside.url.appendingPathComponent("alias").path, withDestinationPath: kb.root.url.path)
        let result = try KBBinary.run(["build", "--root", kb.root.path, "--output", kb.outside.url.appendingPathComponent("alias").path])
        #expect(result.status == 2)
        #expect(result.stderr.hasSuffix("the output folder is the knowledge base's root itself; kb would replace the knowledge base with its site\n"))
        #expect(kb.root.files(under: "Content") == ["a.md"])
    }

    @Test func nothingBesideTheOutputIsDeleted() throws {
        let kb = try Containment(["Content/a.md": Self.article])
        let siblings: [String: String] = [
            "Site.bak/index.html": "backup",
            ".Site.tmp-42/index.html": "someone's folder with kb's naming, but no marker",
            ".Site.old-42/notes.txt": "the same",
            "notes.txt": "mine",
            "Site-2/.kb-site": "",
        ]
        for (path, text) in siblings { try kb.root.write(path, text) }
        for _ in 0..<2 {
            let result = try KBBinary.run(["build"], in: kb.root.url)
            #expect(result.status == 0, "\(result.stderr)")
        }
        for (path, text) in siblings {
            #expect(try kb.root.read(path) == text, "\(path)")
        }
        #expect(kb.root.exists("Site/articles/a.html"))
        // Beside Site/: the others' folders, untouched, and kb's own build cache (marked as kb's).
        let beside = kb.root.files(under: "").filter { $0.hasPrefix(".Site.") }
        #expect(beside.filter { !$0.hasPrefix(".Site.kb-cache/") }.sorted() == [".Site.old-42/notes.txt", ".Site.tmp-42/index.html"])
        #expect(beside.contains(".Site.kb-cache/.kb-cache"))
    }
}

/// Every file under a folder with its bytes, and every folder, for before/after comparison.
private func snapshot(_ folder: URL) throws -> [String: Data] {
    var result: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey]) else { return [:] }
    for case let url as URL in enumerator {
        let relative = String(url.path.dropFirst(folder.path.count))
        if (try url.resourceValues(forKeys: [.isDirectoryKey])).isDirectory == true {
            result[relative + "/"] = Data()
        } else {
            result[relative] = try Data(contentsOf: url)
        }
    }
    return result
}

extension Containment {
    /// Writes a file whose name TemporaryFolder's helpers would not accept as is.
    func write(_ folder: TemporaryFolder, _ path: String, _ text: String) throws {
        let url = folder.url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}
