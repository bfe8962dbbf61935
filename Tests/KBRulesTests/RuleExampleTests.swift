import Foundation
import KBDockerfile
@testable import KBRules
import Testing

/// Every rule's declared examples are its tests: a triggering example must produce
/// findings exactly on its `↓` lines, a passing one none at all.
@Suite struct RuleExampleTests {
    static let cases: [(id: String, index: Int)] = RuleRegistry.all.flatMap { rule in
        rule.description.examples.indices.map { (rule.description.id, $0) }
    }

    @Test(arguments: RuleExampleTests.cases.map { "\($0.id)#\($0.index)" })
    func example(_ key: String) throws {
        let parts = key.split(separator: "#")
        let rule = try #require(RuleRegistry.rule(String(parts[0])))
        let description = type(of: rule).description
        let example = description.examples[Int(parts[1])!]
        let context = example.context.isEmpty ? nil : BuildContextFiles(files: example.context)
        let result = Linter().lint(
            example.source, file: "Dockerfile", context: context,
            options: .init(target: example.target, onlyRules: [description.id]))
        let lines = result.diagnostics.filter { $0.rule == description.id }.map(\.line)
        if example.triggers {
            #expect(!example.markedLines.isEmpty, "\(key): a triggering example needs ↓ markers")
            #expect(Array(Set(lines)).sorted() == example.markedLines, "\(key): findings \(result.diagnostics.map { "\($0.line): \($0.message)" })")
        } else {
            #expect(lines.isEmpty, "\(key): unexpected \(result.diagnostics.map { "\($0.line): \($0.message)" })")
        }
    }
}

@Suite struct RuleRegistryTests {
    @Test func idsAndNamesAreUniqueAndWellFormed() {
        let descriptions = RuleRegistry.descriptions
        #expect(Set(descriptions.map(\.id)).count == descriptions.count)
        #expect(Set(descriptions.map(\.name)).count == descriptions.count)
        for description in descriptions {
            #expect(description.id.wholeMatch(of: /KB[0-3][0-9]{2}/) != nil, "\(description.id)")
            #expect(description.name.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil, "\(description.name)")
            #expect(!description.summary.isEmpty && !description.rationale.isEmpty)
            #expect(description.examples.contains { $0.triggers }, "\(description.id) has no triggering example")
            #expect(description.examples.contains { !$0.triggers }, "\(description.id) has no passing example")
            let hundreds = Int(description.id.dropFirst(2).prefix(1))!
            let expected: RuleDescription.Category = [.syntax, .minimalImage, .imageSize, .practice][hundreds]
            #expect(description.category == expected, "\(description.id) is in the wrong hundred for its category")
        }
    }

    /// A rule file that is not registered would never run.
    @Test func everyRuleFileIsRegistered() throws {
        let rulesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/KBRules/Rules").standardizedFileURL
        let enumerator = try #require(FileManager.default.enumerator(atPath: rulesFolder.path))
        var declared: [String] = []
        while let path = enumerator.nextObject() as? String {
            guard path.hasSuffix(".swift") else { continue }
            let text = try String(contentsOf: rulesFolder.appendingPathComponent(path), encoding: .utf8)
            for match in text.matches(of: /struct (\w+): Rule \{/) { declared.append(String(match.1)) }
        }
        let registered = RuleRegistry.all.map { String(describing: $0) }
        #expect(declared.sorted() == registered.sorted())
    }

    @Test func lookupByIDOrName() {
        #expect(RuleRegistry.rule("kb001").map { type(of: $0).description.name } == "parse-error")
        #expect(RuleRegistry.rule("parse-error").map { type(of: $0).description.id } == "KB001")
        #expect(RuleRegistry.rule("KB999") == nil)
    }
}
