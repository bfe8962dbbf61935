import KBDockerfile
import Testing

@Suite struct RenderTests {
    @Test func dumpQuotesLikeGo() throws {
        let df = try parse(#"CMD ["\u0000\u0007\u001b\u007f", "\u00a0\u2028", "\ud83d\ude00 é \"\\", "\u0301"]"#)
        #expect(df.dump() == #"(cmd "\x00\a\x1b\x7f" "\u00a0\u2028" "😀 é \"\\" "́")"#)
    }

    @Test func commandsJSONHasThePythonPackageShape() throws {
        let df = try parse("FROM a\nONBUILD run [\"x\"]\nRUN <<EOF\nhi\nEOF\nENV a b\n")
        let json = df.commandsJSON()
        #expect(json == """
            [
              {"cmd": "from", "sub_cmd": null, "json": false, "original": "FROM a", "start_line": 1, "end_line": 1, "flags": [], "value": ["a"], "heredocs": []},
              {"cmd": "onbuild", "sub_cmd": "run", "json": true, "original": "ONBUILD run [\\"x\\"]", "start_line": 2, "end_line": 2, "flags": [], "value": ["x"], "heredocs": []},
              {"cmd": "run", "sub_cmd": null, "json": false, "original": "RUN <<EOF\\nhi\\nEOF\\n", "start_line": 3, "end_line": 5, "flags": [], "value": ["<<EOF"], "heredocs": [{"name": "EOF", "content": "hi\\n"}]},
              {"cmd": "env", "sub_cmd": null, "json": false, "original": "ENV a b", "start_line": 6, "end_line": 6, "flags": [], "value": ["a", "b", ""], "heredocs": []}
            ]
            """)
    }

    @Test func instructionDump() throws {
        let df = try parse("COPY --from=a --link x y\nONBUILD --f HEALTHCHECK CMD [\"z\"]")
        #expect(df.instructions[0].dump() == #"copy ["--from=a" "--link"] "x" "y""#)
        #expect(df.instructions[1].dump() == #"onbuild ["--f"] (healthcheck "CMD" "z")"#)
    }
}
