import Foundation
import KBTestSupport
import Testing

/// One malformed input: files laid over a clean knowledge base, the exit code DESIGN.md
/// gives it (1 for a problem in the content, 2 for configuration kb cannot use), and where
/// the problem must be reported: file, line and rule.
struct MalformedInput: Sendable, CustomTestStringConvertible {
    let name: String
    let files: [String: Data]
    let status: Int32
    /// `path:line:` that starts the report line (column and message may follow).
    let place: String
    /// The check or rule, as the report's `[ID name]` ends.
    let rule: String

    var testDescription: String { name }

    init(_ name: String, _ files: [String: String], status: Int32 = 1, at place: String, _ rule: String) {
        self.init(name, bytes: files.mapValues { Data($0.utf8) }, status: status, at: place, rule)
    }

    init(_ name: String, bytes files: [String: Data], status: Int32 = 1, at place: String, _ rule: String) {
        self.name = name
        self.files = files
        self.status = status
        self.place = place
        self.rule = rule
    }
}

extension KBBinary {
    /// Runs kb and waits at most `seconds`; a run that outlives them is killed and reported
    /// as timed out. Termination is awaited on a semaphore, not polled.
    static func run(_ arguments: [String], in folder: URL, timeout seconds: Double) throws -> (result: Result, signalled: Bool, timedOut: Bool) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kb-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let timedOut = finished.wait(timeout: .now() + seconds) == .timedOut
        if timedOut {
            process.terminate()
            finished.wait()
        }
        try out.close()
        try err.close()
        let result = Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
        return (result, process.terminationReason == .uncaughtSignal, timedOut)
    }
}

/// Every kind of file kb reads, malformed: `kb check` and `kb build` exit as DESIGN.md says,
/// name the file and the line, never crash and never hang. (Library tests in KBContentTests
/// check the exact messages; these check what a user sees from the binary.)
@Suite struct MalformedInputTests {
    static let clean: [String: String] = [
        "Content/a.md": "---\ntitle: A\n---\nText.\n",
        "Examples/ex/Dockerfile": "FROM scratch\nCOPY hi /hi\nUSER 10001\nENTRYPOINT [\"/hi\"]\n",
        "Examples/ex/hi": "binary\n",
        "Examples/ex/example.yaml": "title: Ex\nrun:\n  stdout: \"hi\\n\"\n",
        "Examples/ex/results.json": """
            {"cited": {"size_bytes": 1000, "source": {"title": "A post", "url": "https://example.org/post", "date": "2020-02-01"}}}

            """,
        "Content/data/d.yaml": dataFile(rows: "  - [scratch, 2008801]\n"),
    ]

    static func dataFile(rows: String) -> String {
        "title: Sizes\nsource: {title: A post, url: 'https://example.org', date: 2020-02-01}\ncolumns:\n  - {title: Image}\n  - {title: Size, unit: bytes}\nrows:\n" + rows
    }

    static func article(_ text: String) -> [String: String] { ["Content/a.md": text] }

    static func bytes(_ parts: [UInt8]...) -> Data { Data(parts.joined()) }
    static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let frontMatter: [MalformedInput] = [
        .init("front matter indented with a tab", article("---\ntitle: A\ntags:\n\t- go\n---\n"), at: "Content/a.md:4:", "KC004"),
        .init("front matter title is a list", article("---\ntitle: [a, b]\n---\n"), at: "Content/a.md:2:", "KC004"),
        .init("front matter order is text", article("---\ntitle: A\norder: first\n---\n"), at: "Content/a.md:3:", "KC004"),
        .init("front matter draft is a mapping", article("---\ntitle: A\ndraft: {x: 1}\n---\n"), at: "Content/a.md:3:", "KC004"),
        .init("front matter never closed", article("---\ntitle: A\n\nBody.\n"), at: "Content/a.md:1:", "KC004"),
        .init("front matter duplicate key", article("---\ntitle: A\nsummary: x\ntitle: B\n---\n"), at: "Content/a.md:2:", "KC004"),
        .init("front matter date with a bad time", article("---\ntitle: A\ndate: 2026-02-03T25:00\n---\n"), at: "Content/a.md:3:", "KC004"),
        .init("front matter unknown anchor", article("---\ntitle: *nowhere\n---\n"), at: "Content/a.md:2:", "KC004"),
        .init("front matter is a bare string", article("---\njust text\n---\n"), at: "Content/a.md:2:", "KC004"),
    ]

    static let markdown: [MalformedInput] = [
        .init("article with invalid UTF-8", bytes: ["Content/a.md": bytes(utf8("---\ntitle: A\n---\nline 4\ncaf"), [0xE9], utf8("\n"))], at: "Content/a.md:5:", "KC001"),
        .init("article with an overlong encoding", bytes: ["Content/a.md": bytes(utf8("---\ntitle: A\n---\n\n\n"), [0xC0, 0xAF], utf8("\n"))], at: "Content/a.md:6:", "KC001"),
        .init("article with an encoded surrogate", bytes: ["Content/a.md": bytes(utf8("---\ntitle: A\n---\n"), [0xED, 0xA0, 0x80])], at: "Content/a.md:4:", "KC001"),
        .init("article cut inside a character", bytes: ["Content/a.md": bytes(utf8("---\ntitle: A\n---\n\u{20AC}"), [0xE2, 0x82])], at: "Content/a.md:4:", "KC001"),
        .init("article with a NUL byte", bytes: ["Content/a.md": bytes(utf8("---\ntitle: A\n---\n\n\n\nx"), [0], utf8("y\n"))], at: "Content/a.md:7:", "KC002"),
        .init("article in UTF-16", bytes: ["Content/a.md": Data([0xFF, 0xFE] + Array("---\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })], at: "Content/a.md:1:", "KC001"),
    ]

    static let dockerfileBlocks: [MalformedInput] = [
        .init("block with an unterminated heredoc", article("---\ntitle: A\n---\n```dockerfile\nFROM scratch\nRUN <<EOF\necho hi\n```\n"), at: "Content/a.md:6:", "KB001"),
        .init("block with a JSON form that holds a number", article("---\ntitle: A\n---\n```dockerfile\nFROM scratch\nCMD [\"run\", 1]\n```\n"), at: "Content/a.md:6:", "KB001"),
        .init("block with a line too long", article("---\ntitle: A\n---\n```dockerfile\nFROM scratch\nRUN echo " + String(repeating: "a", count: 70_000) + "\n```\n"), at: "Content/a.md:6:", "KB001"),
        .init("block with an ENV name but no value", article("---\ntitle: A\n---\n```dockerfile\nFROM scratch\n\nENV PATH\n```\n"), at: "Content/a.md:7:", "KB001"),
        .init("block with an unterminated quote in its info string", article("---\ntitle: A\n---\n\n```dockerfile title=\"open\nFROM scratch\n```\n"), at: "Content/a.md:5:", "KC020"),
        .init("kb-sizes block that is not YAML", article("---\ntitle: A\n---\n```kb-sizes\nexamples: [ex\n```\n"), at: "Content/a.md:6:", "KC030"),
    ]

    static let exampleDockerfiles: [MalformedInput] = [
        .init("example Dockerfile with an unterminated heredoc", ["Examples/ex/Dockerfile": "FROM scratch\nCOPY <<EOF /hi\nhello\n"], at: "Examples/ex/Dockerfile:2:", "KB001"),
        .init("example Dockerfile with a line too long", ["Examples/ex/Dockerfile": "FROM scratch\n\nLABEL x=" + String(repeating: "y", count: 70_000) + "\n"], at: "Examples/ex/Dockerfile:3:", "KB001"),
        .init("example Dockerfile with a bad parser directive", ["Examples/ex/Dockerfile": "# escape=x\nFROM scratch\n"], at: "Examples/ex/Dockerfile:1:", "KB001"),
        .init("example Dockerfile that is not UTF-8", bytes: ["Examples/ex/Dockerfile": bytes(utf8("FROM scratch\n# caf"), [0xE9], utf8("\n"))], at: "Examples/ex/Dockerfile:2:", "KC105"),
    ]

    static let exampleManifests: [MalformedInput] = [
        .init("example.yaml with an unclosed quote", ["Examples/ex/example.yaml": "title: Ex\nrun:\n  stdout: \"hi\n"], at: "Examples/ex/example.yaml:4:", "KC101"),
        .init("example.yaml title is a list", ["Examples/ex/example.yaml": "title: [a]\nrun: {stdout: hi}\n"], at: "Examples/ex/example.yaml:1:", "KC102"),
        .init("example.yaml timeout beyond a Double", ["Examples/ex/example.yaml": "title: Ex\ntimeout: 1e999\nrun: {stdout: hi}\n"], at: "Examples/ex/example.yaml:2:", "KC102"),
        .init("example.yaml run is a list", ["Examples/ex/example.yaml": "title: Ex\nrun: [stdout]\n"], at: "Examples/ex/example.yaml:2:", "KC102"),
        .init("example.yaml is a list", ["Examples/ex/example.yaml": "- title: Ex\n"], at: "Examples/ex/example.yaml:1:", "KC101"),
        .init("example.yaml with a NUL", bytes: ["Examples/ex/example.yaml": bytes(utf8("title: Ex\n\nrun: {stdout: hi"), [0], utf8("}\n"))], at: "Examples/ex/example.yaml:3:", "KC101"),
    ]

    static let results: [MalformedInput] = [
        .init("results.json cut short", ["Examples/ex/results.json": "{\"cited\": {\"size_bytes\": 1000,\n  \"source\": {\"title\": \"A"], at: "Examples/ex/results.json:2:", "KC110"),
        .init("results.json size is text", ["Examples/ex/results.json": "{\"cited\": {\n  \"size_bytes\": \"big\",\n  \"source\": {\"title\": \"t\", \"url\": \"https://x.org\", \"date\": \"2020-01-01\"}}}\n"], at: "Examples/ex/results.json:2:", "KC111"),
        .init("results.json size beyond an Int", ["Examples/ex/results.json": "{\"cited\": {\n  \"size_bytes\": 99999999999999999999999999,\n  \"source\": {\"title\": \"t\", \"url\": \"https://x.org\", \"date\": \"2020-01-01\"}}}\n"], at: "Examples/ex/results.json:2:", "KC111"),
        .init("results.json size 1e400", ["Examples/ex/results.json": "{\"cited\": {\n  \"size_bytes\": 1e400,\n  \"source\": {\"title\": \"t\", \"url\": \"https://x.org\", \"date\": \"2020-01-01\"}}}\n"], at: "Examples/ex/results.json:2:", "KC111"),
        .init("results.json nested 100 000 deep", ["Examples/ex/results.json": "\n" + String(repeating: "[", count: 100_000)], at: "Examples/ex/results.json:2:", "KC110"),
        .init("results.json recordings is an object", ["Examples/ex/results.json": "{\n\"recordings\": {}\n}\n"], at: "Examples/ex/results.json:2:", "KC111"),
        .init("results.json with a NUL", bytes: ["Examples/ex/results.json": bytes(utf8("{\n"), [0], utf8("}\n"))], at: "Examples/ex/results.json:2:", "KC110"),
    ]

    static let configuration: [MalformedInput] = [
        .init("kb.yaml that is not YAML", ["kb.yaml": "title: T\nrules: [KB101\n"], status: 2, at: "kb.yaml:3:", "KC090"),
        .init("kb.yaml title is a mapping", ["kb.yaml": "\ntitle: {a: b}\n"], status: 2, at: "kb.yaml:2:", "KC090"),
        .init("kb.yaml base_url with a script scheme", ["kb.yaml": "title: T\nbase_url: javascript:alert(1)\n"], status: 2, at: "kb.yaml:2:", "KC090"),
        .init("kb.yaml unknown rule", ["kb.yaml": "rules:\n  KB999: off\n"], status: 2, at: "kb.yaml:2:", "KC090"),
        .init("kb.yaml duplicate key", ["kb.yaml": "title: T\ntitle: U\n"], status: 2, at: "kb.yaml:1:", "KC090"),
        .init("kb.yaml that is not UTF-8", bytes: ["kb.yaml": bytes(utf8("title: caf"), [0xE9], utf8("\n"))], status: 2, at: "kb.yaml:1:", "KC090"),
    ]

    static let dataFiles: [MalformedInput] = [
        .init("data file that is not YAML", ["Content/a.md": "---\ntitle: A\n---\n```kb-table\ndata: d\n```\n", "Content/data/d.yaml": "title: T\nrows: [[a, 1]\n"], at: "Content/data/d.yaml:3:", "KC035"),
        .init("data file size of 1e300", ["Content/a.md": "---\ntitle: A\n---\n```kb-table\ndata: d\n```\n", "Content/data/d.yaml": dataFile(rows: "  - [a, 1]\n  - [b, 1e300]\n")], at: "Content/data/d.yaml:8:", "KC035"),
        .init("data file size that is not a number", ["Content/a.md": "---\ntitle: A\n---\n```kb-table\ndata: d\n```\n", "Content/data/d.yaml": dataFile(rows: "  - [a, nan]\n")], at: "Content/data/d.yaml:7:", "KC035"),
        .init("data file size that is infinite", ["Content/a.md": "---\ntitle: A\n---\n```kb-table\ndata: d\n```\n", "Content/data/d.yaml": dataFile(rows: "  - [a, 1]\n  - [b, -inf]\n")], at: "Content/data/d.yaml:8:", "KC035"),
        .init("data file negative size", ["Content/a.md": "---\ntitle: A\n---\n```kb-table\ndata: d\n```\n", "Content/data/d.yaml": dataFile(rows: "  - [a, -5]\n")], at: "Content/data/d.yaml:7:", "KC035"),
        .init("data file rows is a mapping", ["Content/a.md": "---\ntitle: A\n---\n```kb-table\ndata: d\n```\n", "Content/data/d.yaml": dataFile(rows: "  a: 1\n")], at: "Content/data/d.yaml:1:", "KC035"),
    ]

    static let all = frontMatter + markdown + dockerfileBlocks + exampleDockerfiles + exampleManifests + results + configuration + dataFiles

    @Test(arguments: all)
    func isReportedAtItsLineWithTheDocumentedExitCode(_ input: MalformedInput) throws {
        let folder = try TemporaryFolder(Self.clean)
        for (path, data) in input.files { try folder.write(path, data) }
        for command in ["check", "build"] {
            let (result, signalled, timedOut) = try KBBinary.run([command], in: folder.url, timeout: 120)
            #expect(!timedOut, "kb \(command) did not finish within 120 s")
            #expect(!signalled, "kb \(command) crashed: \(result.stderr.prefix(400))")
            #expect(result.status == input.status, "kb \(command): \(result.stdout.prefix(600)) \(result.stderr.prefix(400))")
            // Content problems are the report (stdout); configuration errors go to stderr.
            let report = input.status == 1 ? result.stdout : result.stderr
            let lines = report.split(separator: "\n").map(String.init)
            let named = lines.filter { $0.hasPrefix(input.place) && $0.contains(" [\(input.rule) ") }
            #expect(named.count >= 1, "kb \(command) did not report \(input.rule) at \(input.place):\n\(report.prefix(800))")
        }
        #expect(!folder.exists("Site/index.html"), "a failed build wrote the site")
    }

    @Test func anyValidTextIsMarkdown() throws {
        // Every character but NUL, in every block context cmark knows: a page, not a problem.
        var text = "---\ntitle: Noise\n---\n"
        for value in 1..<0x300 where value != 0x0D {
            guard let scalar = Unicode.Scalar(value) else { continue }
            text.unicodeScalars.append(scalar)
            if value % 40 == 0 { text += "\n" }
        }
        text += "\n> - 1. ```\n" + "[[[[(((" + String(repeating: "*_`", count: 500) + "\n\u{FEFF}\u{200B}\u{10FFFF}\n"
        let folder = try TemporaryFolder(["Content/noise.md": text])
        let (result, signalled, timedOut) = try KBBinary.run(["build"], in: folder.url, timeout: 120)
        #expect(!timedOut && !signalled)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(folder.exists("Site/articles/noise.html"))
    }

    @Test func yamlAliasesThatWouldExpandExponentiallyAreHarmless() throws {
        // Nine levels of nine aliases: 387 420 489 leaves if anything walked them expanded.
        var yaml = "  l0: &l0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { yaml += "  l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]\n" }
        let folder = try TemporaryFolder([
            "Content/a.md": "---\ntitle: A\nextra:\n" + yaml + "---\n",
            "Examples/ex/Dockerfile": "FROM scratch\nCOPY hi /hi\nUSER 10001\nENTRYPOINT [\"/hi\"]\n",
            "Examples/ex/hi": "x\n",
            "Examples/ex/example.yaml": "title: Ex\nrun: {stdout: hi}\nextra:\n" + yaml,
        ])
        let (result, signalled, timedOut) = try KBBinary.run(["check", "--fail-on", "error"], in: folder.url, timeout: 120)
        #expect(!timedOut && !signalled)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
    }
}
