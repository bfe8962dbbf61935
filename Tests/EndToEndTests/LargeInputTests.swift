import Foundation
import KBTestSupport
import Testing

/// Inputs far larger or deeper than a real knowledge base: each run finishes within a
/// generous timeout and either succeeds or is refused with the limit named
/// (Sources/KBContent/Articles/InputLimits.swift). Time and memory were measured by hand;
/// the figures are in the issue's notes, not asserted here.
@Suite(.serialized) struct LargeInputTests {
    /// Far above what any of these takes after the fixes, far below what some took before.
    static let timeout = 240.0
    static let mebibyte = 1024 * 1024

    struct Run {
        let result: KBBinary.Result
        let folder: TemporaryFolder
    }

    /// Runs kb on a knowledge base made of `files` (built by the caller, possibly large).
    func run(_ arguments: [String], _ files: [String: String]) throws -> Run {
        let folder = try TemporaryFolder(files)
        let (result, signalled, timedOut) = try KBBinary.run(arguments, in: folder.url, timeout: Self.timeout)
        #expect(!timedOut, "kb \(arguments.joined(separator: " ")) did not finish within \(Self.timeout) s")
        #expect(!signalled, "kb crashed: \(result.stderr.prefix(400))")
        return Run(result: result, folder: folder)
    }

    /// `count` copies of `line`, at least `bytes` long.
    static func repeated(_ line: String, toAtLeast bytes: Int) -> String {
        String(repeating: line, count: bytes / line.utf8.count + 1)
    }

    static let paragraph = "Minimal images need static binaries and a careful look at what the final stage copies.\n\n"
    static let runLine = "RUN echo 'one more layer of commands that does nothing useful at all' && true\n"

    @Test func fiftyMegabyteArticleIsRefusedWithTheLimit() throws {
        let body = Self.repeated(Self.paragraph, toAtLeast: 50 * 1_000_000)
        let size = Double(("---\ntitle: Big\n---\n" + body).utf8.count) / Double(Self.mebibyte)
        let run = try run(["build"], ["Content/big.md": "---\ntitle: Big\n---\n" + body, "Content/small.md": "---\ntitle: Small\n---\n"])
        #expect(run.result.status == 1)
        #expect(run.result.stdout == "Content/big.md:1:1: error: articles larger than 8 MiB are not read (limit 8 MiB); this one is \(String(format: "%.1f", size)) MiB [KC040 input-too-large]\n")
    }

    @Test func articleJustUnderTheLimitIsBuilt() throws {
        let body = String(Self.repeated(Self.paragraph, toAtLeast: 8 * Self.mebibyte).utf8.prefix(8 * Self.mebibyte - 100))!
        let run = try run(["build"], ["Content/big.md": "---\ntitle: Big\n---\n" + body])
        #expect(run.result.status == 0, "\(run.result.stdout)")
        #expect(run.folder.exists("Site/articles/big.html"))
    }

    @Test func tenMegabyteDockerfileBlockIsRefusedWithTheLimit() throws {
        let dockerfile = "FROM debian:bookworm-slim\n" + Self.repeated(Self.runLine, toAtLeast: 10 * 1_000_000)
        // Ten megabytes is over the article limit too; two mebibytes is over the block's only.
        let article = "---\ntitle: A\n---\n```dockerfile\n" + dockerfile + "```\n"
        let size = String(format: "%.1f", Double(article.utf8.count) / Double(Self.mebibyte))
        let ten = try run(["check"], ["Content/a.md": article])
        #expect(ten.result.status == 1)
        #expect(ten.result.stdout == "Content/a.md:1:1: error: articles larger than 8 MiB are not read (limit 8 MiB); this one is \(size) MiB [KC040 input-too-large]\n")

        let two = String(dockerfile.utf8.prefix(2 * Self.mebibyte - 1))!.dropLast(1) + "\n"
        let run = try run(["check"], ["Content/a.md": "---\ntitle: A\n---\n\n```dockerfile\n" + two + "```\n"])
        #expect(run.result.status == 1)
        #expect(run.result.stdout == "Content/a.md:5:1: error: dockerfile blocks larger than 1 MiB are not read (limit 1 MiB); this one is 2.0 MiB [KC040 input-too-large]\n")
    }

    @Test func tenMegabyteExampleDockerfileIsRefusedWithTheLimit() throws {
        let dockerfile = "FROM debian:bookworm-slim\n" + Self.repeated(Self.runLine, toAtLeast: 10 * Self.mebibyte)
        let run = try run(["build", "--fail-on", "never"], [
            "Content/a.md": "---\ntitle: A\n---\n```dockerfile example=big\n```\n",
            "Examples/big/Dockerfile": dockerfile,
            "Examples/big/example.yaml": "title: Big\nrun: {stdout: hi}\n",
        ])
        #expect(run.result.status == 0)
        let errors = run.result.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors == [
            "Content/a.md:4:1: error: example=big: Examples/big/Dockerfile cannot be read [KC021 unknown-example]",
            "Examples/big/Dockerfile:1:1: error: Dockerfiles larger than 1 MiB are not read (limit 1 MiB); this one is 10.0 MiB [KC040 input-too-large]",
        ])
        // The page of the example says nothing of a file it did not read.
        #expect(try !run.folder.read("Site/examples/big.html").contains("one more layer"))
    }

    @Test func metadataOverTheLimitIsRefused() throws {
        let padding = "# " + String(repeating: "x", count: 78) + "\n"
        let results = try run(["check"], [
            "Content/a.md": "---\ntitle: A\n---\n",
            "Examples/ex/Dockerfile": "FROM scratch\nCOPY hi /hi\nUSER 10001\nENTRYPOINT [\"/hi\"]\n",
            "Examples/ex/hi": "x",
            "Examples/ex/example.yaml": "title: Ex\nrun: {stdout: hi}\n" + Self.repeated(padding, toAtLeast: 2 * Self.mebibyte),
            "Examples/ex/results.json": "{\"recordings\": [" + Self.repeated("  ", toAtLeast: 2 * Self.mebibyte) + "]}",
        ])
        #expect(results.result.status == 1)
        #expect(results.result.stdout.contains("Examples/ex/example.yaml:1:1: error: example.yaml files larger than 1 MiB are not read (limit 1 MiB); this one is 2.0 MiB [KC040 input-too-large]"))
        #expect(results.result.stdout.contains("Examples/ex/results.json:1:1: error: results.json files larger than 1 MiB are not read (limit 1 MiB); this one is 2.0 MiB [KC040 input-too-large]"))

        let configuration = try run(["check"], ["Content/a.md": "---\ntitle: A\n---\n", "kb.yaml": "title: T\n" + Self.repeated(padding, toAtLeast: 2 * Self.mebibyte)])
        #expect(configuration.result.status == 2)
        #expect(configuration.result.stderr.hasPrefix("kb.yaml:1:1: error: kb.yaml files larger than 1 MiB are not read (limit 1 MiB); this one is 2.0 MiB [KC090 invalid-configuration]"))
    }

    @Test(arguments: [("lists", 1000), ("quotes", 1000)])
    func thousandLevelNestingIsBuilt(_ kind: String, depth: Int) throws {
        let body = kind == "lists"
            ? (0..<depth).map { String(repeating: "  ", count: $0) + "- level \($0)\n" }.joined()
            : String(repeating: ">", count: depth) + " deep\n"
        let run = try run(["build"], ["Content/deep.md": "---\ntitle: Deep\n---\n" + body])
        #expect(run.result.status == 0, "\(run.result.stdout)")
        let page = try run.folder.read("Site/articles/deep.html")
        let open = kind == "lists" ? "<ul>" : "<blockquote>"
        #expect(page.components(separatedBy: open).count - 1 == depth)
    }

    @Test func hundredThousandIdenticalHeadingsGetUniqueAnchors() throws {
        let body = String(repeating: "## Same heading\n\ntext\n\n", count: 100_000)
        let run = try run(["build"], ["Content/many.md": "---\ntitle: Many\n---\n" + body])
        #expect(run.result.status == 0, "\(run.result.stdout)")
        let page = try run.folder.read("Site/articles/many.html")
        #expect(page.contains("<h2 id=\"same-heading\">"))
        #expect(page.contains("<h2 id=\"same-heading-99999\">"))
        #expect(!page.contains("same-heading-100000"))
        #expect(page.components(separatedBy: "<li class=\"toc-level-2\">").count - 1 == 100_000)
    }

    @Test func hundredThousandHeadingsAndLinksToThemAreChecked() throws {
        // Every link looked its anchor up in a list: 10^10 comparisons before the fix.
        let body = (0..<100_000).map { "## Heading \($0)\n\n[back](#heading-\($0)) [other](b.md#heading-\(99_999 - $0))\n\n" }.joined()
        let run = try run(["check"], ["Content/a.md": "---\ntitle: A\n---\n" + body, "Content/b.md": "---\ntitle: B\n---\n" + body])
        #expect(run.result.status == 0, "\(run.result.stdout.prefix(500))")
    }

    @Test func twentyThousandIndentedCodeBlocksAreChecked() throws {
        // Each block looked for its opening line from the top of the file: over 8 minutes before the fix.
        let run = try run(["build"], ["Content/a.md": "---\ntitle: A\n---\n" + String(repeating: "text\n\n    code\n\n", count: 20_000)])
        #expect(run.result.status == 0, "\(run.result.stdout.prefix(500))")
        #expect(try run.folder.read("Site/articles/a.html").components(separatedBy: "<pre><code>code\n</code></pre>").count - 1 == 20_000)
    }

    /// Dockerfile shapes that were quadratic or worse in the analysis; the sizes are where each
    /// took minutes (or gigabytes) before it was fixed, and seconds after.
    @Test(arguments: [
        ("RUN lines", 1024, runLine),
        ("ARG lines", 256, "ARG A{i}=x\n"),
        ("ENV lines that extend the one before", 256, "ENV V{next}=x${V{i}}\n"),
        ("stages", 1024, "FROM alpine:3.19 AS s{next}\n"),
        ("a chain of stages", 1024, "FROM s{i} AS s{next}\n"),
        ("relative WORKDIRs", 256, "WORKDIR sub\n"),
    ])
    func dockerfileShapesStayLinear(_ shape: String, kibibytes: Int, template: String) throws {
        func line(_ index: Int) -> String {
            template.replacingOccurrences(of: "{next}", with: "\(index + 1)").replacingOccurrences(of: "{i}", with: "\(index)")
        }
        var dockerfile = "FROM alpine:3.19 AS s0\n"
        var index = 0
        while dockerfile.utf8.count < kibibytes * 1024 - 100 {
            dockerfile += line(index)
            index += 1
        }
        let run = try run(["check", "--fail-on", "never"], [
            "Content/a.md": "---\ntitle: A\n---\n",
            "Examples/shape/Dockerfile": dockerfile,
            "Examples/shape/example.yaml": "title: Shape\nrun: {stdout: hi}\n",
        ])
        #expect(run.result.status == 0, "\(shape)")
        #expect(!run.result.stdout.contains("KC040"), "\(shape)")
    }

    @Test func anEnvThatDoublesOnEveryLineStaysSmall() throws {
        // 40 lines would make a value of 2^40 bytes if every substitution were kept.
        let dockerfile = "FROM alpine:3.19\nENV A=xxxxxxxx\n" + String(repeating: "ENV A=$A$A\n", count: 40) + "RUN echo $A\n"
        let run = try run(["lint", "Dockerfile"], ["Dockerfile": dockerfile])
        #expect(run.result.status == 0, "\(run.result.stdout)")
    }
}
