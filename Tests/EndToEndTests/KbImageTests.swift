import Foundation
import Testing

/// kb's own Dockerfile, its .dockerignore and the example that records the image
/// (Examples/swift-static-stdlib-slim, built with the repository's root as its context).
@Suite struct KbImageTests {
    static let root = ProjectKnowledgeBaseTests.root
    static let slug = "swift-static-stdlib-slim"

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func theDockerfileIsCleanUnderLint() throws {
        let result = try KBBinary.run(["lint", "--fail-on", "style", "Dockerfile"], in: Self.root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    /// The .dockerignore is an allowlist of exactly what the Dockerfile copies from the context,
    /// so the recording's digest covers what the image is built from and nothing else.
    @Test func theDockerignoreLetsInWhatTheDockerfileCopies() throws {
        let patterns = try Self.read(".dockerignore").split(separator: "\n").map(String.init)
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        #expect(patterns.first == "*")
        let kept = Set(patterns.filter { $0.hasPrefix("!") }.map { String($0.dropFirst()) })
        var copied: Set<String> = []
        for line in try Self.read("Dockerfile").split(separator: "\n") where line.hasPrefix("COPY ") && !line.contains("--from") {
            let words = line.split(separator: " ").dropFirst().filter { !$0.hasPrefix("--") }
            copied.formUnion(words.dropLast().map(String.init))
        }
        #expect(!copied.isEmpty)
        #expect(copied == kept)
    }

    @Test func theExampleBuildsTheRootAndExpectsWhatKbPrints() throws {
        let manifest = try Self.read("Examples/\(Self.slug)/example.yaml")
        let lines = manifest.split(separator: "\n").map(String.init)
        #expect(lines.contains("context: ../.."))
        let expected = try #require(lines.first { $0.contains("stdout_contains:") })
            .split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        #expect(try Self.read("Dockerfile").contains("CMD [\"--help\"]"))
        // What the image's command prints, from the kb built here.
        let help = try KBBinary.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains(expected), "kb --help no longer prints \(expected)")
    }

    /// Its recording goes stale whenever kb's sources change: that must stay a warning, so no
    /// table or inline figure of an article may use it (they would make it an error).
    @Test func noArticleCitesItsSize() throws {
        let content = Self.root.appendingPathComponent("Content")
        let files = FileManager.default.enumerator(atPath: content.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".md") } ?? []
        for file in files {
            let text = try String(contentsOf: content.appendingPathComponent(file), encoding: .utf8)
            for span in text.components(separatedBy: "`kb:").dropFirst() {
                let figure = span.components(separatedBy: "`").first ?? ""
                #expect(!figure.split(separator: " ").contains(Substring(Self.slug)), "Content/\(file) cites kb:\(figure)")
            }
            for block in text.components(separatedBy: "```kb-sizes").dropFirst() {
                let body = block.components(separatedBy: "```").first ?? ""
                #expect(!body.contains(Self.slug), "Content/\(file) has a size table with \(Self.slug)")
            }
        }
    }
}
