import KBRules
import Testing

@testable import KBContent

@Suite("example.yaml")
struct ExamplesManifestTests {
    let file = "Examples/demo/example.yaml"

    @Test func fullManifest() throws {
        let text = """
            title: Static C binary in an empty image
            summary: One sentence.
            tags: [c, scratch, static]
            target: final
            timeout: 12.5
            run:
              stdout: "Hello, world!\\n"
            extra:
              anything: goes
            """
        let parsed = ExampleManifest.parse(text, file: file)
        #expect(parsed.diagnostics == [])
        let manifest = try #require(parsed.manifest)
        #expect(manifest.title == "Static C binary in an empty image")
        #expect(manifest.summary == "One sentence.")
        #expect(manifest.tags == ["c", "scratch", "static"])
        #expect(manifest.target == "final")
        #expect(manifest.timeout == 12.5)
        #expect(manifest.run == RunExpectation(stdout: "Hello, world!\n"))
    }

    @Test func defaultsAndBlockScalarOutput() throws {
        let text = """
            title: Minimal
            run:
              stdout: |
                line one
                line two

            """
        let manifest = try #require(ExampleManifest.parse(text, file: file).manifest)
        #expect(manifest.timeout == ExampleManifest.defaultTimeout)
        #expect(manifest.tags == [])
        #expect(manifest.target == nil)
        #expect(manifest.summary == nil)
        #expect(manifest.run.stdout == "line one\nline two\n")
    }

    @Test func expectedFailure() throws {
        let text = """
            title: Dynamic binary in scratch
            run:
              fails: true
              stderr_contains: no such file or directory
            """
        let manifest = try #require(ExampleManifest.parse(text, file: file).manifest)
        #expect(manifest.run == .fails(stderrContains: "no such file or directory"))
    }

    @Test func malformedYAMLHasItsLine() {
        let text = "title: x\nrun: {stdout: \"a\"\ntags: [c\n"
        let parsed = ExampleManifest.parse(text, file: file)
        #expect(parsed.manifest == nil)
        #expect(parsed.diagnostics.count == 1)
        let problem = parsed.diagnostics.first
        #expect(problem?.rule == "KC101")
        #expect(problem?.name == "malformed-example-yaml")
        #expect(problem?.file == file)
        #expect((problem?.line ?? 0) >= 2)
    }

    @Test func wrongFieldsAreReportedWhereTheyAre() {
        let text = """
            title: Demo
            tags: c, scratch
            timeout: soon
            titel: typo
            run:
              stdout: 42
              fail: true
            """
        let parsed = ExampleManifest.parse(text, file: file)
        #expect(parsed.manifest == nil)
        let summary = parsed.diagnostics.map { "\($0.line):\($0.column) \($0.rule) \($0.message)" }
        #expect(summary == [
            "2:7 KC102 'tags' must be a list, like [c, scratch], not a single value",
            "3:10 KC102 'timeout' must be a number of seconds greater than 0 and at most 3600",
            "4:1 KC102 unknown key 'titel' in example.yaml (did you mean 'title'?); known keys: title, summary, tags, context, dockerfile, target, timeout, run, expect, extra",
            "7:3 KC102 unknown key 'fail' under 'run' (did you mean 'fails'?); known keys: stdout, stdout_contains, fails, stderr_contains",
        ])
    }

    @Test func missingTitleAndRun() {
        let parsed = ExampleManifest.parse("summary: nothing else\n", file: file)
        #expect(parsed.manifest == nil)
        #expect(parsed.diagnostics.map(\.message) == [
            "example.yaml has no 'title:'",
            "example.yaml has no 'run:': say what running the image prints (run: {stdout: \"…\"}) or that it fails (run: {fails: true, stderr_contains: \"…\"})",
        ])
    }

    @Test(arguments: [
        ("title: x\nrun: {}\n", "'run' must say what the image prints ('stdout' or 'stdout_contains') or that it fails ('fails: true')"),
        ("title: x\nrun: hello\n", "'run' must be a mapping, like {stdout: \"Hello\\n\"} or {fails: true, stderr_contains: \"…\"}, not a single value"),
        ("title: x\nrun: {fails: yes please}\n", "'run.fails' must be true or false"),
        ("title: x\nrun: {fails: true, stdout: a}\n", "'run' cannot expect both an exact 'stdout' and 'fails: true'; use 'stdout_contains' with 'fails'"),
        ("title: x\ntimeout: 0\nrun: {stdout: a}\n", "'timeout' must be a number of seconds greater than 0 and at most 3600"),
        ("title: x\ntarget: two words\nrun: {stdout: a}\n", "'target' must be the name of a build stage (one word)"),
        ("title: \"\"\nrun: {stdout: a}\n", "'title' must be a non-empty text"),
        ("- a list\n", "example.yaml must be a YAML mapping of keys to values, not a list"),
        ("", "example.yaml is empty: it needs at least 'title:' and 'run:'"),
    ])
    func invalidRunExpectations(text: String, message: String) {
        let parsed = ExampleManifest.parse(text, file: file)
        #expect(parsed.manifest == nil)
        #expect(parsed.diagnostics.map(\.message) == [message])
    }

    // MARK: evaluating runs

    @Test func exactStdout() {
        let expectation = RunExpectation.prints("Hello, world!\n")
        #expect(expectation.evaluate(RunRecord(exitCode: 0, stdout: "Hello, world!\n", stderr: "")).matched)
        let wrong = expectation.evaluate(RunRecord(exitCode: 0, stdout: "Hello\n", stderr: ""))
        #expect(wrong == .init(matched: false, reason: "printed \"Hello\\n\" on stdout, expected \"Hello, world!\\n\""))
        let crashed = expectation.evaluate(RunRecord(exitCode: 139, stdout: "", stderr: "Segmentation fault\nmore\n"))
        #expect(crashed == .init(matched: false, reason: "exited with code 139 (expected 0): Segmentation fault"))
    }

    @Test func expectedFailureNeedsNonZeroExitAndText() {
        let expectation = RunExpectation.fails(stderrContains: "no such file or directory")
        let buildah = "process failed to start with error: fork/exec /hello: no such file or directory"
        #expect(expectation.evaluate(RunRecord(exitCode: 1, stdout: "", stderr: buildah)) == .init(matched: true, reason: "failed as expected (exit code 1)"))
        #expect(
            expectation.evaluate(RunRecord(exitCode: 0, stdout: "Hello\n", stderr: ""))
                == .init(matched: false, reason: "exited with code 0, but the example expects it to fail"))
        #expect(
            expectation.evaluate(RunRecord(exitCode: 2, stdout: "", stderr: "permission denied"))
                == .init(matched: false, reason: "stderr \"permission denied\" does not contain \"no such file or directory\""))
    }

    @Test func timeoutNeverMatches() {
        let verdict = RunExpectation.fails(stderrContains: nil).evaluate(RunRecord(exitCode: 143, stdout: "", stderr: "", timedOut: true), timeout: 3)
        #expect(verdict == .init(matched: false, reason: "the container did not exit within 3 s and was stopped"))
    }

    @Test func stdoutContains() {
        let expectation = RunExpectation(stdoutContains: "Python 3.11")
        #expect(expectation.evaluate(RunRecord(exitCode: 0, stdout: "Python 3.11.2\n", stderr: "")).matched)
        #expect(!expectation.evaluate(RunRecord(exitCode: 0, stdout: "Python 3.12\n", stderr: "")).matched)
    }
}
