import Testing

@testable import KBContent

@Suite("results.json")
struct ExamplesResultsTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    static func recording(engine: String = "buildah", platform: String = "linux/amd64", date: String = "2026-11-28T05:46:00Z") -> Recording {
        Recording(
            date: date, engine: EngineInfo(name: engine, version: "1.28.2"), platform: platform, contextDigest: digest,
            image: ImageFigures(sizeBytes: 764_416, layers: 1), buildSeconds: 16.6484,
            run: RunRecord(exitCode: 0, stdout: "Hello, world!\n", stderr: "", timedOut: false, seconds: 0.2281),
            matched: true)
    }

    /// The exact bytes: sorted keys, two spaces, milliseconds, a trailing newline.
    @Test func writesDeterministicPrettyJSON() {
        let json = ResultsFile(recordings: [Self.recording()]).json()
        #expect(json == """
            {
              "recordings": [
                {
                  "build_seconds": 16.648,
                  "context_digest": "\(Self.digest)",
                  "date": "2026-11-28T05:46:00Z",
                  "engine": {
                    "name": "buildah",
                    "version": "1.28.2"
                  },
                  "image": {
                    "layers": 1,
                    "size_bytes": 764416
                  },
                  "matched": true,
                  "platform": "linux/amd64",
                  "run": {
                    "exit_code": 0,
                    "seconds": 0.228,
                    "stderr": "",
                    "stdout": "Hello, world!\\n",
                    "timed_out": false
                  }
                }
              ]
            }

            """)
    }

    @Test func roundTrips() throws {
        var mismatched = Self.recording()
        mismatched.matched = false
        mismatched.mismatch = "printed \"x\""
        mismatched.target = "final"
        mismatched.run.stderr = "tab\there \"quoted\" \u{1}control é"
        let file = ResultsFile(recordings: [mismatched, Self.recording(engine: "docker")])
        let parsed = ResultsFile.parse(file.json(), file: "results.json")
        #expect(parsed.diagnostics == [])
        #expect(parsed.results == file)
        #expect(file.recordings.map(\.engine.name) == ["buildah", "docker"])
    }

    @Test func citedRecord() throws {
        let text = """
            {
              "cited": {
                "size_bytes": 2008801,
                "source": {"title": "The Quest for Minimal Docker Images, part 1", "url": "http://jpetazzo.github.io/2020/02/01/quest-minimal-docker-images-part-1/", "date": "2020-02-01"},
                "note": "Go hello world on scratch"
              }
            }
            """
        let parsed = ResultsFile.parse(text, file: "results.json")
        #expect(parsed.diagnostics == [])
        let cited = try #require(parsed.results?.cited)
        #expect(cited.sizeBytes == 2_008_801)
        #expect(cited.source.date == "2020-02-01")
        #expect(cited.note == "Go hello world on scratch")
        #expect(ResultsFile.parse(ResultsFile(cited: cited).json(), file: "r").results?.cited == cited)
    }

    @Test func replacingKeepsOtherEnginesAndPlatforms() {
        let file = ResultsFile(recordings: [
            Self.recording(engine: "docker"), Self.recording(platform: "linux/arm64"), Self.recording(date: "2026-01-01T00:00:00Z"),
        ])
        let updated = file.replacing(with: Self.recording(date: "2026-12-01T00:00:00Z"))
            .replacing(with: Self.recording(date: "2026-12-02T00:00:00Z"))
        #expect(updated.recordings.map { "\($0.engine.name) \($0.platform) \($0.date)" } == [
            "buildah linux/amd64 2026-12-02T00:00:00Z",
            "buildah linux/arm64 2026-11-28T05:46:00Z",
            "docker linux/amd64 2026-11-28T05:46:00Z",
        ])
    }

    @Test func malformedJSONHasItsLineAndColumn() {
        let parsed = ResultsFile.parse("{\n  \"recordings\": [\n    {,}\n  ]\n}\n", file: "Examples/x/results.json")
        #expect(parsed.results == nil)
        #expect(parsed.diagnostics.map { "\($0.file):\($0.line):\($0.column) \($0.rule) \($0.message)" } == [
            "Examples/x/results.json:3:6 KC110 invalid JSON: expected a quoted key"
        ])
    }

    @Test func wrongFieldsAreReportedWhereTheyAre() {
        let text = """
            {
              "recordings": [
                {
                  "date": "yesterday",
                  "engine": {"name": "buildah", "version": "1.28.2"},
                  "platform": "linux/amd64",
                  "context_digest": "sha256:abc",
                  "image": {"size_bytes": 1.5, "layers": 1},
                  "build_seconds": 1,
                  "run": {"exit_code": 0, "stdout": "", "stderr": "", "timed_out": "no", "seconds": 0},
                  "matched": true,
                  "colour": "blue"
                }
              ]
            }
            """
        let parsed = ResultsFile.parse(text, file: "r.json")
        #expect(parsed.results == nil)
        #expect(parsed.diagnostics.map { "\($0.line):\($0.column) \($0.message)" } == [
            "12:7 unknown key 'colour' in recordings[0]; known keys: build_seconds, context_digest, date, engine, image, matched, mismatch, platform, run, target",
        ])
        let withoutColour = text.replacingOccurrences(of: ",\n      \"colour\": \"blue\"", with: "")
        #expect(ResultsFile.parse(withoutColour, file: "r.json").diagnostics.map { "\($0.line):\($0.column) \($0.message)" } == [
            "4:15 recordings[0].date must be an ISO 8601 date and time in UTC, like 2026-11-28T05:46:00Z, not \"yesterday\"",
            "7:25 recordings[0].context_digest must be 'sha256:' and 64 lower-case hex digits, not \"sha256:abc\"",
            "8:31 recordings[0].image.size_bytes must be a whole number (0 or more), not 1.5",
            "10:72 recordings[0].run.timed_out must be true or false, not a string",
        ])
    }

    @Test(arguments: [
        ("{}", "results.json must hold 'recordings' (written by kb record) or 'cited' (a figure from elsewhere)"),
        ("[]", "results.json must be an object, not a list"),
        ("{\"recordings\": []}", "'recordings' is empty: record the example with kb record, or delete the file"),
        ("{\"recordings\": [], \"cited\": {}}", "results.json holds either 'recordings' or 'cited', not both"),
        (
            "{\"cited\": {\"size_bytes\": 1, \"source\": {\"title\": \"t\", \"url\": \"ftp://x\", \"date\": \"2020\"}}}",
            "cited.source.url must be an http:// or https:// address, not \"ftp://x\""
        ),
        ("{\"a\": 1, \"a\": 2}", "invalid JSON: duplicate key \"a\""),
        ("{\"recordings\": [] } x", "invalid JSON: unexpected text after the JSON value"),
    ])
    func invalidFiles(text: String, message: String) {
        let parsed = ResultsFile.parse(text, file: "r.json")
        #expect(parsed.results == nil)
        #expect(parsed.diagnostics.map(\.message).first == message)
    }

    @Test func longOutputIsCutWhenRecorded() {
        let long = String(repeating: "é", count: RunRecord.recordedOutputLimit)  // two bytes each
        let trimmed = RunRecord(exitCode: 0, stdout: long, stderr: "short").trimmedForRecording()
        #expect(trimmed.stderr == "short")
        #expect(trimmed.stdout.utf8.count < RunRecord.recordedOutputLimit + 64)
        #expect(trimmed.stdout.hasSuffix("\n[kb: \(RunRecord.recordedOutputLimit) more bytes not recorded]\n"))
        #expect(trimmed.stdout.hasPrefix(String(repeating: "é", count: RunRecord.recordedOutputLimit / 2)))
    }

    @Test func jsonParserHandlesEscapesAndNumbers() throws {
        let node = try JSONNode.parse(#"{"s": "a\"b\\c\/d\u00e9\ud83d\ude00\n", "n": [-0, 1.5e3, 12], "t": true, "f": false, "z": null}"#)
        #expect(node.member("s")?.string == "a\"b\\c/dé😀\n")
        #expect(node.member("n")?.elements?.map(\.double) == [-0.0, 1500, 12])
        #expect(node.member("n")?.elements?.map(\.integer) == [0, nil, 12])
        #expect(node.member("t")?.bool == true)
        #expect(node.member("z")?.value == .null)
        #expect(throws: JSONNode.SyntaxError.self) { try JSONNode.parse("[01]") }
        #expect(throws: JSONNode.SyntaxError.self) { try JSONNode.parse("\"\\ud83d\"") }
        #expect(throws: JSONNode.SyntaxError.self) { try JSONNode.parse(String(repeating: "[", count: 300)) }
    }
}
