import KBDockerfile
import Testing

@Suite struct FormsAndFlagsTests {
    @Test func jsonFormIsDecodedLikeGo() throws {
        let df = try parse(#"""
            CMD ["a", "b\tc", "\u00e9\ud83d\ude00", "\ud800x", "\/"]
            CMD [ ]
            CMD ["only"] trailing text is ignored
            CMD [1e999]
            CMD ["a",]
            CMD ["a" "b"]
            CMD ['a']
            CMD ["unterminated
            CMD ["control	tab"]
            ENTRYPOINT   ["x"]
            """#)
        let i = df.instructions
        #expect(i[0].isJSONForm && i[0].arguments == ["a", "b\tc", "é😀", "\u{FFFD}x", "/"])
        #expect(i[1].isJSONForm && i[1].arguments.isEmpty)
        #expect(i[2].isJSONForm && i[2].arguments == ["only"])
        for k in 3...8 {
            #expect(!i[k].isJSONForm, "\(i[k].original)")
            #expect(i[k].arguments.count == 1)
        }
        #expect(i[9].isJSONForm && i[9].arguments == ["x"])
    }

    @Test func nonStringElementsAreFatal() {
        for bad in ["[1]", "[\"a\", null]", "[true]", "[[\"x\"]]", "[{\"a\":\"b\"}]", "[\"a\", 1.5e3]"] {
            let error = #expect(throws: ParseError.self, "\(bad)") { try DockerfileParser.parse("CMD " + bad) }
            #expect(error?.kind == .nonStringJSONArray)
        }
    }

    @Test func jsonNestingBeyondGoLimitIsShellForm() throws {
        let deep = String(repeating: "[", count: 10_001) + String(repeating: "]", count: 10_001)
        let df = try parse("CMD " + deep)
        #expect(!df.instructions[0].isJSONForm)
        let allowed = "[\"a\"," + String(repeating: "[", count: 9_999) + String(repeating: "]", count: 9_999) + "]"
        #expect(throws: ParseError.self) { try DockerfileParser.parse("CMD " + allowed) }
    }

    @Test func copyAndVolumeSplitOnWhitespaceInShellForm() throws {
        let df = try parse("COPY a\tb  c\nVOLUME [\"/x\", \"/y\"]\nADD [\"a b\", \"c\"]")
        #expect(df.instructions[0].arguments == ["a", "b", "c"])
        #expect(df.instructions[1].arguments == ["/x", "/y"])
        #expect(df.instructions[2].arguments == ["a b", "c"])
    }

    @Test func flagsKeepNamesValuesAndPlaces() throws {
        let source = "COPY --from=build --chmod=\"0755\" --link --weird=a\\ b -- --x /dst\n"
        let df = try parse(source)
        let copy = df.instructions[0]
        #expect(copy.flags.map(\.text) == ["--from=build", "--chmod=0755", "--link", "--weird=a b"])
        #expect(copy.flags.map(\.name) == ["from", "chmod", "link", "weird"])
        #expect(copy.flags.map(\.value) == ["build", "0755", nil, "a b"])
        #expect(copy.flags[2].boolValue == true)
        #expect(copy.arguments == ["--x", "/dst"])
        #expect(text(source, copy.flags[1].range) == "--chmod=\"0755\"")
        #expect(copy.flags[1].range.start.column == 19)
        #expect(copy.flag("from")?.value == "build")
        #expect(copy.hasFlag("link") && !copy.hasFlag("chown"))
    }

    @Test func flagsAcrossContinuationLines() throws {
        let source = "RUN --mount=type=cache,target=/a \\\n    --mount=type=secret,id=t \\\n    make\n"
        let run = try parse(source).instructions[0]
        #expect(run.flags.map(\.range.start.line) == [1, 2])
        #expect(text(source, run.flags[1].range) == "--mount=type=secret,id=t")
        #expect(run.mounts == [["type": "cache", "target": "/a"], ["type": "secret", "id": "t"]])
        #expect(run.arguments == ["make"])
    }

    @Test func nonASCIIFlagsAreDumpedWithBuildKitsByteWidening() throws {
        let df = try parse("COPY --chown=é a b")
        #expect(df.instructions[0].flags[0].value == "é")
        #expect(df.dump() == "(copy [\"--chown=Ã©\"] \"a\" \"b\")")
    }

    @Test func healthcheckForms() throws {
        let df = try parse("HEALTHCHECK NONE\nHEALTHCHECK --retries=3 CMD [\"curl\", \"-f\"]\nHEALTHCHECK CMD curl -f x || exit 1\n")
        #expect(df.instructions[0].arguments == ["NONE"])
        #expect(df.instructions[0].command == nil)
        #expect(df.instructions[1].isJSONForm)
        #expect(df.instructions[1].command == .exec(["curl", "-f"]))
        #expect(df.instructions[2].command == .shell("curl -f x || exit 1"))
    }
}
