import KBDockerfile
import Testing

@Suite struct ViewTests {
    @Test func fromView() throws {
        let df = try parse("FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\nFROM scratch\nFROM a b\n")
        let f = try #require(df.instructions[0].from)
        #expect(f.image == "golang:1.22")
        #expect(f.stageName == "Build")
        #expect(f.platform == "$BUILDPLATFORM")
        #expect(f.isWellFormed)
        #expect(df.instructions[1].from?.stageName == nil)
        #expect(df.instructions[2].from?.isWellFormed == false)
        #expect(df.instructions[0].copy == nil)
    }

    @Test func copyView() throws {
        let df = try parse("COPY --from=build --chown=1:1 --link a b /dst/\nCOPY <<EOF x /y\nhi\nEOF\nADD --chmod=644 [\"s p\", \"/d\"]\n")
        let c = try #require(df.instructions[0].copy)
        #expect(c.sources == ["a", "b"])
        #expect(c.destination == "/dst/")
        #expect(c.from == "build" && c.chown == "1:1" && c.link)
        let h = try #require(df.instructions[1].copy)
        #expect(h.sourcePaths == ["x"])
        #expect(h.inlineFiles.map(\.name) == ["EOF"])
        #expect(h.inlineFiles.first?.content == "hi\n")
        let a = try #require(df.instructions[2].copy)
        #expect(a.sources == ["s p"] && a.destination == "/d" && a.chmod == "644" && !a.link)
    }

    @Test func keyValueViewsInBothForms() throws {
        let df = try parse("""
            ENV A 1 2
            ENV B=1 C="two words" D=three\\ four E='$NOPE'
            LABEL "com.example.x"="y z"
            ARG V=1 W X=
            """)
        let legacy = df.instructions[0].keyValuePairs
        #expect(legacy.map(\.key) == ["A"])
        #expect(legacy.map(\.rawValue) == ["1 2"])
        #expect(legacy.map(\.usesEquals) == [false])
        let modern = df.instructions[1].keyValuePairs
        #expect(modern.map(\.key) == ["B", "C", "D", "E"])
        #expect(modern.map(\.rawValue) == ["1", "\"two words\"", "three\\ four", "'$NOPE'"])
        #expect(modern.map(\.value) == ["1", "two words", "three four", "$NOPE"])
        #expect(modern.map(\.usesEquals) == [true, true, true, true])
        let label = df.instructions[2].keyValuePairs
        #expect(label.map(\.key) == ["\"com.example.x\""])
        #expect(label.map(\.value) == ["y z"])
        let arg = df.instructions[3].keyValuePairs
        #expect(arg.map(\.key) == ["V", "W", "X"])
        #expect(arg.map(\.rawValue) == ["1", nil, ""])
        let expanded = try #require(try modern[1].value(expandingWith: ShellEnvironment()))
        #expect(expanded == "two words")
        #expect(try ViewTests.env("P=$HOME/bin", ["HOME": "/root"]) == "/root/bin")
    }

    static func env(_ line: String, _ vars: [String: String]) throws -> String? {
        let pair = try parse("ENV " + line).instructions[0].keyValuePairs[0]
        return try pair.value(expandingWith: ShellEnvironment(vars.map { ($0.key, $0.value) }))
    }

    @Test func commandView() throws {
        let df = try parse("RUN make && make install\nCMD [\"/app\", \"-v\"]\nENTRYPOINT exec /app\nSHELL [\"/bin/ash\", \"-c\"]\nUSER x\n")
        #expect(df.instructions[0].command == .shell("make && make install"))
        #expect(df.instructions[1].command == .exec(["/app", "-v"]))
        #expect(df.instructions[1].command?.text == "/app -v")
        #expect(df.instructions[2].command == .shell("exec /app"))
        #expect(df.instructions[3].command == .exec(["/bin/ash", "-c"]))
        #expect(df.instructions[4].command == nil)
    }
}
