import Foundation
@testable import KBContent
import KBRules
import KBTestSupport
import Testing

/// kb-sizes, kb-table and inline figures: one fixture per kind of problem, exact diagnostics.
@Suite struct TableCheckTests {
    static let examples: [String: String] = [
        "Examples/small/Dockerfile": "FROM scratch\nCOPY hi /hi\nUSER 10001\nENTRYPOINT [\"/hi\"]\n",
        "Examples/small/hi": "x\n",
        "Examples/small/example.yaml": "title: Small\nrun:\n  stdout: \"hi\\n\"\n",
        "Examples/big/Dockerfile": "FROM debian:bookworm-slim\nCOPY hi /hi\nUSER 10001\nENTRYPOINT [\"/hi\"]\n",
        "Examples/big/hi": "x\n",
        "Examples/big/example.yaml": "title: Big\nrun:\n  stdout: \"hi\\n\"\n",
        "Examples/cited/Dockerfile": "FROM scratch\nCOPY hi /hi\nUSER 10001\nENTRYPOINT [\"/hi\"]\n",
        "Examples/cited/hi": "x\n",
        "Examples/cited/example.yaml": "title: Cited\nrun:\n  stdout: \"hi\\n\"\n",
        "Examples/cited/results.json": """
            {"cited": {"size_bytes": 805000000, "source": {"title": "A blog post", "url": "https://example.org/post", "date": "2020-02-01"}}}

            """,
        "Content/data/sizes.yaml": """
            title: Sizes from a blog
            source: {title: A blog post, url: "https://example.org/post", date: 2020-02-01}
            columns:
              - {title: Image}
              - {title: Size, unit: bytes}
            rows:
              - [golang, 805000000]
              - [scratch, 2008801]
            baseline: 0
            """,
    ]

    func problems(_ article: String, extra: [String: String] = [:], record: Bool = true) throws -> [String] {
        var files = Self.examples
        files["Content/a.md"] = "---\ntitle: A\n---\n" + article
        for (path, text) in extra { files[path] = text }
        let folder = try TemporaryFolder(files)
        if record {
            let catalog = try ExampleCatalog.load(root: folder.url)
            for (slug, bytes) in [("small", 2_000_000), ("big", 80_000_000)] {
                let digest = try #require(catalog[slug]?.context?.digest)
                try folder.write("Examples/\(slug)/results.json", """
                    {"recordings": [{"build_seconds": 1, "context_digest": "\(digest)", "date": "2026-11-28T06:00:00Z",
                    "engine": {"name": "buildah", "version": "1.28.2"}, "image": {"layers": 1, "size_bytes": \(bytes)},
                    "matched": true, "platform": "linux/amd64",
                    "run": {"exit_code": 0, "seconds": 0.1, "stderr": "", "stdout": "hi\\n", "timed_out": false}}]}

                    """)
            }
        }
        let report = Checker.check(try ContentLoader.load(root: folder.url))
        return report.diagnostics.filter { $0.file.hasPrefix("Content") }.map { "\($0.file):\($0.line) \($0.rule) \($0.message)" }
    }

    @Test func cleanTablesAndFigures() throws {
        #expect(try problems("""
            `kb:size small` and `kb:ratio small big`, and a cited one: `kb:size cited`.

            ```kb-sizes
            caption: Both
            baseline: big
            examples: [big, small, cited]
            ```

            ```kb-table
            data: sizes
            ```
            """) == [])
    }

    @Test func unknownMissingAndStaleExamples() throws {
        let found = try problems("""
            ```kb-sizes
            baseline: big
            examples:
              - big
              - nowhere
            ```
            """, record: false)
        #expect(found == [
            "Content/a.md:7 KC031 kb-sizes: example 'big' has no recorded result: run `kb record big` (or cite a source in its results.json)",
            "Content/a.md:8 KC021 kb-sizes: there is no example 'nowhere' under Examples/",
        ])
    }

    @Test func staleRecording() throws {
        let stale = try problemsWithChangeAfterRecording()
        #expect(stale == ["Content/a.md:4 KC032 kb:size: the recording of 'small' is stale (its build context changed): run `kb record small`"])
    }

    func problemsWithChangeAfterRecording() throws -> [String] {
        var files = Self.examples
        files["Content/a.md"] = "---\ntitle: A\n---\n`kb:size small`\n"
        let folder = try TemporaryFolder(files)
        let catalog = try ExampleCatalog.load(root: folder.url)
        let digest = try #require(catalog["small"]?.context?.digest)
        try folder.write("Examples/small/results.json", """
            {"recordings": [{"build_seconds": 1, "context_digest": "\(digest)", "date": "2026-11-28T06:00:00Z",
            "engine": {"name": "buildah", "version": "1.28.2"}, "image": {"layers": 1, "size_bytes": 5},
            "matched": true, "platform": "linux/amd64",
            "run": {"exit_code": 0, "seconds": 0.1, "stderr": "", "stdout": "hi\\n", "timed_out": false}}]}

            """)
        try folder.write("Examples/small/hi", "a new binary\n")
        let report = Checker.check(try ContentLoader.load(root: folder.url))
        return report.diagnostics.filter { $0.file.hasPrefix("Content") }.map { "\($0.file):\($0.line) \($0.rule) \($0.message)" }
    }

    @Test func baselineMustBeListed() throws {
        #expect(try problems("```kb-sizes\nbaseline: cited\nexamples: [big, small]\n```\n") == [
            "Content/a.md:4 KC033 kb-sizes: the baseline 'cited' is not one of the examples big, small",
        ])
    }

    @Test func malformedBlocks() throws {
        #expect(try problems("```kb-sizes\ncaption: [unclosed\n```\n").first?.hasPrefix("Content/a.md:") == true)
        #expect(try problems("```kb-sizes\ncaption: x\n```\n") == ["Content/a.md:4 KC030 kb-sizes needs 'examples:', a list of example names"])
        #expect(try problems("```kb-sizes\nexamples: [big]\ncolour: red\n```\n") == ["Content/a.md:4 KC030 kb-sizes: unknown key 'colour' (known: caption, baseline, examples)"])
        #expect(try problems("`kb:size`\n") == ["Content/a.md:4 KC030 `kb:size` takes one example name: `kb:size SLUG`"])
        #expect(try problems("`kb:weight small`\n") == ["Content/a.md:4 KC030 unknown figure `kb:weight small`: kb knows `kb:size SLUG` and `kb:ratio SLUG BASELINE`"])
    }

    /// Found by the pipeline fuzzer (scripts/fuzz.sh pipeline): YAML that breaks off at the end
    /// of a kb-sizes fence never closed was reported on the line after the article's last.
    @Test func aTableNeverClosedIsReportedWithinTheArticle() throws {
        let unclosed = try problems("```kb-sizes\ncaption: C\nexamples: [small, big\n")
        #expect(unclosed.count == 1)
        #expect(unclosed.first?.hasPrefix("Content/a.md:6 KC030 kb-sizes: invalid YAML: ") == true, "\(unclosed)")
        // Closed, the same YAML is reported on the closing fence, the line after the body.
        let closed = try problems("```kb-sizes\ncaption: C\nexamples: [small, big\n```\n")
        #expect(closed.first?.hasPrefix("Content/a.md:7 KC030 kb-sizes: invalid YAML: ") == true, "\(closed)")
    }

    @Test func dataFileProblems() throws {
        #expect(try problems("```kb-table\ndata: nothere\n```\n") == ["Content/a.md:4 KC034 kb-table: there is no Content/data/nothere.yaml"])
        #expect(try problems("```kb-table\ndata: ../../etc/passwd\n```\n") == ["Content/data/../../etc/passwd.yaml:1 KC012 a data name is a file name under Content/data/, not a path ('../../etc/passwd')"])
        let broken = try problems("```kb-table\ndata: broken\n```\n", extra: ["Content/data/broken.yaml": """
            title: Broken
            source: {title: x, url: "https://x.org"}
            columns:
              - {title: Image}
              - {title: Size, unit: kilos}
            rows:
              - [a, 1, 2]
              - [b, many]
            baseline: 7
            """])
        #expect(broken == [
            "Content/data/broken.yaml:2 KC035 source needs a date: every cited figure says where it comes from",
            "Content/data/broken.yaml:5 KC035 unit 'kilos' is not one of bytes, seconds, count, text",
            "Content/data/broken.yaml:7 KC035 this row has 3 cells for 2 columns",
            "Content/data/broken.yaml:8 KC035 'many' in column Size is not a number",
            "Content/data/broken.yaml:9 KC035 baseline is the index of a row, from 0 to 1",
        ])
    }

    @Test func aKnowledgeBaseWithoutExamplesOrDataIsValid() throws {
        let folder = try TemporaryFolder(["Content/a.md": "---\ntitle: A\n---\nText.\n"])
        #expect(Checker.check(try ContentLoader.load(root: folder.url)).diagnostics == [])
    }
}
