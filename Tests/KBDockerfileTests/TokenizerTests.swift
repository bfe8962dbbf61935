import Foundation
import KBDockerfile
import KBTestSupport
import Testing

@Suite struct TokenizerTests {
    func kinds(_ source: String) -> [(Token.Kind, String)] {
        DockerfileTokenizer.tokens(in: source).map { ($0.kind, $0.text(in: source)) }
    }

    func check(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let tokens = DockerfileTokenizer.tokens(in: source)
        #expect(TokenCoverage.isContiguous(tokens, byteCount: source.utf8.count), sourceLocation: sourceLocation)
        #expect(TokenCoverage.reassemble(tokens, source) == source, sourceLocation: sourceLocation)
    }

    @Test func kindsOfASmallFile() {
        let source = "# syntax=docker/dockerfile:1\nFROM --platform=linux/amd64 alpine AS build\n# note\nRUN echo \"$HOME\" \\\n  && ls ${DIR:-/}\nCMD [\"a\", \"b\"]\nENV A=1 B=\"x y\"\n"
        let got = kinds(source).filter { $0.0 != .whitespace }
        let expected: [(Token.Kind, String)] = [
            (.directive, "# syntax=docker/dockerfile:1"), (.newline, "\n"),
            (.keyword, "FROM"), (.flag, "--platform=linux/amd64"), (.text, "alpine"), (.keyword, "AS"),
            (.text, "build"), (.newline, "\n"),
            (.comment, "# note"), (.newline, "\n"),
            (.keyword, "RUN"), (.text, "echo"), (.string, "\""), (.variable, "$HOME"), (.string, "\""),
            (.continuation, "\\"), (.newline, "\n"),
            (.text, "&&"), (.text, "ls"), (.variable, "${DIR:-/}"), (.newline, "\n"),
            (.keyword, "CMD"), (.punctuation, "["), (.string, "\"a\""), (.punctuation, ","), (.string, "\"b\""),
            (.punctuation, "]"), (.newline, "\n"),
            (.keyword, "ENV"), (.text, "A"), (.operator, "="), (.text, "1"), (.text, "B"), (.operator, "="),
            (.string, "\"x y\""), (.newline, "\n"),
        ]
        #expect(got.map(\.0) == expected.map(\.0))
        #expect(got.map(\.1) == expected.map(\.1))
        check(source)
    }

    @Test func heredocsAndContinuationComments() {
        let source = "FROM a\nRUN <<-EOF bash \\\n# inside\n  -x\n\techo hi\n\tEOF\nCOPY <<A /a\nbody\nA"
        let got = kinds(source)
        #expect(got.contains { $0 == (.heredocMarker, "<<-EOF") })
        #expect(got.contains { $0 == (.comment, "# inside") })
        #expect(got.contains { $0 == (.heredocBody, "\techo hi") })
        #expect(got.contains { $0 == (.heredocMarker, "EOF") })
        #expect(got.contains { $0 == (.heredocMarker, "<<A") })
        #expect(got.contains { $0 == (.heredocBody, "body") })
        #expect(got.last! == (.heredocMarker, "A"))
        check(source)
        let lines = DockerfileTokenizer.tokens(in: source).filter { $0.kind == .heredocBody }.map(\.line)
        #expect(lines == [5, 8])
    }

    @Test func tokensCarryLineNumbers() {
        let source = "FROM a\r\n\r\nRUN x \\\r\n  y\r\n"
        let tokens = DockerfileTokenizer.tokens(in: source)
        #expect(tokens.filter { $0.kind == .keyword }.map(\.line) == [1, 3])
        #expect(tokens.filter { $0.kind == .newline }.map { $0.text(in: source) } == ["\r\n", "\r\n", "\r\n", "\r\n"])
        #expect(tokens.first { $0.text(in: source) == "y" }?.line == 4)
        check(source)
    }

    @Test func badInputDegradesToText() {
        for source in ["ENV PATH\n", "CMD [1, 2]\n", "# escape=x\nFROM a\n", "RUN <<EOF\nnever ends",
                       "\u{FEFF}", "", "\n\n", "\\", "FROM a\n# escape=`\n", "CMD [\"a\"] tail", "ONBUILD",
                       "ONBUILD ONBUILD RUN <<X\nX\n", String(decoding: [0xFF, 0xFE, 0x0A, 0xC3], as: UTF8.self)] {
            check(source)
        }
    }

    @Test func realWorldFixturesTokenizeExactly() throws {
        let folder = Conformance.packageRoot.appendingPathComponent("Tests/KBDockerfileTests/Fixtures/real-world")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".Dockerfile") }
        #expect(names.count >= 25)
        for name in names {
            let source = String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
            check(source)
            let tokens = DockerfileTokenizer.tokens(in: source)
            #expect(tokens.contains { $0.kind == .keyword }, "\(name)")
        }
    }

    @Test func randomInputsAreCoveredExactly() {
        var rng = SplitMix(seed: 42)
        let pieces = ["FROM", "RUN", "ENV", "COPY", "ONBUILD", "CMD", " ", "\t", "\\", "`", "\n", "\r\n", "#", "\"",
                      "'", "$", "{", "}", "[", "]", ",", "=", "--x=1", "<<EOF", "EOF", "<<-", "é", "\u{00A0}", "a"]
        for _ in 0..<300 {
            var s = ""
            for _ in 0..<Int(rng.next() % 60) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
            check(s)
        }
    }
}
