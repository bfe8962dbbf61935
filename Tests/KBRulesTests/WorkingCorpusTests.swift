import Foundation
import KBDockerfile
@testable import KBRules
import Testing

/// The quality bar: an image that builds and runs gets no error-severity finding.
/// `Fixtures/working/` holds Dockerfiles of images that build and run (Go, Java, Rust,
/// C and C++, Python, Node, Ruby, PHP, nginx; scratch, distroless, Alpine, slim;
/// heredocs, ONBUILD, ARG in FROM…), each in its own folder, which is its build context
/// as `kb lint` would use it.
@Suite struct WorkingCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/working").standardizedFileURL

    static let files: [URL] = DockerfileDiscovery.find(in: folder)

    static func name(_ file: URL) -> String {
        String(file.deletingLastPathComponent().path.dropFirst(folder.path.count + 1))
    }

    static func lint(_ file: URL) throws -> Linter.Result {
        let source = try String(contentsOf: file, encoding: .utf8)
        let context = BuildContextFiles.load(folder: file.deletingLastPathComponent())
        return Linter().lint(source, file: name(file), context: context)
    }

    @Test func corpusIsLargeAndVaried() throws {
        #expect(Self.files.count >= 40)
        var sources: [String] = []
        for file in Self.files { sources.append(try String(contentsOf: file, encoding: .utf8)) }
        let all = sources.joined(separator: "\n")
        for needle in [
            "FROM scratch", "gcr.io/distroless/", "alpine", "-slim", "golang:", "eclipse-temurin:", "rust:", "gcc:",
            "python:", "node:", "ruby:", "php:", "nginx:", "<<EOF", "ONBUILD ", "FROM ${", "--platform=$BUILDPLATFORM",
            "COPY --from=0 ", "jlink ", "cargo build", "go build", "g++ ", "musl-gcc",
        ] {
            #expect(all.contains(needle), "no fixture has \(needle)")
        }
    }

    @Test(arguments: WorkingCorpusTests.files.map(WorkingCorpusTests.name))
    func noErrorFinding(_ name: String) throws {
        let file = Self.folder.appendingPathComponent(name).appendingPathComponent("Dockerfile")
        let result = try Self.lint(file)
        #expect(result.dockerfile != nil, "\(name) does not parse: \(result.diagnostics.map(\.message))")
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map { "\($0.line): \($0.message) [\($0.rule)]" })")
    }

    /// The model sees what these fixtures do: the silence above is knowledge, not blindness.
    @Test func modelUnderstandsTheCorpus() throws {
        func model(_ name: String) throws -> BuildModel {
            try #require(try Self.lint(Self.folder.appendingPathComponent(name).appendingPathComponent("Dockerfile")).model)
        }
        func shipped(_ name: String) throws -> [Artifact] {
            try #require(try model(name).finalStage).artifacts.filter { $0.kind == .nativeBinary }
        }
        // cgo on, nothing that needs it (the context's main.go imports fmt and os): static.
        #expect(try shipped("go-plain-cgo-default").map(\.linkage) == [.static])
        // cgo on with go-sqlite3: glibc, and distroless/base has glibc.
        #expect(try shipped("go-cgo-distroless-base").map(\.linkage) == [.dynamic(.glibc)])
        #expect(try model("go-cgo-distroless-base").finalStage?.traits?.libc == .glibc)
        // musl built, musl run.
        #expect(try shipped("c-alpine-musl-runtime").map(\.linkage) == [.dynamic(.musl)])
        #expect(try model("c-alpine-musl-runtime").finalStage?.traits?.libc == .musl)
        // rust:alpine links musl statically; -crt-static turns that off.
        #expect(try shipped("rust-alpine-scratch").map(\.linkage) == [.static])
        #expect(try shipped("rust-alpine-dynamic-musl").map(\.linkage) == [.dynamic(.musl)])
        #expect(try shipped("rust-musl-target-scratch").map(\.linkage) == [.static])
        // ARG defaults in FROM.
        let go = try model("arg-go-version")
        #expect(go.stages.map(\.baseText) == ["golang:1.22-alpine3.19", "alpine:3.19"])
        // A copied root file system brings a passwd file, or leaves it unknown.
        #expect(try model("rootfs-scratch").finalStage?.traits?.hasPasswd == true)
        #expect(try model("squash-scratch").finalStage?.traits?.hasShell == true)
        #expect(try model("apk-root-scratch").finalStage?.traits?.libc == nil)
        // jlink on musl, run on musl.
        let jre = try model("java-jlink-alpine").finalStage?.artifacts.filter { $0.kind == .javaRuntime }
        #expect(jre?.map(\.libc) == [.musl])
    }
}
