import KBDockerfile
import KBTestSupport
import Testing

/// Inputs that must not crash the parser (or make it slow), whatever they are.
@Suite struct RobustnessTests {
    func parseOrReject(_ source: String) -> Dockerfile? {
        try? DockerfileParser.parse(source)
    }

    @Test func invalidUTF8IsReplacedNotFatal() throws {
        let bytes: [UInt8] = Array("FROM a\nRUN echo ".utf8) + [0xFF, 0xC3, 0x28, 0xE2, 0x82] + Array("\nCMD [\"".utf8) + [0xF0, 0x9F] + Array("\"]\n".utf8)
        let df = try DockerfileParser.parse(utf8: bytes)
        #expect(df.instructions.count == 3)
        #expect(df.instructions[1].arguments[0].hasPrefix("echo \u{FFFD}"))
        #expect(df.instructions[2].isJSONForm)
        let viaString = try DockerfileParser.parse(String(decoding: bytes, as: UTF8.self))
        #expect(viaString.dump() == df.dump())
    }

    @Test func arbitraryBytesNeverCrash() {
        var rng = SplitMix(seed: 7)
        for _ in 0..<2_000 {
            let count = Int(rng.next() % 200)
            var bytes: [UInt8] = []
            for _ in 0..<count {
                let r = rng.next()
                // bias towards the characters the parser cares about
                let special: [UInt8] = [0x0A, 0x0D, 0x5C, 0x60, 0x23, 0x22, 0x27, 0x5B, 0x5D, 0x3C, 0x2D, 0x3D, 0x24, 0x7B, 0x7D, 0x20, 0x09]
                bytes.append(r % 3 == 0 ? special[Int(r >> 8) % special.count] : UInt8(truncatingIfNeeded: r >> 16))
            }
            let prefix: [UInt8] = rng.next() % 2 == 0 ? Array("RUN ".utf8) : Array("COPY <<E ".utf8)
            _ = parseOrReject(String(decoding: prefix + bytes, as: UTF8.self))
            _ = DockerfileTokenizer.tokens(in: String(decoding: prefix + bytes, as: UTF8.self))
        }
    }

    @Test func tenMegabytesParse() throws {
        var source = "# syntax=docker/dockerfile:1\nFROM alpine:3.19 AS build\n"
        let block = """
            RUN apt-get update \\
                && apt-get install -y --no-install-recommends curl ca-certificates \\
                && rm -rf /var/lib/apt/lists/*
            COPY --from=build --chown=1000:1000 /src/app /usr/local/bin/app
            ENV PATH=/usr/local/bin:$PATH LANG=C.UTF-8

            """
        while source.utf8.count < 10_000_000 { source += block }
        let clock = ContinuousClock()
        let start = clock.now
        let df = try DockerfileParser.parse(source)
        let elapsed = clock.now - start
        #expect(df.instructions.count > 30_000)
        #expect(elapsed < .seconds(30))
    }

    @Test func aHundredThousandContinuationLines() throws {
        var source = "FROM a\nRUN true"
        for i in 0..<100_000 { source += " \\\n  && echo \(i)" }
        source += "\n"
        let df = try DockerfileParser.parse(source)
        #expect(df.instructions.count == 2)
        #expect(df.instructions[1].range.end.line == 100_002)
        let tokens = DockerfileTokenizer.tokens(in: source)
        #expect(TokenCoverage.isContiguous(tokens, byteCount: source.utf8.count))
        #expect(tokens.filter { $0.kind == .continuation }.count == 100_000)
    }

    @Test func unterminatedHeredocAndJSON() {
        #expect(throws: ParseError.self) { try DockerfileParser.parse("FROM a\nRUN <<EOF\n" + String(repeating: "x\n", count: 10_000)) }
        let df = parseOrReject("FROM a\nCMD [\"a\", \"b\"" + String(repeating: ", \"c\"", count: 5_000))
        #expect(df?.instructions[1].isJSONForm == false)
        let deep = parseOrReject("CMD " + String(repeating: "[", count: 60_000))
        #expect(deep?.instructions[0].isJSONForm == false)
    }

    @Test func manyHeredocsAndQuotes() throws {
        var source = "FROM a\nRUN"
        for i in 0..<2_000 { source += " <<E\(i)" }
        source += "\n"
        for i in 0..<2_000 { source += "body\nE\(i)\n" }
        let df = try DockerfileParser.parse(source)
        #expect(df.instructions[1].heredocs.count == 2_000)
        let quotes = "FROM a\nRUN " + String(repeating: "\"'", count: 30_000) + "\n"
        #expect(throws: Never.self) { try DockerfileParser.parse(quotes) }
    }

    @Test func pathologicalLinesStayLinear() throws {
        // thousands of flags on one long non-ASCII line: every flag's column is found fast
        let flags = Array(repeating: "--é=ü", count: 7_000).joined(separator: " ")  // 56 KB: under the 64 KB line limit
        let clock = ContinuousClock()
        let start = clock.now
        let df = try DockerfileParser.parse("COPY " + flags + " a b\n")
        #expect(df.instructions[0].flags.count == 7_000)
        #expect(df.instructions[0].flags.last?.range.start.column == 6 + 6 * 6_999)
        // thousands of distinct variables on a heredoc line go through the lexer once
        let lineVars = (0..<6_000).map { "$v\($0)" }.joined(separator: " ")
        let heredoc = try DockerfileParser.parse("RUN \"x\" <<EOF " + lineVars + "\nEOF\n")
        #expect(heredoc.instructions[0].heredocs.count == 1)
        let vars = (0..<50_000).map { "$v\($0)" }.joined(separator: " ")
        let result = try ShellLexer().process(vars)
        #expect(result.unsetVariables.count == 50_000)
        #expect(clock.now - start < .seconds(20))
    }

    @Test func lexerPatternsStayPolynomial() throws {
        let value = String(repeating: "a", count: 2_000)
        let pattern = String(repeating: "*a", count: 40) + "b"
        let lexer = ShellLexer()
        #expect(try lexer.expand("${V#\(pattern)}", environment: ["V": value]) == value)
        #expect(try lexer.expand("${V//\(pattern)/x}", environment: ["V": value]) == value)
    }
}
