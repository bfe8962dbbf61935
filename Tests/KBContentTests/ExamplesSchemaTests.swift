import Foundation
import Testing

@testable import KBContent

/// Schemas/results.schema.json, checked by an independent validator (Python's jsonschema)
/// against files kb writes and files real engines recorded, and against kb's own reader on
/// files that must be refused.
@Suite("results.json schema", .enabled(if: SchemaValidator.available, SchemaValidator.unavailableReason))
struct ExamplesSchemaTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schema = repository.appendingPathComponent("Schemas/results.schema.json")

    /// results.json files recorded by buildah here (Tests/KBRecordTests/Fixtures/results) and
    /// any the knowledge base's own Examples/ holds.
    static func recordedFiles() -> [URL] {
        var files: [URL] = []
        let fixtures = repository.appendingPathComponent("Tests/KBRecordTests/Fixtures/results")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? [] where name.hasSuffix(".json") {
            files.append(fixtures.appendingPathComponent(name))
        }
        let examples = repository.appendingPathComponent("Examples")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? [] {
            let file = examples.appendingPathComponent(name).appendingPathComponent("results.json")
            if FileManager.default.fileExists(atPath: file.path) { files.append(file) }
        }
        return files.sorted { $0.path < $1.path }
    }

    @Test func recordedFilesValidateAndParse() throws {
        let files = Self.recordedFiles()
        #expect(files.count >= 3, "the recorded fixtures are missing")
        let verdicts = try SchemaValidator.validate(files, schema: Self.schema)
        for (file, verdict) in zip(files, verdicts) {
            #expect(verdict == "ok", "\(file.path)")
            let text = try String(contentsOf: file, encoding: .utf8)
            let parsed = ResultsFile.parse(text, file: file.lastPathComponent)
            #expect(parsed.diagnostics == [], "\(file.path)")
            // What kb reads it writes back byte for byte.
            #expect(parsed.results?.json() == text, "\(file.path)")
        }
    }

    @Test func filesKbWritesValidate() throws {
        let recording = ExamplesResultsTests.recording()
        var mismatched = ExamplesResultsTests.recording(engine: "docker", platform: "linux/arm64/v8")
        mismatched.matched = false
        mismatched.mismatch = "printed \"x\""
        mismatched.target = "final"
        mismatched.run = RunRecord(exitCode: 137, stdout: "", stderr: "Killed\n", timedOut: true, seconds: 30)
        let cited = CitedRecord(
            sizeBytes: 2_008_801, source: .init(title: "The Quest", url: "https://example.org/quest", date: "2020-02-01"), note: "scratch")
        let texts = [
            ResultsFile(recordings: [recording]).json(),
            ResultsFile(recordings: [recording, mismatched]).json(),
            ResultsFile(cited: cited).json(),
        ]
        let verdicts = try SchemaValidator.validate(texts: texts, schema: Self.schema)
        #expect(verdicts == ["ok", "ok", "ok"])
    }

    /// kb's reader and the schema agree on what is refused.
    @Test func invalidFilesAreRefusedByBoth() throws {
        let valid = ResultsFile(recordings: [ExamplesResultsTests.recording()]).json()
        let invalid = [
            "{}",
            "{\"recordings\": []}",
            valid.replacingOccurrences(of: "\"layers\": 1", with: "\"layers\": -1"),
            valid.replacingOccurrences(of: "\"size_bytes\": 764416", with: "\"size_bytes\": 764416.5"),
            valid.replacingOccurrences(of: "\"date\": \"2026-11-28T05:46:00Z\"", with: "\"date\": \"2026-11-28 05:46\""),
            valid.replacingOccurrences(of: "\"platform\": \"linux/amd64\"", with: "\"platform\": \"amd64\""),
            valid.replacingOccurrences(of: "\"matched\": true", with: "\"matched\": \"yes\""),
            valid.replacingOccurrences(of: "\"timed_out\": false", with: "\"timed_out\": false, \"extra\": 1"),
            valid.replacingOccurrences(of: "\"context_digest\": \"sha256:", with: "\"context_digest\": \"md5:"),
            #"{"cited": {"size_bytes": 1, "source": {"title": "t", "url": "https://x", "date": "Feb 2020"}}}"#,
            #"{"cited": {"size_bytes": 1, "source": {"title": "t", "url": "https://x", "date": "2020-02-01"}}, "recordings": []}"#,
        ]
        let verdicts = try SchemaValidator.validate(texts: invalid, schema: Self.schema)
        for (text, verdict) in zip(invalid, verdicts) {
            #expect(verdict != "ok", "the schema accepts \(text)")
            #expect(ResultsFile.parse(text, file: "r").results == nil, "kb accepts \(text)")
        }
    }
}

/// Runs Python's jsonschema (Draft 2020-12) on files or texts.
enum SchemaValidator {
    static let script = """
        import json, sys
        from jsonschema import Draft202012Validator
        schema = json.load(open(sys.argv[1]))
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        for path in sys.argv[2:]:
            try:
                errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
            except ValueError as error:
                print("invalid JSON:", error); continue
            print("ok" if not errors else "invalid: " + errors[0].message.replace("\\n", " "))
        """

    static let available: Bool = (try? run(["-c", "import jsonschema"]).status) == 0
    static let unavailableReason: Comment =
        "skipped: python3 with the jsonschema package is needed (Debian: apt-get install python3-jsonschema; or pip install jsonschema)"

    static func validate(_ files: [URL], schema: URL) throws -> [String] {
        let result = try run(["-c", script, schema.path] + files.map(\.path))
        guard result.status == 0 else { throw ValidatorError(output: result.output) }
        return result.output.split(whereSeparator: \.isNewline).map(String.init)
    }

    static func validate(texts: [String], schema: URL) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kb-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [URL] = []
        for (index, text) in texts.enumerated() {
            let file = folder.appendingPathComponent("\(index).json")
            try Data(text.utf8).write(to: file)
            files.append(file)
        }
        return try validate(files, schema: schema)
    }

    struct ValidatorError: Error, CustomStringConvertible {
        let output: String
        var description: String { "the schema validator failed: \(output)" }
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
