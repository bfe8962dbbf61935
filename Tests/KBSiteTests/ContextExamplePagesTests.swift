import Foundation
import KBContent
import KBSite
import KBTestSupport
import Testing

/// An example built from another folder (`context:` in example.yaml, as kb's own image is):
/// its page shows that folder's Dockerfile, and its recorded size is shown where every
/// example's is.
@Suite struct ContextExamplePagesTests {
    @Test func theContextsDockerfileAndTheRecordedSizeAreShown() throws {
        let folder = try TemporaryFolder([
            "Content/a.md": "---\ntitle: A\n---\nText.\n",
            "Dockerfile": "FROM debian:bookworm-slim\nCOPY Sources/tool /usr/local/bin/tool\nENTRYPOINT [\"tool\"]\n",
            ".dockerignore": "*\n!Sources\n",
            "Sources/tool": "#!/bin/sh\necho tool\n",
            "Examples/self/example.yaml": "title: The tool itself\ncontext: ../..\nrun:\n  stdout_contains: tool\n",
        ])
        let digest = try #require(try ExampleCatalog.load(root: folder.url)["self"]?.context?.digest)
        try folder.write("Examples/self/results.json", ResultsFile(recordings: [
            Recording(
                date: "2026-11-28T05:46:00Z", engine: EngineInfo(name: "buildah", version: "1.28.2"), platform: "linux/amd64",
                contextDigest: digest, target: nil, image: ImageFigures(sizeBytes: 93_456_789, layers: 3), buildSeconds: 600,
                run: RunRecord(exitCode: 0, stdout: "tool\n", stderr: ""), matched: true)
        ]).json())

        let knowledgeBase = try ContentLoader.load(root: folder.url)
        let report = Checker.check(knowledgeBase)
        #expect(report.diagnostics.filter { $0.severity <= .warning } == [])
        var pages: [String: String] = [:]
        for file in try SiteRenderer().render(knowledgeBase, checked: report) {
            pages[file.path] = String(decoding: file.contents, as: UTF8.self)
        }
        let page = try #require(pages["examples/self.html"])
        #expect(page.contains("/usr/local/bin/tool"))
        #expect(page.contains("93.5 MB (93456789 bytes)"))
        #expect(pages["examples/index.html"]?.contains("93.5 MB") == true)
        #expect(pages["index.html"]?.contains("93.5 MB") == true)

        // A change in the context makes the recording stale: a warning, and no size shown.
        try folder.write("Sources/tool", "#!/bin/sh\necho tool 2\n")
        let changed = try ContentLoader.load(root: folder.url)
        let stale = Checker.check(changed)
        #expect(stale.diagnostics.filter { $0.rule == "KC121" }.map(\.severity) == [.warning])
        #expect(stale.diagnostics.filter { $0.severity == .error } == [])
        var stalePages: [String: String] = [:]
        for file in try SiteRenderer().render(changed, checked: stale) {
            stalePages[file.path] = String(decoding: file.contents, as: UTF8.self)
        }
        #expect(stalePages["examples/self.html"]?.contains("The recording is stale") == true)
        #expect(stalePages["examples/index.html"]?.contains("93.5 MB") == false)
    }

    /// A knowledge base with one example built from the root, one from a shared folder with
    /// another Dockerfile, and one built from its own folder; each included by an article.
    static func site() throws -> (folder: TemporaryFolder, pages: [String: String], report: CheckReport) {
        let folder = try TemporaryFolder([
            "Content/a.md": """
                ---
                title: A
                ---
                ```dockerfile example=self
                ```

                ```dockerfile example=shared
                ```

                ```dockerfile example=plain
                ```

                """,
            "Dockerfile": "FROM debian:bookworm-slim\nCOPY Sources/tool /usr/local/bin/tool\nENTRYPOINT [\"tool\"]\n",
            ".dockerignore": "*\n!Sources\n",
            "Sources/tool": "#!/bin/sh\necho tool\n",
            "Sources/more/lib.sh": "echo lib\n",
            "build/junk": "left out\n",
            "Examples/self/example.yaml": "title: The tool itself\ncontext: ../..\nrun:\n  stdout_contains: tool\n",
            "Examples/self/NOTES.txt": "Notes beside the example.\n",
            "Examples/shared/example.yaml": "title: Shared\ncontext: ../../shared\ndockerfile: docker/Dockerfile.prod\nrun:\n  stdout: \"hi\\n\"\n",
            "shared/docker/Dockerfile.prod": "FROM scratch\nCOPY hello /hello\nENTRYPOINT [\"/hello\"]\n",
            "shared/hello": "binary\n",
            "Examples/prod/example.yaml": "title: Prod\ndockerfile: Dockerfile.prod\nrun:\n  stdout: \"hi\\n\"\n",
            "Examples/prod/Dockerfile.prod": "FROM scratch\nCOPY hello /hello\nENTRYPOINT [\"/hello\"]\n",
            "Examples/prod/hello": "binary\n",
            "Examples/plain/example.yaml": "title: Plain\nrun:\n  stdout: \"hi\\n\"\n",
            "Examples/plain/Dockerfile": "FROM scratch\nCOPY hello /hello\nENTRYPOINT [\"/hello\"]\n",
            "Examples/plain/hello": "binary\n",
            "Examples/plain/.dockerignore": "*.md\n",
        ])
        let knowledgeBase = try ContentLoader.load(root: folder.url)
        let report = Checker.check(knowledgeBase)
        var pages: [String: String] = [:]
        for file in try SiteRenderer().render(knowledgeBase, checked: report) {
            pages[file.path] = String(decoding: file.contents, as: UTF8.self)
        }
        return (folder, pages, report)
    }

    @Test func thePageSaysWhereTheImageIsBuiltFrom() throws {
        let (_, pages, report) = try Self.site()
        #expect(report.diagnostics.filter { $0.severity == .error } == [])
        let page = try #require(pages["examples/self.html"])
        // The context, its .dockerignore, the Dockerfile built and the files the digest covers:
        // the Dockerfile, .dockerignore and the two files under Sources/ (not build/junk).
        #expect(page.contains("""
            <h2 id="dockerfile">Dockerfile</h2>
            <p class="build-context">Build context: <code>.</code> (the knowledge base’s root), less what <code>.dockerignore</code> leaves out; \
            the Dockerfile built is <code>Dockerfile</code>. The context holds 4 files, all covered by the digest a recording is checked against.</p>
            <figure class="dockerfile-block"><figcaption>Dockerfile</figcaption>

            """))
        // Files, with paths from the root: the context's .dockerignore and the example's own files.
        let files = try #require(page.firstRange(of: "<h2 id=\"files\">").map { String(page[$0.lowerBound...]) })
        #expect(files.contains("""
            <h2 id="files">Files</h2>
            <details><summary>.dockerignore</summary>
            <pre><code>*
            !Sources
            </code></pre>
            </details>
            <details><summary>Examples/self/NOTES.txt</summary>
            <pre><code>Notes beside the example.
            </code></pre>
            </details>
            <details><summary>Examples/self/example.yaml</summary>

            """))
        #expect(!page.contains("<summary>example.yaml</summary>"))

        // Another folder and another Dockerfile: the folder's path, and no .dockerignore.
        let shared = try #require(pages["examples/shared.html"])
        #expect(shared.contains("""
            <p class="build-context">Build context: <code>shared</code>; the Dockerfile built is <code>shared/docker/Dockerfile.prod</code>. \
            The context holds 2 files, all covered by the digest a recording is checked against.</p>
            <figure class="dockerfile-block"><figcaption>shared/docker/Dockerfile.prod</figcaption>

            """))
        #expect(shared.contains("<details><summary>Examples/shared/example.yaml</summary>"))
        #expect(!shared.contains("<summary>.dockerignore</summary>"))

        // Only another Dockerfile: the context is the example's folder; that Dockerfile is shown
        // once, above, not among the files.
        let prod = try #require(pages["examples/prod.html"])
        #expect(prod.contains("""
            <p class="build-context">Build context: <code>Examples/prod</code> (this example’s own folder); \
            the Dockerfile built is <code>Examples/prod/Dockerfile.prod</code>. \
            The context holds 2 files, all covered by the digest a recording is checked against.</p>
            <figure class="dockerfile-block"><figcaption>Examples/prod/Dockerfile.prod</figcaption>

            """))
        #expect(prod.contains("<details><summary>Examples/prod/example.yaml</summary>"))
        #expect(prod.contains("<details><summary>Examples/prod/hello</summary>"))
        #expect(!prod.contains("<summary>Examples/prod/Dockerfile.prod</summary>"))
    }

    @Test func anExampleBuiltFromItsOwnFolderIsShownAsBefore() throws {
        let (_, pages, _) = try Self.site()
        let page = try #require(pages["examples/plain.html"])
        #expect(!page.contains("build-context"))
        #expect(page.contains("""
            <h2 id="dockerfile">Dockerfile</h2>
            <figure class="dockerfile-block"><figcaption>Examples/plain/Dockerfile</figcaption>
            <pre class="dockerfile"><code>
            """))
        // Names relative to the example's folder, and no .dockerignore (nor the Dockerfile again).
        #expect(page.contains("""
            <h2 id="files">Files</h2>
            <details><summary>example.yaml</summary>
            <pre><code>title: Plain
            run:
              stdout: &quot;hi\\n&quot;
            </code></pre>
            </details>
            <details><summary>hello</summary>
            <pre><code>binary
            </code></pre>
            </details>
            <h2 id="used-in">Used in</h2>
            """))
    }

    @Test func anArticleBlockNamesTheDockerfileThatIsBuilt() throws {
        let (_, pages, _) = try Self.site()
        let page = try #require(pages["articles/a.html"])
        #expect(page.contains("<figcaption><a class=\"block-example\" href=\"../examples/self.html\">Dockerfile</a></figcaption>"))
        #expect(page.contains("<figcaption><a class=\"block-example\" href=\"../examples/shared.html\">shared/docker/Dockerfile.prod</a></figcaption>"))
        #expect(page.contains("<figcaption><a class=\"block-example\" href=\"../examples/plain.html\">Examples/plain/Dockerfile</a></figcaption>"))
        #expect(!page.contains("Examples/self/Dockerfile"))
    }
}
