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
}
