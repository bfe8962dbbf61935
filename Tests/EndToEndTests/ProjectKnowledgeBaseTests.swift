import Foundation
import Testing

/// The knowledge base in this repository is checked like any other: CI goes red when an
/// article, an example or a recorded number is wrong.
@Suite struct ProjectKnowledgeBaseTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL

    @Test func projectKnowledgeBasePassesCheck() throws {
        let result = try KBBinary.run(["check", "--root", Self.root.path])
        #expect(result.status == 0, "kb check failed:\n\(result.stdout.split(separator: "\n").filter { $0.contains(": error:") }.prefix(40).joined(separator: "\n"))")
    }

    @Test func everyRuleIsLinkedFromTheGuide() throws {
        let guide = try String(contentsOf: Self.root.appendingPathComponent("Content/rules-guide.md"), encoding: .utf8)
        #expect(guide.contains("```kb-rules"), "the guide lists every rule through a kb-rules block")
    }
}
