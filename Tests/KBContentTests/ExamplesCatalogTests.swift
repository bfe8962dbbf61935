import Foundation
import KBRules
import Testing

@testable import KBContent

/// A knowledge base in a temporary folder, made from a dictionary of path → contents.
final class ExamplesTempRoot {
    let url: URL

    init(_ files: [String: String] = [:]) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("kb-examples-\(UUID().uuidString)")
            .resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (path, contents) in files { try write(path, contents) }
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ path: String, _ contents: String) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: file)
    }

    func link(_ path: String, to target: String) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: target)
    }

    func remove(_ path: String) throws { try FileManager.default.removeItem(at: url.appendingPathComponent(path)) }

    func catalog() throws -> ExampleCatalog { try ExampleCatalog.load(root: url) }
}

@Suite("Examples/ catalog")
struct ExamplesCatalogTests {
    static let manifest = "title: Static hello\nrun:\n  stdout: \"Hello, world!\\n\"\n"
    static let dockerfile = "FROM scratch\nCOPY hello /hello\nCMD [\"/hello\"]\n"

    static func results(digest: String, target: String? = nil) -> String {
        ResultsFile(recordings: [
            Recording(
                date: "2026-11-28T05:46:00Z", engine: EngineInfo(name: "buildah", version: "1.28.2"), platform: "linux/amd64",
                contextDigest: digest, target: target, image: ImageFigures(sizeBytes: 764_416, layers: 1), buildSeconds: 3,
                run: RunRecord(exitCode: 0, stdout: "Hello, world!\n", stderr: ""), matched: true)
        ]).json()
    }

    @Test func missingExamplesFolderIsAnEmptyCatalog() throws {
        let root = try ExamplesTempRoot(["Content/a.md": "---\ntitle: A\n---\n"])
        let catalog = try root.catalog()
        #expect(catalog.examples.isEmpty)
        #expect(catalog.allDiagnostics.isEmpty)
    }

    @Test func loadsAnExampleAndTellsCurrentStaleAndMissing() throws {
        let root = try ExamplesTempRoot([
            "Examples/hello/Dockerfile": Self.dockerfile,
            "Examples/hello/hello": "binary",
            "Examples/hello/example.yaml": Self.manifest,
        ])
        var example = try #require(try root.catalog()["hello"])
        #expect(example.slug == "hello")
        #expect(example.shownPath == "Examples/hello")
        #expect(example.manifest?.title == "Static hello")
        #expect(example.hasDockerfile)
        #expect(example.isRecordable)
        #expect(example.results == nil)
        #expect(example.recordingStatus == .missing)
        #expect(example.recordingDiagnostics().map { "\($0.file) \($0.rule) \($0.message)" } == [
            "Examples/hello/results.json KC120 hello has no recording: run `kb record hello`"
        ])

        let digest = try #require(example.context?.digest)
        #expect(example.context?.paths == ["Dockerfile", "hello"])
        try root.write("Examples/hello/results.json", Self.results(digest: digest))
        example = try #require(try root.catalog()["hello"])
        guard case let .current(recording) = example.recordingStatus else {
            Issue.record("expected a current recording, got \(example.recordingStatus)")
            return
        }
        #expect(recording.image.sizeBytes == 764_416)
        #expect(example.recordingDiagnostics() == [])
        // Writing results.json or editing example.yaml does not change the context.
        try root.write("Examples/hello/example.yaml", Self.manifest + "summary: more\n")
        #expect(try root.catalog()["hello"]?.context?.digest == digest)

        try root.write("Examples/hello/hello", "another binary")
        example = try #require(try root.catalog()["hello"])
        guard case let .stale(recorded, now) = example.recordingStatus else {
            Issue.record("expected a stale recording, got \(example.recordingStatus)")
            return
        }
        #expect(recorded.contextDigest == digest)
        #expect(now != digest)
        #expect(example.recordingDiagnostics().map(\.rule) == ["KC121"])
        #expect(example.recordingDiagnostics().first?.message.hasPrefix("the recording of hello is stale: its build context changed since 2026-11-28T05:46:00Z") == true)
    }

    @Test func namingAnotherStageMakesTheRecordingStale() throws {
        let root = try ExamplesTempRoot([
            "Examples/hello/Dockerfile": "FROM scratch AS final\nFROM final AS debug\n",
            "Examples/hello/example.yaml": Self.manifest + "target: final\n",
        ])
        let digest = try #require(try root.catalog()["hello"]?.context?.digest)
        try root.write("Examples/hello/results.json", Self.results(digest: digest, target: "final"))
        #expect(try root.catalog()["hello"]?.recordingDiagnostics() == [])
        try root.write("Examples/hello/example.yaml", Self.manifest + "target: debug\n")
        let example = try #require(try root.catalog()["hello"])
        #expect(example.context?.digest == digest)
        #expect(example.recordingDiagnostics().map { "\($0.rule) \($0.message)" } == [
            "KC121 the recording of hello is stale: example.yaml now builds stage 'debug', the recording is of stage 'final'; run `kb record hello`"
        ])
    }

    @Test func aRecordingThatNoLongerMatchesTheExpectationIsReported() throws {
        let root = try ExamplesTempRoot([
            "Examples/hello/Dockerfile": Self.dockerfile,
            "Examples/hello/example.yaml": "title: Hello\nrun:\n  stdout: \"Bonjour\\n\"\n",
        ])
        let digest = try #require(try root.catalog()["hello"]?.context?.digest)
        try root.write("Examples/hello/results.json", Self.results(digest: digest))
        let example = try #require(try root.catalog()["hello"])
        #expect(example.recordingDiagnostics().map { "\($0.rule) \($0.message)" } == [
            "KC122 hello does not behave as example.yaml expects: printed \"Hello, world!\\n\" on stdout, expected \"Bonjour\\n\" (recorded by buildah 1.28.2 on 2026-11-28T05:46:00Z)"
        ])
    }

    @Test func citedResultsAreNeverStale() throws {
        let root = try ExamplesTempRoot([
            "Examples/go-2020/Dockerfile": "FROM golang\n",
            "Examples/go-2020/example.yaml": "title: Go in 2020\nrun: {stdout: \"hi\\n\"}\n",
            "Examples/go-2020/results.json": """
                {"cited": {"size_bytes": 805000000, "source": {"title": "The Quest", "url": "https://example.org/q", "date": "2020-02-01"}}}
                """,
        ])
        let example = try #require(try root.catalog()["go-2020"])
        #expect(example.recordingStatus == .cited(CitedRecord(sizeBytes: 805_000_000, source: .init(title: "The Quest", url: "https://example.org/q", date: "2020-02-01"))))
        #expect(example.recordingDiagnostics() == [])
    }

    @Test func contextHonoursDockerignoreAndLeavesOutMetadata() throws {
        let root = try ExamplesTempRoot([
            "Examples/app/Dockerfile": "FROM scratch\n",
            "Examples/app/.dockerignore": "# build output\n*.o\nbuild/\n!build/keep.txt\nDockerfile\n.dockerignore\n",
            "Examples/app/main.c": "int main;",
            "Examples/app/main.o": "object",
            "Examples/app/build/out": "x",
            "Examples/app/build/keep.txt": "kept",
            "Examples/app/src/util.o": "object",
            "Examples/app/example.yaml": Self.manifest,
            "Examples/app/results.json": "{}",
            "Examples/app/.kb-tmp-results.json-123-abc": "half a file",
        ])
        let example = try #require(try root.catalog()["app"])
        // `*.o` covers the top folder only, as in Docker: src/util.o stays.
        #expect(example.context?.paths == [".dockerignore", "Dockerfile", "build/keep.txt", "main.c", "src/util.o"])
        // Adding an ignored file leaves the digest alone; adding a kept one changes it.
        let digest = example.context?.digest
        try root.write("Examples/app/other.o", "object")
        #expect(try root.catalog()["app"]?.context?.digest == digest)
        try root.write("Examples/app/README", "text")
        #expect(try root.catalog()["app"]?.context?.digest != digest)
    }

    @Test func linksOutOfTheRootAreRefusedNotRead() throws {
        let outside = try ExamplesTempRoot(["secret.txt": "do not read", "folder/Dockerfile": "FROM scratch\n"])
        let root = try ExamplesTempRoot([
            "Examples/leaky/Dockerfile": Self.dockerfile,
            "Examples/leaky/example.yaml": Self.manifest,
            "Examples/inside/Dockerfile": Self.dockerfile,
            "Examples/inside/example.yaml": Self.manifest,
            "shared/common.h": "#define X 1\n",
        ])
        try root.link("Examples/leaky/secret.txt", to: outside.url.appendingPathComponent("secret.txt").path)
        try root.link("Examples/borrowed", to: outside.url.appendingPathComponent("folder").path)
        try root.link("Examples/inside/common.h", to: "../../shared/common.h")
        try root.write("Examples/yamlless/Dockerfile", Self.dockerfile)
        try root.link("Examples/yamlless/example.yaml", to: outside.url.appendingPathComponent("secret.txt").path)

        let catalog = try root.catalog()
        #expect(catalog.slugs == ["inside", "leaky", "yamlless"])
        #expect(catalog.diagnostics.map { "\($0.file) \($0.rule)" } == ["Examples/borrowed KC104"])
        #expect(catalog.diagnostics.first?.message.contains("outside the knowledge base: refused, not read") == true)

        let leaky = try #require(catalog["leaky"])
        #expect(leaky.context == nil)
        #expect(!leaky.isRecordable)
        #expect(leaky.diagnostics.map { "\($0.file) \($0.rule)" } == ["Examples/leaky/secret.txt KC104"])
        #expect(leaky.recordingStatus == .missing)

        let yamlless = try #require(catalog["yamlless"])
        #expect(yamlless.manifest == nil)
        #expect(yamlless.diagnostics.map { "\($0.file) \($0.rule)" }.contains("Examples/yamlless/example.yaml KC104"))

        // A link that stays inside the knowledge base is part of the context, as a link.
        let inside = try #require(catalog["inside"])
        #expect(inside.diagnostics == [])
        #expect(inside.context?.entries.first { $0.path == "common.h" }?.kind == .symlink)
        #expect(inside.context?.entries.first { $0.path == "common.h" }?.bytes == Array("../../shared/common.h".utf8))
    }

    @Test func examplesFolderLinkedOutOfTheRootIsRefused() throws {
        let outside = try ExamplesTempRoot(["hello/Dockerfile": Self.dockerfile])
        let root = try ExamplesTempRoot()
        try root.link("Examples", to: outside.url.path)
        let catalog = try root.catalog()
        #expect(catalog.examples.isEmpty)
        #expect(catalog.diagnostics.map { "\($0.file) \($0.rule)" } == ["Examples KC104"])
    }

    @Test func missingFilesAndBadNames() throws {
        let root = try ExamplesTempRoot([
            "Examples/no-dockerfile/example.yaml": Self.manifest,
            "Examples/no-yaml/Dockerfile": Self.dockerfile,
            "Examples/Bad Name/Dockerfile": Self.dockerfile,
            "Examples/Bad Name/example.yaml": Self.manifest,
            "Examples/bad-results/Dockerfile": Self.dockerfile,
            "Examples/bad-results/example.yaml": Self.manifest,
            "Examples/bad-results/results.json": "{\"recordings\": [}",
            "Examples/stray.txt": "not an example",
        ])
        let catalog = try root.catalog()
        #expect(catalog.allDiagnostics.map { "\($0.file):\($0.line):\($0.column) \($0.rule) \($0.name)" } == [
            "Examples/Bad Name:1:1 KC106 invalid-example-slug",
            "Examples/bad-results/results.json:1:17 KC110 malformed-results",
            "Examples/no-dockerfile/Dockerfile:1:1 KC103 missing-dockerfile",
            "Examples/no-yaml/example.yaml:1:1 KC100 missing-example-yaml",
            "Examples/stray.txt:1:1 KC105 unreadable-example-file",
        ])
        // A bad results.json does not keep kb record from replacing it.
        #expect(catalog["bad-results"]?.isRecordable == true)
        #expect(catalog["no-dockerfile"]?.isRecordable == false)
        #expect(catalog["no-yaml"]?.isRecordable == false)
    }

    @Test func displayRootPrefixesPaths() throws {
        let root = try ExamplesTempRoot(["Examples/x/Dockerfile": Self.dockerfile])
        let catalog = try ExampleCatalog.load(root: root.url, displayRoot: "kb")
        #expect(catalog["x"]?.shownPath == "kb/Examples/x")
        #expect(catalog["x"]?.diagnostics.map(\.file) == ["kb/Examples/x/example.yaml"])
    }
}

@Suite(".dockerignore patterns")
struct ExamplesDockerIgnoreTests {
    @Test(arguments: [
        ("*.o", "main.o", true),
        ("*.o", "src/main.o", false),  // * stays in one segment, from the root
        ("**/*.o", "src/deep/main.o", true),
        ("**/*.o", "main.o", true),
        ("build", "build/a/b.txt", true),  // a folder's pattern covers what is in it
        ("/build", "build/x", true),
        ("./build/", "build/x", true),
        ("src/*/test", "src/a/test", true),
        ("src/*/test", "src/a/b/test", false),
        ("src/**/test", "src/a/b/test", true),
        ("file?.txt", "file1.txt", true),
        ("file?.txt", "file10.txt", false),
        ("[a-c]*.md", "b-notes.md", true),
        ("[a-c]*.md", "d.md", false),
        ("[^a-c]*.md", "d.md", true),
        ("\\*.txt", "*.txt", true),
        ("\\*.txt", "a.txt", false),
        ("docs/**", "docs/a/b", true),
        ("a**b", "a/x/b", true),
    ])
    func patterns(pattern: String, path: String, excluded: Bool) {
        #expect(DockerIgnore(pattern).excludes(path) == excluded)
    }

    @Test func windowsLineEndings() {
        let ignore = DockerIgnore("*.o\r\n!keep.o\r\nbuild\r\n")
        #expect(ignore.rules.map(\.pattern) == ["*.o", "keep.o", "build"])
        #expect(ignore.excludes("main.o"))
        #expect(!ignore.excludes("keep.o"))
    }

    @Test func lastMatchWinsAndCommentsAreSkipped() {
        let ignore = DockerIgnore("# comment\n\n*.md\n!README.md\n  \nREADME-old.md\n")
        #expect(ignore.rules.map(\.pattern) == ["*.md", "README.md", "README-old.md"])
        #expect(ignore.excludes("notes.md"))
        #expect(!ignore.excludes("README.md"))
        #expect(ignore.excludes("README-old.md"))
        #expect(!ignore.excludes("main.c"))
    }
}
