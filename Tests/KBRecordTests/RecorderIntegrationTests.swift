import Foundation
import KBContent
import KBRules
import Testing

@testable import KBRecord

/// scripts/engine-setup.sh, run once per test process: buildah and the local Debian base
/// images, or the reason this machine cannot have them.
enum EngineSetup {
    enum State: Sendable {
        /// The environment to record with (CONTAINERS_STORAGE_CONF, BUILDAH_ISOLATION, …).
        case ready([String: String])
        /// The machine forbids it (exit code 3): the tests that need an engine are skipped.
        case impossible(String)
        /// The script failed otherwise: a bug, reported as a test failure.
        case failed(String)
    }

    static let state: State = {
        let script = Fixtures.repository.appendingPathComponent("scripts/engine-setup.sh")
        guard FileManager.default.fileExists(atPath: script.path) else { return .failed("\(script.path) is missing") }
        let runner = CommandRunner()
        let result: CommandResult
        do {
            // A cold cache installs packages and runs debootstrap: minutes, not hours.
            result = try runner.run(URL(fileURLWithPath: "/bin/bash"), [script.path], timeout: 1200)
        } catch {
            return .failed("\(error)")
        }
        let message = result.stderrText.split(whereSeparator: \.isNewline).suffix(4).joined(separator: "\n")
        switch result.exitCode {
        case 0:
            var environment = ProcessInfo.processInfo.environment
            for line in result.stdoutText.split(whereSeparator: \.isNewline) where line.hasPrefix("export ") {
                let assignment = line.dropFirst("export ".count)
                guard let equals = assignment.firstIndex(of: "=") else { continue }
                environment[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
            }
            return .ready(environment)
        case 3:
            return .impossible(message)
        default:
            return .failed("scripts/engine-setup.sh exited with \(result.exitCode)\(result.timedOut ? " (timed out)" : ""):\n\(message)")
        }
    }()

    /// The environment to run engines with, or the test is skipped (saying why) or failed.
    static func environment(for test: String) throws -> [String: String] {
        switch state {
        case let .ready(environment):
            return environment
        case let .impossible(reason):
            let note = "KBRecordTests: skipped \(test): no container engine can run on this machine: \(reason)"
            FileHandle.standardError.write(Data((note + "\n").utf8))
            try Test.cancel(Comment(rawValue: note))
        case let .failed(reason):
            Issue.record(Comment(rawValue: "engine setup failed: \(reason)"))
            throw SetupFailed()
        }
    }

    struct SetupFailed: Error {}
}

/// A knowledge base in a temporary folder with fixture examples copied into its Examples/.
final class FixtureKnowledgeBase {
    let root: URL

    init(examples: [String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kb-record-\(UUID().uuidString)").resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Examples"), withIntermediateDirectories: true)
        for example in examples {
            try FileManager.default.copyItem(
                at: Fixtures.root.appendingPathComponent(example),
                to: root.appendingPathComponent("Examples").appendingPathComponent(URL(fileURLWithPath: example).lastPathComponent))
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func catalog() throws -> ExampleCatalog { try ExampleCatalog.load(root: root) }
    func folder(_ slug: String) -> URL { root.appendingPathComponent("Examples").appendingPathComponent(slug) }
}

@Suite("Recording real examples with buildah")
struct RecorderIntegrationTests {
    /// The three C examples end to end, with three broken ones in the same run: those fail
    /// each with its own message and the others are still recorded.
    @Test(.timeLimit(.minutes(20)))
    func recordsRealExamplesEndToEnd() throws {
        let environment = try EngineSetup.environment(for: "recordsRealExamplesEndToEnd")
        let runner = CommandRunner(environment: environment)
        let located = try EngineLocator.locate(.buildah, runner: runner)
        #expect(located.info.name == "buildah")
        #expect(!located.info.version.isEmpty)

        let kb = try FixtureKnowledgeBase(examples: [
            "examples/c-dynamic-scratch", "examples/c-static-scratch", "examples/c-multistage-debian-slim",
            "bad/build-fails", "bad/never-exits", "bad/no-dockerfile",
        ])
        // A previous recording that a failed build must leave alone, byte for byte.
        let previous = ResultsFile(recordings: [RecorderFixtures.recording(engine: "buildah", date: "2026-01-01T00:00:00Z")]).json()
        try Data(previous.utf8).write(to: kb.folder("build-fails").appendingPathComponent("results.json"))

        // Held around the whole check, so no other recording on this machine adds or removes
        // images and containers between the counts before and after.
        try RecordLock.withLock {
            try recordAndCheck(kb: kb, runner: runner, located: located, previous: previous)
        }
    }

    private func recordAndCheck(
        kb: FixtureKnowledgeBase, runner: CommandRunner, located: (engine: any ContainerEngine, info: EngineInfo), previous: String
    ) throws {
        let catalog = try kb.catalog()
        func containers() throws -> Set<String> {
            let list = try runner.run(located.engine.executable, ["containers", "--quiet", "--notruncate"], timeout: 60)
            return Set(list.stdoutText.split(whereSeparator: \.isNewline).map(String.init))
        }
        let containersBefore = try containers()
        let leftoversBefore = located.engine.buildLeftovers()
        let recorder = Recorder(engine: located.engine, engineInfo: located.info, options: RecordOptions(jobs: 2))
        let started = Date()
        let summary = recorder.record(catalog.examples)
        let elapsed = Date().timeIntervalSince(started)
        FileHandle.standardError.write(Data((summary.outcomes.map(\.report) + [summary.line]).joined(separator: "\n").utf8 + [10]))
        let outcomes = Dictionary(uniqueKeysWithValues: summary.outcomes.map { ($0.slug, $0) })

        // A dynamically linked binary in an empty image cannot start: the expected failure.
        let dynamic = try #require(outcomes["c-dynamic-scratch"]?.recording, "\(outcomes["c-dynamic-scratch"]?.report ?? "")")
        #expect(dynamic.matched)
        #expect(dynamic.run.exitCode != 0)
        #expect(dynamic.run.stderr.contains("no such file or directory"))
        #expect(dynamic.run.stdout == "")
        #expect(dynamic.image.layers == 1)
        #expect(dynamic.image.sizeBytes < 100_000)

        // The same program linked statically runs, in an image well under 2 MB.
        let staticBinary = try #require(outcomes["c-static-scratch"]?.recording, "\(outcomes["c-static-scratch"]?.report ?? "")")
        #expect(staticBinary.matched)
        #expect(staticBinary.run == RunRecord(exitCode: 0, stdout: "Hello, world!\n", stderr: "", timedOut: false, seconds: staticBinary.run.seconds))
        #expect(staticBinary.image.sizeBytes < 2_000_000)
        #expect(staticBinary.image.sizeBytes > dynamic.image.sizeBytes)  // it carries its libc
        #expect(staticBinary.image.layers == 1)
        #expect(staticBinary.platform.hasPrefix("linux/"))
        #expect(staticBinary.engine == located.info)

        // Multi-stage onto debian:bookworm-slim: glibc is there, so the dynamic binary runs.
        let slim = try #require(outcomes["c-multistage-debian-slim"]?.recording, "\(outcomes["c-multistage-debian-slim"]?.report ?? "")")
        #expect(slim.matched)
        #expect(slim.run.stdout == "Hello, world!\n")
        #expect(slim.target == "final")
        #expect(slim.image.sizeBytes > 50_000_000)
        #expect(slim.image.layers >= 2)
        #expect(staticBinary.image.sizeBytes * 20 < slim.image.sizeBytes)

        // What was written is what was recorded, current for the context as it is now.
        let reloaded = try kb.catalog()
        for (slug, recording) in [("c-dynamic-scratch", dynamic), ("c-static-scratch", staticBinary), ("c-multistage-debian-slim", slim)] {
            let example = try #require(reloaded[slug])
            #expect(example.diagnostics == [], "\(slug)")
            #expect(example.recordingStatus == .current(recording), "\(slug)")
            #expect(example.recordingDiagnostics() == [], "\(slug)")
            let text = try String(contentsOf: example.resultsURL, encoding: .utf8)
            #expect(text == ResultsFile(recordings: [recording]).json(), "\(slug)")
        }

        // A build that fails: its message, and the previous results.json untouched.
        guard case let .failed(step, message)? = outcomes["build-fails"]?.result else {
            Issue.record("build-fails: \(outcomes["build-fails"]?.report ?? "no outcome")")
            return
        }
        #expect(step == .build)
        #expect(message.hasPrefix("the build failed (exit code 3)"))
        #expect(message.contains("about to fail"))
        #expect(try String(contentsOf: kb.folder("build-fails").appendingPathComponent("results.json"), encoding: .utf8) == previous)

        // An image that never exits is stopped at its timeout (3 s) and recorded as such.
        let hung = try #require(outcomes["never-exits"]?.recording, "\(outcomes["never-exits"]?.report ?? "")")
        #expect(hung.run.timedOut)
        #expect(!hung.matched)
        #expect(hung.mismatch == "the container did not exit within 3 s and was stopped")
        #expect(hung.run.seconds < 3 + 12)

        // No Dockerfile: nothing built, the problem said where it is.
        guard case let .invalid(problems)? = outcomes["no-dockerfile"]?.result else {
            Issue.record("no-dockerfile: \(outcomes["no-dockerfile"]?.report ?? "no outcome")")
            return
        }
        #expect(problems.map(\.rule) == [ExampleCheck.missingDockerfile.id])

        #expect(summary.recorded == 4)
        #expect(summary.asExpected == 3)
        #expect(summary.unexpected == 1)
        #expect(summary.failed == 1)
        #expect(summary.invalid == 1)
        #expect(summary.exitCode == 2)
        #expect(summary.line.hasPrefix("kb record: 4 of 6 recorded, 3 as expected, 1 not as expected, 1 failed, 1 with unusable files (buildah "))

        // Nothing left behind: no working containers (not even the failed build's), no images of
        // the examples, no unnamed images of their build stages.
        #expect(try containers().subtracting(containersBefore) == [])
        let images = try runner.run(located.engine.executable, ["images", "--format", "{{.Name}}"], timeout: 60)
        #expect(!images.stdoutText.contains("kb-record-"))
        #expect(located.engine.buildLeftovers().subtracting(leftoversBefore) == BuildLeftovers())

        // Editing a source makes the recording stale, which `kb record --check` reports.
        try Data("/* edited */\n".utf8).write(to: kb.folder("c-static-scratch").appendingPathComponent("hello.c"), options: .atomic)
        let edited = try #require(try kb.catalog()["c-static-scratch"])
        #expect(edited.recordingDiagnostics().map(\.rule) == [ExampleCheck.staleRecording.id])

        FileHandle.standardError.write(Data("KBRecordTests: recorded 6 examples with buildah in \(Int(elapsed)) s\n".utf8))
    }

    /// A kb record killed during a run leaves buildah's working container behind: the next
    /// recording removes it, and leaves alone one whose kb process is still alive.
    @Test func runContainersOfKilledRecordingsAreRemoved() throws {
        let environment = try EngineSetup.environment(for: "runContainersOfKilledRecordingsAreRemoved")
        let runner = CommandRunner(environment: environment)
        let located = try EngineLocator.locate(.buildah, runner: runner)
        // A process that has ended: its PID names no running process.
        let ended = try runner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "echo $$"], timeout: 30)
        let deadPID = try #require(Int32(ended.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(deadPID, 0) != 0)
        let abandoned = "kb-run-kill-probe-\(deadPID)-abc"
        let alive = "kb-run-kill-probe-\(getpid())-def"
        func containers() throws -> [String] {
            let list = try runner.run(located.engine.executable, ["containers", "--format", "{{.ContainerName}}"], timeout: 60)
            return list.stdoutText.split(whereSeparator: \.isNewline).map(String.init).filter { $0.hasPrefix("kb-run-kill-probe-") }.sorted()
        }
        try RecordLock.withLock {
            for name in [abandoned, alive] {
                let made = try runner.run(located.engine.executable, ["from", "--name", name, "scratch"], timeout: 120)
                #expect(made.exitCode == 0, "buildah from scratch: \(made.stderrText)")
            }
            defer { for name in [abandoned, alive] { _ = try? runner.run(located.engine.executable, ["rm", name], timeout: 120) } }
            let made = try containers()
            #expect(made == [abandoned, alive].sorted())
            // (Other abandoned kb-run containers on this machine go too; only these two are looked at.)
            #expect(located.engine.removeAbandonedRuns().filter { $0.hasPrefix("kb-run-kill-probe-") } == [abandoned])
            let left = try containers()
            #expect(left == [alive])
        }
    }

    /// podman may build here but not run: the refusal is explained, not passed off as the
    /// example's own failure.
    @Test func podmanRunWorksOrSaysWhyNot() throws {
        let environment = try EngineSetup.environment(for: "podmanRunWorksOrSaysWhyNot")
        let runner = CommandRunner(environment: environment)
        let found = CommandRunner.which("podman", environment: environment)
        if found == nil {
            FileHandle.standardError.write(Data("KBRecordTests: skipped podmanRunWorksOrSaysWhyNot: podman is not installed\n".utf8))
            try Test.cancel("podman is not installed")
        }
        let podman = PodmanEngine(executable: found!, runner: runner)
        let info = try podman.identify()
        #expect(info.name == "podman")
        let image = "docker.io/library/debian:bookworm-slim"
        let facts = try podman.inspect(image: image)
        #expect(facts.platform.hasPrefix("linux/"))
        #expect(facts.command == ["bash"])
        let outcome: Result<RunRecord, EngineError>
        do {
            outcome = .success(try podman.run(image: image, facts: facts, name: "kb-run-podman-probe-\(getpid())", timeout: 60))
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case let .success(run):
            #expect(run.exitCode == 0, "podman ran bash with no input: \(run.stderr)")
        case let .failure(.runRefused(engine, reason)):
            #expect(engine == "podman")
            #expect(reason.contains("Record with --engine buildah"))
            let note = EngineError.runRefused(engine: engine, reason: reason).description
            FileHandle.standardError.write(Data("KBRecordTests: podman run is refused here, as explained: \(note)\n".utf8))
        case let .failure(error):
            Issue.record("podman failed otherwise: \(error)")
        }
    }
}

@Suite("Finding an engine, and engines that misbehave")
struct EngineLocatorTests {
    func emptyFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kb-path-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func noEngineNamesWhatWasLookedFor() throws {
        let folder = try emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let runner = CommandRunner(environment: ["PATH": folder.path])
        do {
            _ = try EngineLocator.locate(nil, runner: runner)
            Issue.record("found an engine in an empty folder")
        } catch {
            #expect(error == .notFound(lookedFor: ["docker", "podman", "buildah"], path: folder.path, tried: ["docker: not found", "podman: not found", "buildah: not found"]))
            #expect(error.description.hasPrefix("no usable container engine: looked for docker, podman and buildah on PATH=\(folder.path)"))
        }
        do {
            _ = try EngineLocator.locate(.podman, runner: runner)
        } catch {
            #expect(error.description.hasPrefix("no usable container engine: looked for podman on PATH="))
        }
    }

    /// The docker client without a daemon (as on this machine), and DOCKER_HOST honoured:
    /// the message names the host docker was told to use.
    @Test func dockerWithoutADaemonIsExplained() throws {
        let found = CommandRunner.which("docker", environment: ProcessInfo.processInfo.environment)
        if found == nil {
            FileHandle.standardError.write(Data("KBRecordTests: skipped dockerWithoutADaemonIsExplained: no docker client installed\n".utf8))
            try Test.cancel("no docker client installed")
        }
        let docker = found!
        var environment = ProcessInfo.processInfo.environment
        environment["DOCKER_HOST"] = "tcp://127.0.0.1:9"  // the discard port: nothing answers there
        let engine = DockerEngine(executable: docker, runner: CommandRunner(environment: environment))
        let outcome: Result<EngineInfo, EngineError>
        do {
            outcome = .success(try engine.identify())
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case let .failure(.unusable(name, reason)):
            #expect(name == "docker")
            #expect(reason.hasPrefix("the docker client is there but no daemon answered at DOCKER_HOST=tcp://127.0.0.1:9: "))
            #expect(reason.contains("Cannot connect to the Docker daemon at tcp://127.0.0.1:9"))
        default:
            Issue.record("expected docker to be unusable at tcp://127.0.0.1:9, got \(outcome)")
        }
    }

    @Test func aBuildxBuilderIsUsedForBuilds() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["BUILDX_BUILDER"] = "cluster"
        let fromEnvironment = DockerEngine(executable: URL(fileURLWithPath: "/usr/bin/docker"), runner: CommandRunner(environment: environment))
        #expect(fromEnvironment.buildxBuilder == "cluster")
        let named = DockerEngine(executable: URL(fileURLWithPath: "/usr/bin/docker"), runner: CommandRunner(environment: environment), builder: "remote")
        #expect(named.buildxBuilder == "remote")
        environment["BUILDX_BUILDER"] = nil
        #expect(DockerEngine(executable: URL(fileURLWithPath: "/usr/bin/docker"), runner: CommandRunner(environment: environment)).buildxBuilder == nil)
    }

    /// An engine that prints junk where JSON belongs: the example fails with a message that
    /// quotes it, and results.json is not touched. (A stand-in program: no real engine can be
    /// made to print junk on purpose.)
    @Test func anEngineThatPrintsJunk() throws {
        let folder = try emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = folder.appendingPathComponent("buildah")
        let script = """
            #!/bin/sh
            case "$1" in
              version) echo '{"version": "9.9.9"}' ;;
              build) echo "STEP 1/1: FROM scratch" ;;
              inspect) echo 'WARN[0000] storage is corrupt'; echo '<html>Service Unavailable</html>' ;;
              *) ;;
            esac
            """
        _ = FileManager.default.createFile(atPath: fake.path, contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
        let runner = CommandRunner(environment: ["PATH": folder.path + ":/usr/bin:/bin"])
        let located = try EngineLocator.locate(.buildah, runner: runner)
        #expect(located.info == EngineInfo(name: "buildah", version: "9.9.9"))

        let kb = try FixtureKnowledgeBase(examples: ["examples/c-static-scratch"])
        let outcome = Recorder(engine: located.engine, engineInfo: located.info).record(try #require(try kb.catalog()["c-static-scratch"]))
        guard case let .failed(step, message) = outcome.result else {
            Issue.record("expected a failure, got \(outcome.report)")
            return
        }
        #expect(step == .measure)
        #expect(message == "unexpected output from buildah inspect: not JSON (unexpected character 'W': a value was expected at 1:1); it printed: WARN[0000] storage is corrupt <html>Service Unavailable</html>")
        #expect(!FileManager.default.fileExists(atPath: kb.folder("c-static-scratch").appendingPathComponent("results.json").path))
    }
}
