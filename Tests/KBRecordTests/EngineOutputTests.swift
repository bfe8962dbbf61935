import Foundation
import Testing

@testable import KBRecord

/// The engines' JSON, captured from real engines (see Fixtures/engine-output/README.md).
@Suite("Engine output parsing")
struct EngineOutputTests {
    static let folder = Fixtures.root.appendingPathComponent("engine-output")

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func versions() throws {
        #expect(try EngineOutput.buildahVersion(Self.fixture("buildah-version.json")) == "1.28.2")
        #expect(try EngineOutput.podmanVersion(Self.fixture("podman-version.json")) == "4.3.1")
        let server = #"{"Client":{"Version":"28.2.2"},"Server":{"Version":"27.5.1","Os":"linux","Arch":"amd64"}}"#
        #expect(try EngineOutput.dockerVersion(server) == "27.5.1")
    }

    @Test func dockerClientWithoutDaemon() throws {
        let text = try Self.fixture("docker-version-no-daemon.json")
        #expect(throws: EngineOutput.Unexpected.self) { try EngineOutput.dockerVersion(text) }
        do {
            _ = try EngineOutput.dockerVersion(text)
        } catch {
            #expect(error.reason == "no Docker daemon answered (\"Server\" is null)")
        }
    }

    @Test func buildahInspectOfAStaticBinaryOnScratch() throws {
        let facts = try EngineOutput.buildahInspect(Self.fixture("buildah-inspect-static-scratch.json"))
        #expect(facts == ImageFacts(sizeBytes: 764_416, layers: 1, platform: "linux/amd64", command: ["/hello"]))
    }

    @Test func buildahInspectOfAMultiStageBuildOnSlim() throws {
        let facts = try EngineOutput.buildahInspect(Self.fixture("buildah-inspect-multistage-slim.json"))
        #expect(facts == ImageFacts(sizeBytes: 76_768_768, layers: 2, platform: "linux/amd64", command: ["hello"]))
    }

    @Test func podmanImageInspect() throws {
        let scratch = try EngineOutput.imageInspect(Self.fixture("podman-image-inspect-static-scratch.json"), source: "podman image inspect")
        #expect(scratch == ImageFacts(sizeBytes: 766_038, layers: 1, platform: "linux/amd64", command: ["/hello"]))
        let slim = try EngineOutput.imageInspect(Self.fixture("podman-image-inspect-multistage-slim.json"), source: "podman image inspect")
        #expect(slim == ImageFacts(sizeBytes: 76_771_213, layers: 2, platform: "linux/amd64", command: ["hello"]))
    }

    @Test func dockerImageInspectWithAVariant() throws {
        let facts = try EngineOutput.imageInspect(Self.fixture("docker-image-inspect-written.json"), source: "docker image inspect")
        #expect(facts == ImageFacts(sizeBytes: 762_704, layers: 1, platform: "linux/arm64/v8", command: ["/hello"]))
    }

    @Test func entrypointComesBeforeCmd() throws {
        let text = #"[{"Size": 10, "RootFS": {"Layers": ["a", "b"]}, "Os": "linux", "Architecture": "amd64", "Config": {"Entrypoint": ["/bin/app", "--flag"], "Cmd": ["serve"]}}]"#
        let facts = try EngineOutput.imageInspect(text, source: "docker image inspect")
        #expect(facts.command == ["/bin/app", "--flag", "serve"])
        #expect(facts.layers == 2)
    }

    @Test(arguments: [
        ("WARN[0000] storage is corrupt\n<html>not json</html>\n", "not JSON (unexpected character 'W': a value was expected at 1:1)"),
        ("", "not JSON (unexpected end of the file: a value was expected at 1:1)"),
        ("[]", "expected a list with one image"),
        (#"[{"Size": "big", "RootFS": {"Layers": []}}]"#, "no image size (\"Size\")"),
        (#"[{"Size": 1, "Os": "linux", "Architecture": "amd64"}]"#, "no layer list (\"RootFS.Layers\")"),
        (#"[{"Size": 1, "RootFS": {"Layers": []}}]"#, "no operating system and architecture"),
    ])
    func junkFromImageInspect(text: String, reason: String) {
        do {
            _ = try EngineOutput.imageInspect(text, source: "docker image inspect")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.reason == reason)
            #expect(error.description.hasPrefix("unexpected output from docker image inspect: \(reason)"))
        }
    }

    @Test func junkFromBuildahInspect() throws {
        let real = try Self.fixture("buildah-inspect-static-scratch.json")
        let broken = real.replacingOccurrences(of: "\"Manifest\": \"{", with: "\"Manifest\": \"<{")
        do {
            _ = try EngineOutput.buildahInspect(broken)
            Issue.record("accepted a broken manifest")
        } catch {
            #expect(error.source == "buildah inspect (Manifest)")
            #expect(error.reason.hasPrefix("not JSON"))
        }
        #expect(throws: EngineOutput.Unexpected.self) { try EngineOutput.buildahVersion("buildah version 1.28.2 (image-spec 1.1.0-rc2)") }
    }

    @Test func workingContainerName() throws {
        #expect(try EngineOutput.containerName("kb-run-x-1-abc\n", source: "buildah from") == "kb-run-x-1-abc")
        #expect(try EngineOutput.containerName("Getting image source signatures\nkb-run-x\n", source: "buildah from") == "kb-run-x")
        #expect(throws: EngineOutput.Unexpected.self) { try EngineOutput.containerName("\n", source: "buildah from") }
    }

    /// kb names a run container kb-run-SLUG-PID-RANDOM; the PID says whose it is.
    @Test func theProcessThatNamedARunContainer() {
        #expect(Recorder.runContainerOwner("kb-run-go-hello-scratch-1234-1g7873d") == 1234)
        #expect(Recorder.runContainerOwner("kb-run-x-1-abc") == 1)
        #expect(Recorder.runContainerOwner(Recorder.containerName(for: "c-static-glibc-scratch")) == getpid())
        #expect(Recorder.runContainerOwner("kb-run-x") == nil)
        #expect(Recorder.runContainerOwner("kb-run-x-abc") == nil)
        #expect(Recorder.runContainerOwner("kb-run-x-0-abc") == nil)
        #expect(Recorder.runContainerOwner("kb-run-x-12-ABC") == nil)
        #expect(Recorder.runContainerOwner("kb-run-x-12-") == nil)
        #expect(Recorder.runContainerOwner("debian-working-container-1234-abc") == nil)
        #expect(Recorder.runContainerOwner("kb-run-podman-probe-77") == nil)
    }

    @Test func refusalsAreToldApartFromFailingPrograms() {
        #expect(RuntimeRefusal.reason(in: "Error: crun: setrlimit `RLIMIT_NOFILE`: Operation not permitted: OCI permission denied\n")?
            .hasPrefix("the OCI runtime may not set the container's resource limits here") == true)
        #expect(RuntimeRefusal.reason(in: "error running container: from /usr/bin/crun creating container for [/hello]: cgroups in hybrid mode not supported, drop all controllers from cgroupv2\n") != nil)
        // A dynamic binary in an empty image is the example's own failure, not a refusal.
        #expect(RuntimeRefusal.reason(in: "Error: crun: executable file `/hello` not found: No such file or directory: OCI runtime attempted to invoke a command that was not found\n") == nil)
        #expect(RuntimeRefusal.reason(in: "process failed to start with error: fork/exec /hello: no such file or directory") == nil)
    }
}

enum Fixtures {
    /// Tests/KBRecordTests/Fixtures (excluded from the target in Package.swift: it holds C
    /// sources and Dockerfiles of examples, not the tests' own code).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
