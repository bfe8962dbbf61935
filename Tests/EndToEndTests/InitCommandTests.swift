import Foundation
import KBTestSupport
import Testing

/// `kb init` on real folders, then `kb build`, `kb check` and `kb lint` on what it wrote.
@Suite struct InitCommandTests {
    static let written = [
        ".github/workflows/kb.yml", ".gitignore", "Content/first-minimal-image.md",
        "Examples/hello-static-c/Dockerfile", "Examples/hello-static-c/example.yaml",
        "Examples/hello-static-c/hello.c", "Examples/hello-static-c/results.json", "kb.yaml",
    ]

    @Test func writesAKnowledgeBaseThatBuildsAtOnce() throws {
        let folder = try TemporaryFolder()
        let result = try KBBinary.run(["init", "notes"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "")
        #expect(result.stderr.contains("wrote 8 files to notes"))
        #expect(folder.files(under: "notes") == Self.written)

        let root = folder.url.appendingPathComponent("notes")
        let build = try KBBinary.run(["build"], in: root)
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        #expect(build.stdout == "")
        #expect(build.stderr.contains("1 articles"))
        let page = try folder.read("notes/Site/articles/first-minimal-image.html")
        #expect(page.contains("<h1>Your first minimal image</h1>") || page.contains(">Your first minimal image<"))
        // The example's Dockerfile is included into the empty block, the size comes from the cited record.
        #expect(page.contains("musl-gcc"))
        #expect(page.contains("94 kB"))
        #expect(page.contains("The Quest for Minimal Docker Images, part 1"))
        #expect(folder.exists("notes/Site/examples/hello-static-c.html"))
        #expect(folder.exists("notes/Site/rules/KB101.html"))
        #expect(!page.contains("data-kb-live-reload"))

        // kb.yaml sets fail_on: warning, and the starter is clean at that level.
        let check = try KBBinary.run(["check"], in: root)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stderr.contains("no problems"))
        let lint = try KBBinary.run(["lint", "--fail-on", "style", "Examples"], in: root)
        #expect(lint.status == 0, "\(lint.stdout)")
        #expect(lint.stdout == "")
    }

    @Test func theResultsFileIsACitedPlaceholderThatNamesKBRecord() throws {
        let folder = try TemporaryFolder()
        #expect(try KBBinary.run(["init"], in: folder.url).status == 0)
        let data = try Data(contentsOf: folder.url.appendingPathComponent("Examples/hello-static-c/results.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["recordings"] == nil)
        let cited = try #require(json["cited"] as? [String: Any])
        #expect(cited["size_bytes"] as? Int == 94000)
        #expect((cited["note"] as? String)?.contains("kb record hello-static-c") == true)
        let source = try #require(cited["source"] as? [String: Any])
        #expect((source["url"] as? String)?.hasPrefix("http://jpetazzo.github.io/") == true)
        let yaml = try folder.read("Examples/hello-static-c/example.yaml")
        #expect(yaml.contains("stdout: \"Hello from a minimal image!\\n\""))
        #expect(try folder.read("Examples/hello-static-c/hello.c").contains("puts(\"Hello from a minimal image!\");"))
    }

    @Test func refusesToOverwriteAndWritesNothing() throws {
        let folder = try TemporaryFolder([
            "Content/first-minimal-image.md": "mine\n",
            "kb.yaml": "title: Mine\n",
            "Content/other.md": article("Other"),
        ])
        let result = try KBBinary.run(["init", folder.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(folder.path)/kb.yaml already exists"))
        #expect(result.stderr.contains("\(folder.path)/Content/first-minimal-image.md already exists"))
        #expect(!result.stderr.contains("results.json already exists"))
        #expect(result.stderr.contains("nothing was written"))
        #expect(folder.files(under: ".") == ["Content/first-minimal-image.md", "Content/other.md", "kb.yaml"])
        #expect(try folder.read("Content/first-minimal-image.md") == "mine\n")
        #expect(try folder.read("kb.yaml") == "title: Mine\n")
    }

    @Test func oneExistingFileIsEnoughToRefuse() throws {
        let folder = try TemporaryFolder([".github/workflows/kb.yml": "name: mine\n"])
        let result = try KBBinary.run(["init"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains(".github/workflows/kb.yml already exists"))
        #expect(folder.files(under: ".") == [".github/workflows/kb.yml"])
    }

    @Test func aFileWhereAFolderMustGoIsRefused() throws {
        let folder = try TemporaryFolder(["Examples": "not a folder\n"])
        let result = try KBBinary.run(["init", "."], in: folder.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Examples exists and is not a folder"))
        #expect(folder.files(under: ".") == ["Examples"])

        let file = try TemporaryFolder(["taken": "x"])
        let onFile = try KBBinary.run(["init", "taken"], in: file.url)
        #expect(onFile.status == 2)
        #expect(onFile.stderr.contains("taken exists and is not a folder"))
    }

    @Test func anExistingFolderWithOtherFilesIsFine() throws {
        let folder = try TemporaryFolder(["README.md": "# notes\n", "Content/data/.keep": ""])
        let result = try KBBinary.run(["init"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(folder.files(under: ".").count == Self.written.count + 2)
        #expect(try folder.read("README.md") == "# notes\n")
    }
}
