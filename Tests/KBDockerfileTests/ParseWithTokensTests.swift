import Foundation
import KBDockerfile
import KBTestSupport
import Testing

/// `parseWithTokens` tokenizes from the parse the linter makes anyway; its tokens must be the
/// tokenizer's own, and `CompactTokens` must give every kind and range back.
@Suite struct ParseWithTokensTests {
    /// The same Dockerfile and the tokenizer's tokens when the file parses; a throw otherwise.
    func check(_ source: String, _ label: String) {
        let parsed = try? DockerfileParser.parseWithTokens(source)
        let plain = try? DockerfileParser.parse(source)
        #expect((parsed == nil) == (plain == nil), "\(label)")
        guard let (dockerfile, tokens) = parsed, let plain else { return }
        #expect(dockerfile.dump() == plain.dump(), "\(label)")
        #expect(tokens == DockerfileTokenizer.tokens(in: source), "\(label)")
        let compact = CompactTokens(tokens)
        #expect(compact?.map(\.kind) == tokens.map(\.kind), "\(label)")
        #expect(compact?.map(\.range) == tokens.map(\.range), "\(label)")
    }

    @Test func realWorldFixtures() throws {
        let folder = Conformance.packageRoot.appendingPathComponent("Tests/KBDockerfileTests/Fixtures/real-world")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".Dockerfile") }
        #expect(names.count >= 25)
        for name in names {
            check(String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self), name)
        }
    }

    @Test func examplesOfTheKnowledgeBase() throws {
        let examples = Conformance.packageRoot.appendingPathComponent("Examples")
        var parsed = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted() {
            guard let data = FileManager.default.contents(atPath: examples.appendingPathComponent(name + "/Dockerfile").path) else { continue }
            let source = String(decoding: data, as: UTF8.self)
            check(source, name)
            if (try? DockerfileParser.parse(source)) != nil { parsed += 1 }
        }
        #expect(parsed >= 40)
    }

    @Test(.enabled(if: Conformance.isAvailable)) func buildKitVectors() throws {
        var files = Conformance.positiveCases.map { "testfiles/\($0)/Dockerfile" }
        files += Conformance.negativeCases.map { "testfiles-negative/\($0)/Dockerfile" }
        for file in files { check(try Conformance.read(file), file) }
    }

    @Test func randomInputs() {
        var rng = SplitMix(seed: 17)
        let pieces = ["FROM a", "RUN", "ENV", "COPY", "ONBUILD", "CMD", " ", "\t", "\\", "`", "\n", "\r\n", "#", "\"", "# escape=`\n",
                      "'", "$", "{", "}", "[", "]", ",", "=", "--x=1", "<<EOF", "EOF", "<<-", "é", "\u{00A0}", "a", "\nFROM b\n"]
        for _ in 0..<1_000 {
            var s = ""
            for _ in 0..<Int(rng.next() % 60) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
            check(s, s.debugDescription)
        }
    }

    @Test func compactTokensRefuseWhatTheyCannotHold() {
        let huge = [Token(kind: .text, range: 0..<(1 << 28), line: 1)]
        #expect(CompactTokens(huge) == nil)
        let small = [Token(kind: .heredocBody, range: 5..<9, line: 2), Token(kind: .punctuation, range: (1 << 28) - 2..<((1 << 28) - 1), line: 3)]
        #expect(CompactTokens(small)?.map(\.kind) == [.heredocBody, .punctuation])
        #expect(CompactTokens(small)?.map(\.range) == [5..<9, (1 << 28) - 2..<((1 << 28) - 1)])
    }
}
