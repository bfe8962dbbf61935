import Foundation
import KBContent
import KBTestSupport
import Testing

@testable import KBRecord

/// Recording an example whose example.yaml names its build context and Dockerfile: the
/// engine is given that folder and that file. (A stand-in buildah that writes down how it was
/// called: what matters here is the call, not a build.)
@Suite("Recording an example with a context: folder")
struct ContextRecordingTests {
    @Test func theEngineBuildsTheContextFolderWithItsDockerfile() throws {
        let kb = try TemporaryFolder([
            "app/docker/Dockerfile.prod": "FROM scratch\nCOPY hello /hello\nCMD [\"/hello\"]\n",
            "app/hello": "binary\n",
            "app/.dockerignore": "*.log\n",
            "app/build.log": "left out\n",
            "Examples/ctx/example.yaml": "title: Context\ncontext: ../../app\ndockerfile: docker/Dockerfile.prod\nrun:\n  stdout: \"hi\\n\"\n",
        ])
        let root = kb.url.resolvingSymlinksInPath()
        let bin = root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let log = root.appendingPathComponent("calls.log")
        let inspect = Fixtures.root.appendingPathComponent("engine-output/buildah-inspect-static-scratch.json")
        let script = """
            #!/bin/sh
            echo "$*" >> '\(log.path)'
            case "$1" in
              version) echo '{"version": "1.28.2"}' ;;
              build) echo "STEP 1/3: FROM scratch" ;;
              inspect) cat '\(inspect.path)' ;;
              from) echo ctx-working-container ;;
              run) echo hi ;;
              *) ;;
            esac
            """
        _ = FileManager.default.createFile(
            atPath: bin.appendingPathComponent("buildah").path, contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
        let runner = CommandRunner(environment: ["PATH": bin.path + ":/usr/bin:/bin"])
        let located = try EngineLocator.locate(.buildah, runner: runner)

        let example = try #require(try ExampleCatalog.load(root: root)["ctx"])
        #expect(example.diagnostics == [])
        let outcome = Recorder(engine: located.engine, engineInfo: located.info).record(example)
        let recording = try #require(outcome.recording, "\(outcome.report)")
        #expect(recording.matched)
        #expect(recording.contextDigest == example.context?.digest)
        #expect(example.context?.paths == [".dockerignore", "docker/Dockerfile.prod", "hello"])

        let calls = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        let app = root.appendingPathComponent("app").path
        #expect(calls.contains("build --tag localhost/kb-record-ctx:latest --file \(app)/docker/Dockerfile.prod \(app)"))
        // results.json goes to the example's folder, not to the context.
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Examples/ctx/results.json").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("app/results.json").path))
        let reloaded = try #require(try ExampleCatalog.load(root: root)["ctx"])
        #expect(reloaded.recordingDiagnostics() == [])
    }

    @Test func anExampleWhoseContextIsRefusedIsNotBuilt() throws {
        let kb = try TemporaryFolder(["Examples/out/example.yaml": "title: Out\ncontext: ../../..\nrun: {stdout: a}\n"])
        let example = try #require(try ExampleCatalog.load(root: kb.url)["out"])
        let engine = BuildahEngine(executable: URL(fileURLWithPath: "/bin/false"), runner: CommandRunner())
        let outcome = Recorder(engine: engine, engineInfo: EngineInfo(name: "buildah", version: "0")).record(example)
        guard case let .invalid(problems) = outcome.result else {
            Issue.record("expected the example to be refused, got \(outcome.report)")
            return
        }
        #expect(problems.map(\.rule) == ["KC104"])
    }
}
