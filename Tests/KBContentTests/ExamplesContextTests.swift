import Foundation
import KBRules
import Testing

@testable import KBContent

/// `context:` and `dockerfile:` in example.yaml: an example built from a folder other than its
/// own (kb's own image is built from the repository's root), on real files.
@Suite("example.yaml context and dockerfile")
struct ExamplesContextTests {
    static let dockerfile = "FROM scratch\nCOPY hello /hello\nCMD [\"/hello\"]\n"
    static let manifest = "title: Built from elsewhere\nrun:\n  stdout: \"hi\\n\"\n"

    // MARK: parsing

    @Test func keysAreParsedWithWhereTheyAre() throws {
        let text = """
            title: From the root
            context: ../..
            dockerfile: ./docker//Dockerfile.prod
            run: {stdout: "hi\\n"}
            """
        let parsed = ExampleManifest.parse(text, file: "Examples/x/example.yaml")
        #expect(parsed.diagnostics == [])
        let manifest = try #require(parsed.manifest)
        #expect(manifest.context == ManifestPath(path: "../..", written: "../..", line: 2, column: 10))
        #expect(manifest.dockerfile == ManifestPath(path: "docker/Dockerfile.prod", written: "./docker//Dockerfile.prod", line: 3, column: 13))
        #expect(parsed.build == BuildPaths(context: manifest.context, dockerfile: manifest.dockerfile))
        #expect(!parsed.build.isDefault)
    }

    @Test func withoutTheKeysTheBuildIsTheDefault() throws {
        let parsed = ExampleManifest.parse(Self.manifest, file: "Examples/x/example.yaml")
        let manifest = try #require(parsed.manifest)
        #expect(manifest.context == nil && manifest.dockerfile == nil)
        #expect(parsed.build.isDefault)
    }

    @Test(arguments: [
        ("context: [a, b]", "2:10 'context' must be a folder relative to the example's folder, like ../.., not a list"),
        ("context: {path: a}", "2:10 'context' must be a folder relative to the example's folder, like ../.., not a mapping"),
        ("context: 42", "2:10 'context' must be a folder relative to the example's folder, like ../.., not a single value"),
        ("context: true", "2:10 'context' must be a folder relative to the example's folder, like ../.., not a single value"),
        ("context:", "2:9 'context' must be a folder relative to the example's folder, like ../.., not a single value"),
        ("context: \"  \"", "2:10 'context' must be a folder relative to the example's folder, like ../.., not an empty text"),
        ("context: /work/kb", "2:10 'context' must be a relative path (a folder relative to the example's folder, like ../..), not the absolute path /work/kb"),
        ("context: \"a\\nb\"", "2:10 'context' must not hold control characters or line breaks"),
        ("dockerfile: [Dockerfile]", "2:13 'dockerfile' must be a file's path inside the context, like Dockerfile or docker/Dockerfile.prod, not a list"),
        ("dockerfile: docker/", "2:13 'dockerfile' must name a file inside the context, not a folder"),
        ("dockerfile: .", "2:13 'dockerfile' must name a file inside the context, not a folder"),
        ("dockerfile: ../Dockerfile", "2:13 'dockerfile' must be inside the context: '..' is not allowed in ../Dockerfile"),
    ])
    func wrongValuesAreReportedAtTheirLine(line: String, expected: String) {
        let text = "title: x\n\(line)\nrun: {stdout: a}\n"
        let parsed = ExampleManifest.parse(text, file: "Examples/x/example.yaml")
        #expect(parsed.manifest == nil)
        #expect(parsed.diagnostics.map { "\($0.line):\($0.column) \($0.message)" } == [expected])
        #expect(parsed.diagnostics.allSatisfy { $0.rule == "KC102" && $0.file == "Examples/x/example.yaml" })
        #expect(!parsed.build.isValid)
    }

    @Test func aMisspeltKeyIsStillAnError() {
        let parsed = ExampleManifest.parse("title: x\ncontxt: ../..\nrun: {stdout: a}\n", file: "Examples/x/example.yaml")
        #expect(parsed.manifest == nil)
        #expect(parsed.diagnostics.map(\.message) == [
            "unknown key 'contxt' in example.yaml (did you mean 'context'?); known keys: title, summary, tags, context, dockerfile, target, timeout, run, expect, extra"
        ])
    }

    // MARK: resolving on disk

    /// The knowledge base's root as the build context, as for kb's own image.
    func rootContextKnowledgeBase(_ extra: [String: String] = [:]) throws -> ExamplesTempRoot {
        var files = [
            "Dockerfile": "FROM scratch\nCOPY Sources /src\n",
            ".dockerignore": "*\n!Sources\n!Package.swift\n",
            "Package.swift": "// swift-tools-version:6.0\n",
            "Sources/kb/main.swift": "print(\"kb\")\n",
            "Sources/kb/go.mod": "module kb\n",
            "Notes.md": "not in the context\n",
            "Examples/self/example.yaml": "title: Self\ncontext: ../..\nrun:\n  stdout_contains: kb\n",
        ]
        files.merge(extra) { $1 }
        return try ExamplesTempRoot(files)
    }

    @Test func theRootAsContext() throws {
        let root = try rootContextKnowledgeBase()
        let example = try #require(try root.catalog()["self"])
        #expect(example.diagnostics == [])
        #expect(example.isRecordable)
        let source = try #require(example.source)
        #expect(source.folder.path == root.url.path)
        #expect(source.exampleFolder == "Examples/self")
        #expect(!source.isExampleFolder)
        #expect(example.dockerfile.path == root.url.appendingPathComponent("Dockerfile").path)
        #expect(example.shownDockerfile == "Dockerfile")
        #expect(example.dockerfileInRoot == "Dockerfile")
        #expect(example.readDockerfile() == "FROM scratch\nCOPY Sources /src\n")
        let context = try #require(example.context)
        #expect(context.paths == [".dockerignore", "Dockerfile", "Package.swift", "Sources/kb/go.mod", "Sources/kb/main.swift"])
        // The documented digest of exactly these files.
        let expected = BuildContext(entries: [
            .init(path: ".dockerignore", kind: .file, bytes: Array("*\n!Sources\n!Package.swift\n".utf8)),
            .init(path: "Dockerfile", kind: .file, bytes: Array("FROM scratch\nCOPY Sources /src\n".utf8)),
            .init(path: "Package.swift", kind: .file, bytes: Array("// swift-tools-version:6.0\n".utf8)),
            .init(path: "Sources/kb/go.mod", kind: .file, bytes: Array("module kb\n".utf8)),
            .init(path: "Sources/kb/main.swift", kind: .file, bytes: Array("print(\"kb\")\n".utf8)),
        ])
        #expect(context.digest == expected.digest)
        // The rules see the context's files, not the whole folder.
        #expect(example.ruleContextFiles().files.keys.sorted() == ["Sources/kb/go.mod"])
    }

    @Test func aFileOutsideTheDockerignoreAllowlistDoesNotChangeTheDigest() throws {
        let root = try rootContextKnowledgeBase()
        let before = try #require(try root.catalog()["self"]?.context?.digest)
        try root.write("Notes.md", "edited\n")
        try root.write("Site/index.html", "<p>a site</p>\n")
        #expect(try root.catalog()["self"]?.context?.digest == before)
        try root.write("Sources/kb/main.swift", "print(\"kb 2\")\n")
        #expect(try root.catalog()["self"]?.context?.digest != before)
    }

    /// The example's own example.yaml and results.json are never part of its context, even
    /// when .dockerignore lets its folder in: recording would otherwise make itself stale.
    @Test func theExamplesOwnFilesAreLeftOutOfAContextThatHoldsThem() throws {
        let root = try rootContextKnowledgeBase([
            ".dockerignore": "*\n!Sources\n!Examples\n",
            "Examples/self/notes.txt": "part of the context\n",
            "Examples/other/example.yaml": "title: Other\nrun: {stdout: a}\n",
            "Examples/other/Dockerfile": Self.dockerfile,
        ])
        let example = try #require(try root.catalog()["self"])
        let context = try #require(example.context)
        #expect(context.paths.contains("Examples/self/notes.txt"))
        #expect(!context.paths.contains("Examples/self/example.yaml"))
        // Another example's files are files like any other.
        #expect(context.paths.contains("Examples/other/example.yaml"))

        let results = ResultsFile(recordings: [
            Recording(
                date: "2026-11-28T05:46:00Z", engine: EngineInfo(name: "buildah", version: "1.28.2"), platform: "linux/amd64",
                contextDigest: context.digest, target: nil, image: ImageFigures(sizeBytes: 1000, layers: 2), buildSeconds: 3,
                run: RunRecord(exitCode: 0, stdout: "kb\n", stderr: ""), matched: true)
        ]).json()
        try root.write("Examples/self/results.json", results)
        try root.write("Examples/self/.kb-tmp-results.json-123-1", "{")
        try root.write("Examples/self/example.yaml", "title: Self, renamed\ncontext: ../..\nrun:\n  stdout_contains: kb\n")
        let reloaded = try #require(try root.catalog()["self"])
        #expect(reloaded.context?.digest == context.digest)
        guard case .current = reloaded.recordingStatus else {
            Issue.record("expected the recording to be current, got \(reloaded.recordingStatus)")
            return
        }
        #expect(reloaded.recordingDiagnostics() == [])
    }

    @Test func aDockerfileInASubfolderOfTheContext() throws {
        let root = try ExamplesTempRoot([
            "shared/docker/Dockerfile.prod": Self.dockerfile,
            "shared/hello": "binary\n",
            "shared/.dockerignore": "docker\n",
            "Examples/sub/example.yaml": "title: Sub\ncontext: ../../shared\ndockerfile: docker/Dockerfile.prod\nrun: {stdout: a}\n",
        ])
        let example = try #require(try root.catalog()["sub"])
        #expect(example.diagnostics == [])
        #expect(example.source?.exampleFolder == nil)
        #expect(example.shownDockerfile == "shared/docker/Dockerfile.prod")
        #expect(example.dockerfileInRoot == "shared/docker/Dockerfile.prod")
        // Its folder is left out by .dockerignore, but the Dockerfile is always sent.
        #expect(example.context?.paths == [".dockerignore", "docker/Dockerfile.prod", "hello"])
    }

    @Test func aContextLeadingOutOfTheRootIsRefusedAtItsLine() throws {
        let root = try ExamplesTempRoot([
            "Examples/up/example.yaml": "title: Up\nsummary: too far\ncontext: ../../..\nrun: {stdout: a}\n",
        ])
        let example = try #require(try root.catalog()["up"])
        let problem = try #require(example.diagnostics.first)
        #expect(example.diagnostics.count == 1)
        #expect(problem.rule == "KC104")
        #expect(problem.file == "Examples/up/example.yaml")
        #expect((problem.line, problem.column) == (3, 10))
        #expect(problem.message.hasPrefix("context '../../..' leads out of the knowledge base (to "))
        #expect(problem.message.hasSuffix("): refused, not read; a build context must be a folder of the knowledge base"))
        #expect(example.context == nil && example.source == nil && !example.isRecordable)
    }

    @Test func aContextThroughASymbolicLinkOutOfTheRootIsRefused() throws {
        let outside = try ExamplesTempRoot(["Dockerfile": Self.dockerfile, "secret": "not to be read\n"])
        let root = try ExamplesTempRoot(["Examples/linked/example.yaml": "title: Linked\ncontext: elsewhere\nrun: {stdout: a}\n"])
        try root.link("Examples/linked/elsewhere", to: outside.url.path)
        let example = try #require(try root.catalog()["linked"])
        #expect(example.diagnostics.map { "\($0.rule) \($0.line):\($0.column)" } == ["KC104 2:10"])
        #expect(example.diagnostics.first?.message.contains("leads out of the knowledge base (to \(outside.url.path))") == true)
        #expect(example.context == nil && !example.isRecordable)
        #expect(example.readDockerfile() == nil)
    }

    @Test func aSymbolicLinkThatStaysInsideTheRootIsFollowed() throws {
        let root = try ExamplesTempRoot([
            "build/Dockerfile": Self.dockerfile,
            "Examples/linked/example.yaml": "title: Linked\ncontext: here\nrun: {stdout: a}\n",
        ])
        try root.link("Examples/linked/here", to: "../../build")
        let example = try #require(try root.catalog()["linked"])
        #expect(example.diagnostics == [])
        #expect(example.source?.folder.path == root.url.appendingPathComponent("build").path)
        #expect(example.context?.paths == ["Dockerfile"])
    }

    @Test func aMissingContextFolder() throws {
        let root = try ExamplesTempRoot(["Examples/gone/example.yaml": "title: Gone\nrun: {stdout: a}\ncontext: ../nowhere\n"])
        let example = try #require(try root.catalog()["gone"])
        #expect(example.diagnostics.map { "\($0.file):\($0.line):\($0.column) \($0.rule) \($0.message)" } == [
            "Examples/gone/example.yaml:3:10 KC102 context '../nowhere': there is no such folder (it is relative to Examples/gone)"
        ])
        #expect(!example.isRecordable)
    }

    @Test func aContextThatIsAFile() throws {
        let root = try ExamplesTempRoot([
            "Examples/file/example.yaml": "title: File\ncontext: notes.txt\nrun: {stdout: a}\n",
            "Examples/file/notes.txt": "a file\n",
        ])
        let example = try #require(try root.catalog()["file"])
        #expect(example.diagnostics.map { "\($0.line):\($0.column) \($0.rule) \($0.message)" } == [
            "2:10 KC102 context 'notes.txt' is not a folder: a build context is a folder"
        ])
    }

    @Test func aMissingDockerfileInTheContextIsReportedAtTheLineThatNamesIt() throws {
        let root = try ExamplesTempRoot([
            "shared/hello": "x\n",
            "Examples/a/example.yaml": "title: A\ncontext: ../../shared\nrun: {stdout: a}\n",
            "Examples/b/example.yaml": "title: B\ncontext: ../../shared\ndockerfile: Containerfile\nrun: {stdout: a}\n",
            "Examples/c/example.yaml": "title: C\ndockerfile: build/Dockerfile\nrun: {stdout: a}\n",
        ])
        let catalog = try root.catalog()
        #expect(catalog["a"]?.diagnostics.map { "\($0.file):\($0.line):\($0.column) \($0.rule) \($0.message)" } == [
            "Examples/a/example.yaml:2:10 KC103 there is no Dockerfile in context '../../shared' (shared): a has no Dockerfile"
        ])
        #expect(catalog["b"]?.diagnostics.map { "\($0.line):\($0.column) \($0.rule) \($0.message)" } == [
            "3:13 KC103 there is no Containerfile in context '../../shared' (shared): b has no Dockerfile"
        ])
        #expect(catalog["c"]?.diagnostics.map { "\($0.line):\($0.column) \($0.rule) \($0.message)" } == [
            "2:13 KC103 there is no build/Dockerfile in the example's folder (Examples/c): c has no Dockerfile"
        ])
        #expect(catalog.examples.allSatisfy { !$0.isRecordable && !$0.hasDockerfile })
    }

    @Test func anInvalidManifestStillFindsItsDockerfileInTheContext() throws {
        // A typo elsewhere in example.yaml is one error, not a second one about the Dockerfile.
        let root = try rootContextKnowledgeBase(["Examples/self/example.yaml": "title: Self\ncontext: ../..\nrun: {stdot: kb}\n"])
        let example = try #require(try root.catalog()["self"])
        #expect(example.diagnostics.map(\.rule) == ["KC102"])
        #expect(example.hasDockerfile)
        #expect(example.shownDockerfile == "Dockerfile")
    }

    // MARK: the default is unchanged

    @Test func withoutTheKeysTheExamplesFolderIsTheContextAsBefore() throws {
        let root = try ExamplesTempRoot([
            "Examples/plain/example.yaml": Self.manifest,
            "Examples/plain/Dockerfile": Self.dockerfile,
            "Examples/plain/hello.c": "int main(void) { return 0; }\n",
            "Examples/plain/results.json": "{\"recordings\": []}\n",
            "Examples/plain/.kb-tmp-results.json-1-1": "{",
        ])
        let example = try #require(try root.catalog()["plain"])
        let source = try #require(example.source)
        #expect(source.isExampleFolder && source.exampleFolder == "" && source.dockerfilePath == "Dockerfile")
        #expect(example.shownDockerfile == "Examples/plain/Dockerfile")
        #expect(example.dockerfileInRoot == "Examples/plain/Dockerfile")
        #expect(example.context?.paths == ["Dockerfile", "hello.c"])
        // The same digest as before context: existed (docs/formats.md's format, by hand).
        let old = BuildContext.scan(folder: example.folder, root: root.url, shownFolder: "Examples/plain")
        #expect(old.context?.digest == example.context?.digest)
        #expect(example.context?.digest == BuildContext(entries: [
            .init(path: "Dockerfile", kind: .file, bytes: Array(Self.dockerfile.utf8)),
            .init(path: "hello.c", kind: .file, bytes: Array("int main(void) { return 0; }\n".utf8)),
        ]).digest)
        #expect(try root.catalog().contextSignature == ExampleCatalog(examples: [], diagnostics: []).contextSignature)
    }

    @Test func contextsOutsideExamplesArePartOfTheCacheSignature() throws {
        let root = try rootContextKnowledgeBase()
        let before = try root.catalog().contextSignature
        try root.write("Notes.md", "not in the context\n")
        #expect(try root.catalog().contextSignature == before)
        try root.write("Sources/kb/main.swift", "print(\"changed\")\n")
        #expect(try root.catalog().contextSignature != before)
    }

    // MARK: .dockerignore pruning

    @Test(arguments: [
        // (patterns, folder, may keep something below it)
        ("*\n!Sources", ".build", false),
        ("*\n!Sources", "Sources", false),  // kept itself, so never pruned; nothing below adds to that
        ("*\n!Sources/kb", "Sources", true),
        ("*\n!Sources/kb", "Sources/other", false),
        ("*\n!Sources/kb", "Sources/kb", false),  // the `!` matches the folder itself: its own verdict
        ("*\n!*/keep.txt", ".build", true),
        ("*\n!*/keep.txt", ".build/debug", false),
        ("*\n!**/keep.txt", ".build/debug/x", true),
        ("*\n!a**b", "x/y", true),
        ("*\n!src/*.c", "src", true),
        ("*\n!src/*.c", "lib", false),
        ("*\n!s[rt]c/x", "stc", true),
        ("*\n!s[rt]c/x", "sac", false),
        ("build", "build", false),  // no `!` at all
    ])
    func mayKeepSomethingBelow(patterns: String, folder: String, expected: Bool) {
        #expect(DockerIgnore(patterns).mayKeepSomethingBelow(folder) == expected)
    }

    /// An allowlist over a context with a huge left-out folder: the folder is never listed, so
    /// its size costs nothing (the repository's .build/ holds about 100,000 files).
    @Test func aLeftOutFolderIsNotRead() throws {
        let root = try rootContextKnowledgeBase()
        for index in 0..<50 {
            try root.write(".build/debug/obj\(index)/file.o", "object \(index)\n")
        }
        try root.write("Site/keep.txt", "left out\n")
        let example = try #require(try root.catalog()["self"])
        var walk = ContextWalk(source: try #require(example.source), root: root.url)
        walk.run()
        #expect(walk.problems == [])
        #expect(walk.listedFolders == ["", "Sources", "Sources/kb"])
        #expect(walk.entries.map(\.path) == example.context?.paths)

        // With a `!` pattern that could match inside any top-level folder, those are listed,
        // but not deeper.
        try root.write(".dockerignore", "*\n!Sources\n!Package.swift\n!*/keep.txt\n")
        var looking = ContextWalk(source: try #require(try root.catalog()["self"]?.source), root: root.url)
        looking.run()
        #expect(looking.listedFolders == ["", ".build", "Examples", "Site", "Sources", "Sources/kb"])
        #expect(looking.entries.map(\.path).contains("Site/keep.txt"))
    }

    /// A left-out folder that cannot be read is no problem, even when a `!` pattern makes kb
    /// look into it (BuildKit ignores it too). Run as root, the folder stays readable, and this
    /// only shows that nothing is reported.
    @Test func aLeftOutUnreadableFolderIsNoProblem() throws {
        let root = try rootContextKnowledgeBase([
            "private/secret": "x\n",
            ".dockerignore": "*\n!Sources\n!*/keep.txt\n",
        ])
        let folder = root.url.appendingPathComponent("private")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: folder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        let example = try #require(try root.catalog()["self"])
        #expect(example.diagnostics == [])
        #expect(example.context != nil)
    }

    /// Left-out sockets, pipes and devices are not part of the context and not a problem.
    @Test func aLeftOutPipeIsNoProblem() throws {
        let root = try rootContextKnowledgeBase()
        #expect(mkfifo(root.url.appendingPathComponent("pipe").path, 0o644) == 0)
        let example = try #require(try root.catalog()["self"])
        #expect(example.diagnostics == [])
    }

    // MARK: where the context is, from the root, and what a watcher looks at

    @Test func theContextsPathFromTheRoot() throws {
        let root = try rootContextKnowledgeBase([
            "shared/docker/Dockerfile.prod": Self.dockerfile,
            "shared/hello": "binary\n",
            "Examples/sub/example.yaml": "title: Sub\ncontext: ../../shared\ndockerfile: docker/Dockerfile.prod\nrun: {stdout: a}\n",
            "Examples/prod/example.yaml": "title: Prod\ndockerfile: Dockerfile.prod\nrun: {stdout: a}\n",
            "Examples/prod/Dockerfile.prod": Self.dockerfile,
            "Examples/plain/example.yaml": Self.manifest,
            "Examples/plain/Dockerfile": Self.dockerfile,
        ])
        let catalog = try root.catalog()
        #expect(catalog["self"]?.contextInRoot == ".")
        #expect(catalog["self"]?.pathInRoot(ofContextPath: ".dockerignore") == ".dockerignore")
        #expect(catalog["sub"]?.contextInRoot == "shared")
        #expect(catalog["sub"]?.dockerfileInRoot == "shared/docker/Dockerfile.prod")
        #expect(catalog["prod"]?.contextInRoot == "Examples/prod")
        #expect(catalog["prod"]?.dockerfileInRoot == "Examples/prod/Dockerfile.prod")
        #expect(catalog["plain"]?.contextInRoot == nil)
        #expect(catalog["plain"]?.pathInRoot(ofContextPath: "hello") == "Examples/plain/hello")
    }

    /// The root given through a symbolic link: the context is resolved, and still found in it.
    @Test func theContextsPathFromARootNamedThroughALink() throws {
        let root = try rootContextKnowledgeBase()
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("kb-link-\(UUID().uuidString)")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: root.url)
        defer { try? FileManager.default.removeItem(at: link) }
        let example = try #require(try ExampleCatalog.load(root: link)["self"])
        #expect(example.contextInRoot == ".")
        #expect(example.dockerfileInRoot == "Dockerfile")
    }

    /// What `kb serve` watches in a context: the files of the context, found without reading
    /// them and without walking the folders .dockerignore leaves out (or those it is told to skip).
    @Test func aWatcherSeesTheContextsFilesAndSkipsWhatIsLeftOut() throws {
        let root = try rootContextKnowledgeBase([
            ".dockerignore": "*\n!Sources\n!Package.swift\n!Site\n",
            "Site/index.html": "<p>a site, let in but skipped</p>\n",
        ])
        for index in 0..<20 {
            try root.write(".build/debug/obj\(index)/file.o", "object \(index)\n")
        }
        let example = try #require(try root.catalog()["self"])
        let source = try #require(example.source)
        let asked = LockedFolders()
        let site = root.url.appendingPathComponent("Site").standardizedFileURL.path
        let files = BuildContext.watchedFiles(source, root: root.url) { folder in
            asked.append(folder.standardizedFileURL.path)
            return folder.standardizedFileURL.path == site
        }
        let relative = files.map { String($0.path.dropFirst(source.folder.path.count + 1)) }
        #expect(relative == [".dockerignore", "Dockerfile", "Package.swift", "Sources/kb/go.mod", "Sources/kb/main.swift"])
        // Only folders that are part of the context are offered to skip: never .build.
        #expect(asked.paths.map { String($0.dropFirst(source.folder.path.count + 1)) } == ["Site", "Sources", "Sources/kb"])
    }
}

/// Folders a closure was called with (the closure is escaping, hence the class).
final class LockedFolders: @unchecked Sendable {
    private(set) var paths: [String] = []
    func append(_ path: String) { paths.append(path) }
}

