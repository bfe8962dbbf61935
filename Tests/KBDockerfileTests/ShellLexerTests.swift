import KBDockerfile
import Testing

@Suite struct ShellLexerTests {
    let lexer = ShellLexer()

    struct Case: CustomTestStringConvertible, Sendable {
        var input: String
        var env: [String: String]
        var expected: String?  // nil: an error
        var matched: Set<String> = []
        var unmatched: Set<String> = []
        var testDescription: String { input }
    }

    /// BuildKit's TestProcessWithMatches vectors.
    static let cases: [Case] = [
        Case(input: "x", env: ["DUMMY": "dummy"], expected: "x"),
        Case(input: "x ${UNUSED}", env: ["DUMMY": "dummy"], expected: "x ", unmatched: ["UNUSED"]),
        Case(input: "x ${FOO}", env: ["FOO": "y"], expected: "x y", matched: ["FOO"]),
        Case(input: "${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", env: ["FOO": "xxx", "BAR": ""], expected: "xxx  ccc",
             matched: ["FOO", "BAR"], unmatched: ["BAZ"]),
        Case(input: "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", env: ["FOO": "xxx", "BAR": ""], expected: "xxx bbb ccc",
             matched: ["FOO", "BAR"], unmatched: ["BAZ"]),
        Case(input: "${FOO:-}", env: ["FOO": "xxx", "BAR": ""], expected: "xxx", matched: ["FOO"]),
        Case(input: "${FOO:-}", env: [:], expected: "", unmatched: ["FOO"]),
        Case(input: "${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", env: ["FOO": "xxx", "BAR": ""], expected: "aaa bbb ",
             matched: ["FOO", "BAR"], unmatched: ["BAZ"]),
        Case(input: "${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", env: ["FOO": "xxx", "BAR": ""], expected: "aaa  ",
             matched: ["FOO", "BAR"], unmatched: ["BAZ"]),
        Case(input: "${FOO?aaa}", env: ["FOO": "xxx", "BAR": ""], expected: "xxx", matched: ["FOO"]),
        Case(input: "${BAR?bbb}", env: ["FOO": "xxx", "BAR": ""], expected: "", matched: ["BAR"]),
        Case(input: "${BAZ?ccc}", env: ["FOO": "xxx", "BAR": ""], expected: nil),
        Case(input: "${FOO:?aaa}", env: ["FOO": "xxx", "BAR": ""], expected: "xxx", matched: ["FOO"]),
        Case(input: "${BAR:?bbb}", env: ["FOO": "xxx", "BAR": ""], expected: nil),
        Case(input: "${BAZ:?ccc}", env: ["FOO": "xxx", "BAR": ""], expected: nil),
        Case(input: "${BAZ:?}", env: ["FOO": "xxx", "BAR": ""], expected: nil),
        Case(input: "${FOO=aaa}", env: ["FOO": "xxx", "BAR": ""], expected: nil),
        Case(input: "${FOO=:aaa}", env: ["FOO": "xxx", "BAR": ""], expected: nil),
        Case(input: "${FOO=}", env: [:], expected: nil),
        Case(input: "${FOO#()[]{\\}^$.\\*\\?|\\\\}", env: ["FOO": "()[]{}^$.*?|\\x"], expected: "x", matched: ["FOO"]),
        Case(input: "${FOO%%\\**}", env: ["FOO": "xx**"], expected: "xx", matched: ["FOO"]),
        Case(input: "${FOO#*x*y}", env: ["FOO": "xxyy"], expected: "y", matched: ["FOO"]),
        Case(input: "${FOO#*}", env: ["FOO": "xxyy"], expected: "xxyy", matched: ["FOO"]),
        Case(input: "${FOO#$BAR}", env: ["FOO": "xxyy", "BAR": "x"], expected: "xyy", matched: ["FOO", "BAR"]),
        Case(input: "${FOO#$BAR}", env: ["FOO": "xxyy", "BAR": ""], expected: "xxyy", matched: ["FOO", "BAR"]),
        Case(input: "${FOO#}", env: ["FOO": "xxyy"], expected: "xxyy", matched: ["FOO"]),
        Case(input: "${FOO##*x}", env: ["FOO": "xxyy"], expected: "yy", matched: ["FOO"]),
        Case(input: "${FOO##}", env: ["FOO": "xxyy"], expected: "xxyy", matched: ["FOO"]),
        Case(input: "${FOO#?\\?}", env: ["FOO": "???y"], expected: "?y", matched: ["FOO"]),
        Case(input: "${ABC:-.}${FOO%x}${ABC:-.}", env: ["FOO": "xxyy"], expected: ".xxyy.", matched: ["FOO"],
             unmatched: ["ABC"]),
        Case(input: "${FOO%%\\**\\*}", env: ["FOO": "a***yy*"], expected: "a", matched: ["FOO"]),
        Case(input: "${FOO%}", env: ["FOO": "xxyy"], expected: "xxyy", matched: ["FOO"]),
        Case(input: "${FOO%%$BAR}", env: ["FOO": "xxyy", "BAR": ""], expected: "xxyy", matched: ["FOO", "BAR"]),
        Case(input: "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", env: ["FOO": "/foo*/*/*.txt", "NEEDLE": "\\*/"],
             expected: "/foo.*/*.txt - /foo..*.txt", matched: ["FOO", "NEEDLE"]),
        Case(input: "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", env: ["FOO": "/tmp/tmp/bar.txt", "NEEDLE": "/tmp"],
             expected: "/tmp/bar.txt - /bar.txt", matched: ["FOO", "NEEDLE"]),
        Case(input: "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
             env: ["FOO": "/a/foo/b/c.txt", "NEEDLE": "/?/", "REPLACEMENT": "/"],
             expected: "/foo/b/c.txt - /foo/c.txt", matched: ["FOO", "NEEDLE", "REPLACEMENT"]),
        Case(input: "${FOO/$NEEDLE/$REPLACEMENT}",
             env: ["FOO": "http://google.de", "NEEDLE": "http://", "REPLACEMENT": "https://"],
             expected: "https://google.de", matched: ["FOO", "NEEDLE", "REPLACEMENT"]),
        Case(input: "${FOO//\\//\\/}", env: ["FOO": "/tmp/foo.txt"], expected: "\\/tmp\\/foo.txt", matched: ["FOO"]),
        Case(input: "${FOO/$BAR/ww}", env: ["FOO": "xxyy", "BAR": ""], expected: "wwxxyy", matched: ["FOO", "BAR"]),
        Case(input: "${FOO//ww}", env: ["FOO": "xxyy"], expected: nil),
        Case(input: "${FOO//}", env: ["FOO": "xxyy"], expected: nil),
        Case(input: "${FOO///}", env: ["FOO": "xxyy"], expected: "xxyy", matched: ["FOO"]),
        Case(input: "${FOO///}", env: [:], expected: "", unmatched: ["FOO"]),
    ]

    @Test(arguments: cases)
    func buildKitMatchVectors(_ c: Case) throws {
        let env = ShellEnvironment(c.env.map { ($0.key, $0.value) })
        guard let expected = c.expected else {
            #expect(throws: ShellLexer.Error.self) { try lexer.process(c.input, environment: env) }
            return
        }
        let result = try lexer.process(c.input, environment: env)
        #expect(result.value == expected)
        #expect(Set(result.referencedVariables) == c.matched)
        #expect(Set(result.unsetVariables) == c.unmatched)
    }

    @Test func mandatoryVariablesReportTheirMessage() throws {
        let noEmpty = "${VAR:?message here$ARG}"
        let noUnset = "${VAR?message here$ARG}"
        let set = ShellEnvironment(assignments: ["VAR=plain", "ARG=x"])
        let empty = ShellEnvironment(assignments: ["VAR=", "ARG=x"])
        let unset = ShellEnvironment(assignments: ["ARG=x"])
        #expect(try lexer.expand(noEmpty, environment: set) == "plain")
        for env in [empty, unset] {
            let e = #expect(throws: ShellLexer.Error.self) { try lexer.expand(noEmpty, environment: env) }
            #expect(e?.message.contains("message herex") == true)
        }
        #expect(try lexer.expand(noUnset, environment: set) == "plain")
        #expect(try lexer.expand(noUnset, environment: empty) == "")
        let e = #expect(throws: ShellLexer.Error.self) { try lexer.expand(noUnset, environment: unset) }
        #expect(e?.message == "failed to process \"${VAR?message here$ARG}\": VAR: message herex")
    }

    @Test func platformStyleNames() throws {
        let word = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz"
        let env: ShellEnvironment = ["VERSION": "v1.2.3", "TARGETOS": "linux", "TARGETARCH": "arm", "TARGETVARIANT": "v7"]
        let r = try lexer.process(word, environment: env)
        #expect(r.value == "something-v1.2.3.linux-arm-v7.tar.gz")
        #expect(r.referencedVariables == ["VERSION", "TARGETOS", "TARGETARCH", "TARGETVARIANT"])
        let noVariant: ShellEnvironment = ["VERSION": "v1.2.3", "TARGETOS": "linux", "TARGETARCH": "amd64"]
        #expect(try lexer.expand(word, environment: noVariant) == "something-v1.2.3.linux-amd64.tar.gz")
    }

    @Test func modifiersAfterColonThatAreNotSupported() {
        for input in ["${A:#x}", "${A:%x}", "${A:/x/y}", "${A:=x}", "${A", "${A:-x", "${A/x"] {
            #expect(throws: ShellLexer.Error.self, "\(input)") { try lexer.expand(input, environment: ["A": "xyz"]) }
        }
    }

    @Test func patternsDoNotCrossLineBreaks() throws {
        let env: ShellEnvironment = ["V": "ab\ncd"]
        #expect(try lexer.expand("${V#*c}", environment: env) == "ab\ncd")
        #expect(try lexer.expand("${V#a?}", environment: env) == "\ncd")
        #expect(try lexer.expand("${V%%*}", environment: env) == "ab\n")
        #expect(try lexer.expand("${V//?/.}", environment: env) == "..\n..")
        #expect(try lexer.expand("${V//x*/-}", environment: ["V": "axbxc"]) == "a-")
        #expect(try lexer.expand("${V//$EMPTY/-}", environment: ["V": "ab"]) == "-a-b-")
        #expect(try lexer.expand("${V//b/[$0]}", environment: ["V": "abc"]) == "a[]c")
    }

    @Test func replaceAllExpandsGoTemplates() throws {
        // BuildKit uses regexp.ReplaceAllString: `$0` is the match, `$$` a dollar sign
        #expect(try lexer.expand("${V//b/<\\$0>}", environment: ["V": "abc"]) == "a<\\b>c")
        #expect(try lexer.expand("${V/b/<\\$0>}", environment: ["V": "abc"]) == "a<\\$0>c")
    }

    @Test func wordsKeepQuotedWhitespaceAndSplitExpandedValues() throws {
        let env: ShellEnvironment = ["S": "a  b", "E": ""]
        #expect(try lexer.words("x $S y", environment: env) == ["x", "a", "b", "y"])
        #expect(try lexer.words("x \"$S\" y", environment: env) == ["x", "a  b", "y"])
        #expect(try lexer.words("\"\" $E x", environment: env) == ["x"])
        #expect(try lexer.words("cat << EOF >f", environment: env) == ["cat", "<< EOF", ">f"])
    }

    @Test func rawModesAndBacktickEscape() throws {
        var raw = ShellLexer()
        raw.rawQuotes = true
        raw.rawEscapes = true
        raw.skipUnsetEnv = true
        #expect(try raw.words("RUN <<'EOF' \"a b\" \\x $U ${U:-d}", environment: ShellEnvironment())
                == ["RUN", "<<'EOF'", "\"a b\"", "\\x", "$U", "${U:-d}"])
        let tick = ShellLexer(escapeToken: "`")
        #expect(try tick.expand("a`$b c\\d", environment: ShellEnvironment()) == "a$b c\\d")
        var skipQuotes = ShellLexer()
        skipQuotes.skipProcessQuotes = true
        #expect(try skipQuotes.expand("'$A' \"$A\"", environment: ["A": "1"]) == "'1' \"1\"")
    }

    @Test func environmentBuildsLikeBuildKit() {
        let env = ShellEnvironment(assignments: ["foo=bar", "car=hat", "car=bike", "bare", "x=a=b"])
        #expect(env["foo"] == "bar")
        #expect(env["car"] == "bike")
        #expect(env["bare"] == "")
        #expect(env["x"] == "a=b")
        #expect(env["missing"] == nil)
        #expect(env.names == ["bare", "car", "foo", "x"])
    }
}
