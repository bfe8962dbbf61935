import Foundation
import KBContent
import KBRules
@testable import KBSite
import KBTestSupport
import Testing

@Suite struct HighlighterTests {
    @Test func tokensBecomeSpansAndLinesKeepTheirNumbers() {
        let html = DockerfileHighlighter.render(
            "# syntax=docker/dockerfile:1\nFROM golang:1.22 AS build\nRUN --mount=type=cache,target=/root/.cache \\\n    go build -o \"/out/app\" $PKG\n",
            idPrefix: "x-").markup
        #expect(html.contains("<span class=\"tok-keyword\">FROM</span>"))
        #expect(html.contains("<span class=\"tok-flag\">--mount=type=cache,target=/root/.cache</span>"))
        #expect(html.contains("<span class=\"tok-string\">&quot;/out/app&quot;</span>"))
        #expect(html.contains("<span class=\"tok-variable\">$PKG</span>"))
        #expect(html.contains("<span class=\"tok-continuation\">\\</span>"))
        #expect(html.contains("id=\"x-L4\""))
        #expect(!html.contains("id=\"x-L5\""))
    }

    @Test func escapesEverythingItShows() {
        let html = DockerfileHighlighter.render("FROM scratch\nLABEL x=\"<script>alert(1)</script>\"\n", idPrefix: "").markup
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;"))
    }

    @Test func findingLinesAreMarked() {
        let finding = Diagnostic(file: "D", line: 2, severity: .error, rule: "KB107", name: "x", message: "m")
        let html = DockerfileHighlighter.render("FROM scratch\nCMD /app\n", findings: [finding], idPrefix: "").markup
        #expect(html.contains("<span class=\"line finding finding-error\" id=\"L2\">"))
        #expect(html.contains("<span class=\"line\" id=\"L1\">"))
    }
}

@Suite struct SizeFormatTests {
    @Test func humanUnitsAndRatios() {
        #expect(SizeFormat.bytes(16_384) == "16.4 kB")
        #expect(SizeFormat.bytes(940_000) == "940 kB")
        #expect(SizeFormat.bytes(1_140_000_000) == "1.14 GB")
        #expect(SizeFormat.bytes(999) == "999 B")
        #expect(SizeFormat.ratio(940_000, baseline: 1_140_000_000) == "1213× smaller")
        #expect(SizeFormat.ratio(64_200_000, baseline: 1_140_000_000) == "18× smaller")
        #expect(SizeFormat.ratio(3_000, baseline: 2_000) == "1.5× larger")
        #expect(SizeFormat.saving(64_200_000, baseline: 1_140_000_000) == "94% saved")
        #expect(SizeFormat.saving(1_100, baseline: 1_000) == "10% more")
        #expect(SizeFormat.saving(1_816_576, baseline: 773_433_344) == "99.8% saved")
    }
}

/// Whole sites with examples, recordings and tables, rendered and inspected.
@Suite struct SiteWithExamplesTests {
    static func recording(_ bytes: Int, digest: String) -> String {
        """
        {
          "recordings": [
            {
              "build_seconds": 1.5,
              "context_digest": "\(digest)",
              "date": "2026-11-28T06:00:00Z",
              "engine": {"name": "buildah", "version": "1.28.2"},
              "image": {"layers": 1, "size_bytes": \(bytes)},
              "matched": true,
              "platform": "linux/amd64",
              "run": {"exit_code": 0, "seconds": 0.1, "stderr": "", "stdout": "hi\\n", "timed_out": false}
            }
          ]
        }

        """
    }

    func site(_ extra: [String: String] = [:]) throws -> (pages: [String: String], report: CheckReport) {
        var files: [String: String] = [
            "Examples/small/Dockerfile": "FROM scratch\nCOPY hi /hi\nENTRYPOINT [\"/hi\"]\n",
            "Examples/small/hi": "binary\n",
            "Examples/small/example.yaml": "title: Small one\nsummary: A small image.\nrun:\n  stdout: \"hi\\n\"\n",
            "Examples/big/Dockerfile": "FROM debian:bookworm-slim\nCOPY hi /hi\nENTRYPOINT [\"/hi\"]\n",
            "Examples/big/hi": "binary\n",
            "Examples/big/example.yaml": "title: Big one\nrun:\n  stdout: \"hi\\n\"\n",
            "Content/a.md": """
                ---
                title: Sizes
                ---
                The small one is `kb:size small`, `kb:ratio small big`. See [the rule](kb:rule/KB101) and [the example](../Examples/small/).

                ```kb-sizes
                caption: Two images
                baseline: big
                examples: [big, small]
                ```

                ```dockerfile example=small
                ```
                """,
        ]
        for (path, text) in extra { files[path] = text }
        let folder = try TemporaryFolder(files)
        // Record with the digest the checker computes, so the results are current.
        let catalog = try ExampleCatalog.load(root: folder.url)
        for (slug, bytes) in [("small", 2_000_000), ("big", 80_000_000)] where extra["Examples/\(slug)/results.json"] == nil {
            let digest = try #require(catalog[slug]?.context?.digest)
            try folder.write("Examples/\(slug)/results.json", Self.recording(bytes, digest: digest))
        }
        let knowledgeBase = try ContentLoader.load(root: folder.url)
        let report = Checker.check(knowledgeBase)
        var pages: [String: String] = [:]
        for file in try SiteRenderer().render(knowledgeBase, checked: report) {
            pages[file.path] = String(decoding: file.contents, as: UTF8.self)
        }
        return (pages, report)
    }

    @Test func tablesFiguresAndLinksAreComputed() throws {
        let (pages, report) = try site()
        #expect(report.diagnostics.filter { $0.severity == .error }.isEmpty, "\(report.diagnostics)")
        let page = try #require(pages["articles/a.html"])
        #expect(page.contains("<a class=\"figure\" href=\"../examples/small.html\" title=\"2000000 bytes, recorded with buildah 1.28.2 on linux/amd64, 2026-11-28\">2 MB</a>"))
        #expect(page.contains(">40× smaller</a>"))
        #expect(page.contains("<a href=\"../rules/KB101.html\">the rule</a>"))
        #expect(page.contains("<a href=\"../examples/small.html\">the example</a>"))
        #expect(page.contains("<caption>Two images</caption>"))
        #expect(page.contains("<td class=\"num\">80 MB<sup>"))
        #expect(page.contains("<td class=\"num\">40× smaller</td>"))
        #expect(page.contains("<td class=\"num\">98% saved</td>"))
        #expect(page.contains("<svg class=\"size-chart\""))
        #expect(page.contains("Small one: recorded with buildah 1.28.2 on linux/amd64, 2026-11-28"))
        #expect(page.contains("Examples/small/Dockerfile</a>"))
        #expect(page.contains("<span class=\"tok-keyword\">ENTRYPOINT</span>"))
    }

    @Test func examplePagesShowResultsFilesAndUse() throws {
        let (pages, _) = try site()
        let page = try #require(pages["examples/small.html"])
        #expect(page.contains("<h1>Small one</h1>"))
        #expect(page.contains("2 MB (2000000 bytes)"))
        #expect(page.contains("buildah 1.28.2"))
        #expect(page.contains("<summary>example.yaml</summary>"))
        #expect(page.contains("<summary>hi</summary>"))
        #expect(page.contains("<a href=\"../articles/a.html\">Sizes</a>"))
        #expect(pages["examples/index.html"]?.contains("<a href=\"small.html\">Small one</a>") == true)
    }

    @Test func staleResultsFailTheTable() throws {
        let (_, report) = try site(["Examples/big/results.json": Self.recording(1, digest: "sha256:" + String(repeating: "0", count: 64))])
        #expect(report.diagnostics.contains { $0.rule == "KC032" && $0.file == "Content/a.md" && $0.line == 9 })
    }

    @Test func rulePagesComeFromDeclarations() throws {
        let (pages, _) = try site()
        let page = try #require(pages["rules/KB101.html"])
        #expect(page.contains("KB101 <span class=\"rule-name\">dynamic-binary-in-empty-image</span>"))
        #expect(page.contains("Triggers the rule"))
        #expect(page.contains("finding finding-error"))
        #expect(pages["rules/index.html"]?.contains("<a href=\"KB101.html\">KB101</a>") == true)
        #expect(pages["search-index.js"]?.contains("\"rules/KB101.html\"") == true)
        #expect(pages["search-index.js"]?.contains("\"examples/small.html\"") == true)
    }
}
