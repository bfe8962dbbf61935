import Foundation
@testable import KBContent
import KBRules
import KBTestSupport
import Testing

@Suite struct CodeBlockInfoTests {
    @Test func languageAttributesAndFlags() throws {
        let info = try CodeBlockInfo.parse(#"Dockerfile example=go-static expect=KB101,KB110 title="It \"fails\"" fragment"#).get()
        #expect(info.language == "dockerfile")
        #expect(info.attributes == ["example": "go-static", "expect": "KB101,KB110", "title": "It \"fails\""])
        #expect(info.flags == ["fragment"])
        #expect(try CodeBlockInfo.parse("").get() == CodeBlockInfo(language: ""))
        #expect(try CodeBlockInfo.parse("go title='single quotes'").get().attributes["title"] == "single quotes")
    }

    @Test func malformedInfoStrings() {
        #expect(CodeBlockInfo.parse(#"dockerfile title="open"#) == .failure(.unterminatedQuote(attribute: "title")))
        #expect(CodeBlockInfo.parse("dockerfile example=a example=b") == .failure(.duplicate(attribute: "example")))
    }
}

/// One fixture knowledge base per kind of problem, asserting the exact diagnostics.
@Suite struct DockerfileBlockTests {
    static let staticExample: [String: String] = [
        "Examples/c-static/Dockerfile": "FROM gcc:13 AS build\nCOPY hello.c .\nRUN gcc -static -o /hello hello.c\nFROM scratch\nCOPY --from=build /hello /hello\nENTRYPOINT [\"/hello\"]\n",
        "Examples/c-static/hello.c": "int main(void) { return 0; }\n",
        "Examples/c-static/example.yaml": "title: Static C\nrun:\n  stdout: \"\"\n",
        "Examples/c-dynamic/Dockerfile": "FROM gcc:13 AS build\nCOPY hello.c .\nRUN gcc -o /hello hello.c\nFROM scratch\nCOPY --from=build /hello /hello\nENTRYPOINT [\"/hello\"]\n",
        "Examples/c-dynamic/hello.c": "int main(void) { return 0; }\n",
        "Examples/c-dynamic/example.yaml": "title: Dynamic C\nrun:\n  fails: true\n  stderr_contains: no such file\n",
    ]

    func check(_ article: String, files: [String: String] = DockerfileBlockTests.staticExample) throws -> [String] {
        var all = files
        all["Content/a.md"] = "---\ntitle: A\n---\n" + article
        let folder = try TemporaryFolder(all)
        let report = Checker.check(try ContentLoader.load(root: folder.url))
        // Info and style findings (unstripped binaries, root users) are beside the point here.
        return report.diagnostics
            .filter { $0.severity <= .warning }
            .filter { $0.rule.hasPrefix("KC0") || $0.file.hasPrefix("Content") || ($0.rule.hasPrefix("KB") && $0.file.hasPrefix("Examples")) }
            .map { "\($0.file):\($0.line) \($0.rule) \($0.message)" }
    }

    @Test func cleanBlocksIncludesAndCounterexamplesPass() throws {
        let problems = try check("""
            ```dockerfile example=c-static
            ```

            ```dockerfile example=c-dynamic expect=KB101 title="Dynamic in scratch"
            ```

            ```dockerfile fragment
            RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
            ```

            ```dockerfile
            FROM debian:bookworm-slim
            CMD ["echo", "hi"]
            ```
            """)
        #expect(problems == [])
    }

    @Test func aLintedBlockReportsFindingsAtArticleLines() throws {
        let problems = try check("""
            Text.

            ```dockerfile
            FROM scratch
            COPY app /app
            CMD /app
            ```
            """)
        #expect(problems.contains("Content/a.md:9 KB107 CMD in shell form runs /bin/sh -c, and scratch has no shell: the container will not start. Use the JSON form: CMD [\"/app\"]."))
    }

    /// Found by the pipeline fuzzer (scripts/fuzz.sh pipeline): a dockerfile fence never closed
    /// at the very end of an article put "file with no instructions" on line 5 of a 4-line file.
    /// A finding now stays within its block's lines; an empty block's is on its fence.
    @Test func findingsOfABlockNeverClosedStayInsideTheArticle() throws {
        let unclosed = try inArticle("```dockerfile")
        #expect(unclosed == ["Content/a.md:4 KB001 file with no instructions"])
        let unclosedWithBreak = try inArticle("```dockerfile\n")
        #expect(unclosedWithBreak == ["Content/a.md:4 KB001 file with no instructions"])
        let unclosedBlankLines = try inArticle("```dockerfile\n\n\n")
        #expect(unclosedBlankLines == ["Content/a.md:6 KB001 file with no instructions"])
        // A closed empty block: the closing fence, as before.
        let closed = try inArticle("```dockerfile\n```\n")
        #expect(closed == ["Content/a.md:5 KB001 file with no instructions"])
        // An included example whose block ends, unclosed, before the file does.
        let drift = try inArticle("```dockerfile example=c-static\nFROM gcc:13 AS build\n")
        #expect(drift.first?.hasPrefix("Content/a.md:5 KC022 ") == true, "\(drift)")
    }

    func inArticle(_ article: String) throws -> [String] { try check(article).filter { $0.hasPrefix("Content/") } }

    @Test func unknownExampleAndUnknownAttribute() throws {
        let problems = try check("""
            ```dockerfile example=c-statik
            ```

            ```dockerfile exmaple=c-static
            FROM debian:bookworm-slim
            ```
            """)
        #expect(problems.filter { $0.hasPrefix("Content") } == [
            "Content/a.md:4 KC021 example=c-statik: there is no Examples/c-statik/ (examples with a similar name: c-static)",
            "Content/a.md:7 KC020 unknown attribute 'exmaple=' on a dockerfile block (known: example=, expect=, title=, fragment)",
        ])
    }

    @Test func driftShowsTheFirstDifferingLine() throws {
        let problems = try check("""
            ```dockerfile example=c-static
            FROM gcc:13 AS build
            COPY hello.c .
            RUN gcc -o /hello hello.c
            FROM scratch
            COPY --from=build /hello /hello
            ENTRYPOINT ["/hello"]
            ```
            """)
        #expect(problems.first == "Content/a.md:7 KC022 this block differs from Examples/c-static/Dockerfile at its line 3: the block has \"RUN gcc -o /hello hello.c\", the file has \"RUN gcc -static -o /hello hello.c\"; leave the block empty to include the file")
    }

    @Test func expectationsMustMatchExactly() throws {
        let problems = try check("""
            ```dockerfile example=c-static expect=KB101
            ```

            ```dockerfile expect=KB999
            FROM scratch
            ```

            ```dockerfile expect=KB105
            FROM scratch
            USER app
            CMD /app
            ```
            """)
        #expect(problems.contains("Content/a.md:4 KC024 expect=KB101: the rule did not fire on this Dockerfile; fix the example or the expectation"))
        #expect(problems.contains("Content/a.md:7 KC023 expect=KB999: no such rule; `kb rules` lists them"))
        #expect(problems.contains { $0.hasPrefix("Content/a.md:14 KC025 this counterexample should show only KB105, but KB107 shell-form-without-shell fires too") })
        #expect(!problems.contains { $0.contains("KC024 expect=KB105") })
    }

    @Test func counterexampleIncludedWithoutExpectFailsAtTheExample() throws {
        let problems = try check("```dockerfile example=c-dynamic\n```\n")
        #expect(problems.contains { $0.hasPrefix("Examples/c-dynamic/Dockerfile:5 KB101 ") })
    }

    @Test func blockWithoutFromNeedsTheFragmentFlag() throws {
        let problems = try check("```dockerfile\nRUN echo hi\n```\n")
        #expect(problems.contains("Content/a.md:4 KC026 this dockerfile block has no FROM: mark a partial Dockerfile with `fragment` in the info string"))
    }

    @Test func blocksAreKeptForTheSite() throws {
        var files = Self.staticExample
        files["Content/a.md"] = "---\ntitle: A\n---\n```dockerfile example=c-dynamic expect=KB101 title=\"Wrong\"\n```\n"
        let folder = try TemporaryFolder(files)
        let report = Checker.check(try ContentLoader.load(root: folder.url))
        let block = try #require(report.dockerfileBlocks.first)
        #expect(block.exampleSlug == "c-dynamic")
        #expect(block.title == "Wrong")
        #expect(block.expected == ["KB101"])
        #expect(block.source.hasPrefix("FROM gcc:13 AS build\n"))
        let kb101 = block.findings.filter { $0.rule == "KB101" }
        #expect(kb101.count == 1)
        #expect(kb101.first?.line == 5)
    }
}

@Suite struct ExampleExpectTests {
    func problems(_ manifestExtra: String) throws -> [String] {
        var files = DockerfileBlockTests.staticExample
        files["Examples/c-dynamic/example.yaml"]! += manifestExtra
        files["Content/a.md"] = "---\ntitle: A\n---\nText.\n"
        let folder = try TemporaryFolder(files)
        let report = Checker.check(try ContentLoader.load(root: folder.url))
        // KC120: the fixture has no recording, which is beside the point here.
        return report.diagnostics.filter { $0.severity <= .warning && $0.file.contains("c-dynamic") && $0.rule != "KC120" }
            .map { "\($0.file):\($0.line) \($0.rule)" }
    }

    @Test func expectInExampleYAMLMarksACounterexample() throws {
        let unmarked = try problems("")
        #expect(unmarked == ["Examples/c-dynamic/Dockerfile:5 KB101"])
        let marked = try problems("expect: [KB101]\n")
        #expect(marked == [])
        let byName = try problems("expect: [dynamic-binary-in-empty-image]\n")
        #expect(byName == [])
    }

    @Test func anExpectationThatDoesNotHoldIsReported() throws {
        let found = try problems("expect: [KB101, KB105]\n")
        #expect(found == ["Examples/c-dynamic/example.yaml:1 KC024"])
    }

    @Test func anUnknownRuleInExpectIsAnError() throws {
        #expect(try problems("expect: [KB999]\n").contains("Examples/c-dynamic/example.yaml:5 KC102"))
    }
}
