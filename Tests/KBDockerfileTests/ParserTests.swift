import KBDockerfile
import Testing

@Suite struct ParserTests {
    @Test func instructionsKeepKeywordCommandAndOriginal() throws {
        let df = try parse("from alpine:3.19 AS Build\nRUN echo hi  \n")
        #expect(df.instructions.map(\.keyword) == ["from", "RUN"])
        #expect(df.instructions.map(\.cmd) == ["from", "run"])
        #expect(df.instructions.map(\.kind) == [.from, .run])
        #expect(df.instructions[1].original == "RUN echo hi  ")
        #expect(df.instructions[1].arguments == ["echo hi"])
        #expect(df.lineCount == 2)
    }

    @Test func rangesPointAtTheInstructionText() throws {
        let source = "FROM a\n\n  RUN one \\\n    two\nCMD x"
        let df = try parse(source)
        let run = df.instructions[1]
        #expect(run.range.start == SourcePosition(line: 3, column: 3, offset: 10))
        #expect(run.range.end == SourcePosition(line: 4, column: 8, offset: 27))
        #expect(text(source, run.range) == "RUN one \\\n    two")
        #expect(text(source, run.keywordRange) == "RUN")
        #expect(text(source, try #require(run.argumentsRange)) == "one \\\n    two")
        let cmd = df.instructions[2]
        #expect(cmd.range.start == SourcePosition(line: 5, column: 1, offset: 28))
        #expect(cmd.range.end.offset == source.utf8.count)
        #expect(cmd.range.lastColumn == 5)
    }

    @Test func columnsCountCharactersAndOffsetsCountBytes() throws {
        let source = "LABEL a=\"é\" \\\n  b=ü\n"
        let df = try parse(source)
        let label = df.instructions[0]
        #expect(label.range.end == SourcePosition(line: 2, column: 6, offset: 21))
        let r = label.sourceRange(ofOriginal: 15..<19)  // "b=ü" in `original`
        #expect(label.original == "LABEL a=\"é\"   b=ü")
        #expect(text(source, r) == "b=ü")
        #expect(r.start.line == 2 && r.start.column == 3)
    }

    @Test func everyKeywordIsRecognisedCaseInsensitively() throws {
        let keywords = ["ADD a b", "ARG a", "CMD a", "COPY a b", "ENTRYPOINT a", "ENV a=b", "EXPOSE 1",
                        "FROM a", "HEALTHCHECK NONE", "LABEL a=b", "MAINTAINER a", "ONBUILD RUN a", "RUN a",
                        "SHELL [\"a\"]", "STOPSIGNAL a", "USER a", "VOLUME a", "WORKDIR a"]
        for line in keywords {
            for variant in [line, line.lowercased(), String(line.prefix(1)) + line.dropFirst().lowercased()] {
                let df = try parse(variant)
                #expect(df.instructions[0].kind != .unknown, "\(variant)")
            }
        }
        let unknown = try parse("FROBNICATE the thing")
        #expect(unknown.instructions[0].kind == .unknown)
        #expect(unknown.instructions[0].arguments == [""])
        #expect(unknown.dump() == "(frobnicate \"\")")
    }

    @Test func buildKitArgumentShapes() throws {
        let df = try parse("""
            FROM a AS b
            EXPOSE 80  443/udp
            ENV a b c
            ENV x=1 y="2 3"
            ARG k=v other
            HEALTHCHECK --interval=5s CMD curl -f http://x/
            USER me:group
            VOLUME /a /b
            """)
        #expect(df.instructions[0].arguments == ["a", "AS", "b"])
        #expect(df.instructions[1].arguments == ["80", "443/udp"])
        #expect(df.instructions[2].arguments == ["a", "b c", ""])
        #expect(df.instructions[3].arguments == ["x", "1", "=", "y", "\"2 3\"", "="])
        #expect(df.instructions[4].arguments == ["k=v", "other"])
        #expect(df.instructions[5].arguments == ["CMD", "curl -f http://x/"])
        #expect(df.instructions[6].arguments == ["me:group"])
        #expect(df.instructions[7].arguments == ["/a", "/b"])
    }

    @Test func emptyArgumentsAreAccepted() throws {
        let df = try parse("FROM\nRUN\nENV\nONBUILD\nCOPY\nHEALTHCHECK\n")
        #expect(df.instructions.allSatisfy { $0.arguments.isEmpty })
        #expect(df.dump() == "(from)\n(run)\n(env)\n(onbuild)\n(copy)\n(healthcheck)")
    }

    @Test func crlfAndByteOrderMark() throws {
        let source = "\u{FEFF}# escape=`\r\nFROM a\r\nRUN x `\r\n  y\r\n"
        let df = try parse(source)
        #expect(df.hasByteOrderMark)
        #expect(df.escapeCharacter == "`")
        #expect(df.directives.first?.range.start.column == 1)
        #expect(df.instructions.map(\.original) == ["FROM a", "RUN x   y"])
        #expect(df.instructions[1].range.end.line == 4)
        #expect(text(source, df.instructions[1].range) == "RUN x `\r\n  y")
    }

    @Test func emptyLineMadeOfTheEscapeCharacterStartsAnInstruction() throws {
        // BuildKit keeps a lone escape character as an empty first fragment
        let df = try parse("FROM a\n\\\nRUN x\n")
        #expect(df.instructions[1].original == "RUN x")
        #expect(df.instructions[1].range.start.line == 2)
        let bare = try parse("FROM a\n\\\n")
        #expect(bare.dump() == "(from \"a\")\n(\"\")")
    }

    @Test func commentsAreCollectedWithTheirPlace() throws {
        let source = """
            # syntax=docker/dockerfile:1
            # kb-ignore=KB101
            FROM a

            # hadolint ignore=DL3008
            # second line
            RUN apt-get install \\
              # kb-ignore=KB204
              curl
              #not a comment above
            """
        let df = try parse(source)
        #expect(df.comments.map(\.text) == ["syntax=docker/dockerfile:1", "kb-ignore=KB101", "hadolint ignore=DL3008",
                                            "second line", "kb-ignore=KB204", "not a comment above"])
        #expect(df.comments.map(\.line) == [1, 2, 5, 6, 8, 10])
        #expect(df.comments[0].isDirective)
        #expect(df.comments[4].instructionIndex == 1)
        #expect(df.comments[2].instructionIndex == nil)
        let run = df.instructions[1]
        #expect(df.comments(above: run).map(\.text) == ["hadolint ignore=DL3008", "second line"])
        #expect(df.comments(inside: run).map(\.text) == ["kb-ignore=KB204"])
        #expect(df.comments(above: df.instructions[0]).map(\.text) == ["syntax=docker/dockerfile:1", "kb-ignore=KB101"])
        #expect(df.leadingComments.count == 2)
        #expect(df.comments[4].range.start.column == 3)
    }

    @Test func emptyContinuationLinesAreWarnings() throws {
        let df = try parse("FROM a\nRUN something \\\n\n    following \\\n\n    more\n\nRUN another \\\n# c\n   thing\n")
        #expect(df.warnings.count == 1)
        let w = try #require(df.warnings.first)
        #expect(w.kind == .emptyContinuationLine)
        #expect(w.message == "Empty continuation line found in: RUN something     following     more")
        #expect(w.lines == [3, 5])
        #expect(w.range.start.line == 2 && w.range.end.line == 6)
        #expect(w.url.hasSuffix("no-empty-continuation/"))
        #expect(df.instructions[2].original == "RUN another    thing")
    }

    @Test func continuationAtEndOfFile() throws {
        let df = try parse("FROM a\nRUN x \\")
        #expect(df.instructions[1].arguments == ["x"])
        #expect(df.instructions[1].original == "RUN x ")
    }

    @Test func escapedEscapeAtEndOfLineIsNotAContinuation() throws {
        let df = try parse("FROM a\nENV C trailing\\\\\nENV D next\n")
        #expect(df.instructions.count == 3)
        #expect(df.instructions[1].arguments == ["C", "trailing\\\\", ""])
    }

    @Test func onbuildNestsItsTrigger() throws {
        let df = try parse("FROM a\nONBUILD --x=1 RUN --mount=type=cache,target=/c make\nonbuild onbuild copy . /\n")
        let on = df.instructions[1]
        #expect(on.kind == .onbuild)
        #expect(on.arguments.isEmpty)
        #expect(on.flags.map(\.text) == ["--x=1"])
        let trigger = try #require(on.trigger)
        #expect(trigger.cmd == "run")
        #expect(trigger.arguments == ["make"])
        #expect(trigger.flags.map(\.name) == ["mount"])
        #expect(trigger.original == "RUN --mount=type=cache,target=/c make")
        #expect(trigger.range.start.column == 15)
        let nested = try #require(df.instructions[2].trigger?.trigger)
        #expect(nested.cmd == "copy")
        #expect(nested.trigger == nil)
        #expect(df.dump().hasSuffix("(onbuild (onbuild (copy \".\" \"/\")))"))
    }

    @Test func deepOnbuildChainsNeitherRecurseNorCrash() throws {
        let line = (0..<20_000).map { $0 % 2 == 0 ? "ONBUILD \\\n" : "ONBUILD " }.joined() + "RUN x"
        let df = try parse("FROM a\n" + line + "\n")
        var depth = 0
        var node: Instruction? = df.instructions[1]
        while let n = node, n.cmd == "onbuild" {
            depth += 1
            node = n.trigger
        }
        #expect(depth == 20_000)
        #expect(node?.arguments == ["x"])
        #expect(df.dump().hasSuffix("(run \"x\")" + String(repeating: ")", count: 20_000)))
    }

    @Test func unknownInstructionArgumentsAreIgnoredLikeBuildKit() throws {
        let df = try parse("FROM a\nBOGUS --flag x y\n")
        #expect(df.instructions[1].flags.map(\.name) == ["flag"])
        #expect(df.instructions[1].arguments == [""])
    }

    // MARK: errors

    @Test func errorsSayWhatAndWhere() {
        let cases: [(String, ParseError.Kind, String, Int, Int)] = [
            ("", .noInstructions, "file with no instructions", 1, 1),
            ("# only\n\n# comments\n", .noInstructions, "file with no instructions", 3, 1),
            ("FROM a\n  ENV PATH\n", .missingArguments, "ENV must have two arguments", 2, 3),
            ("FROM a\nLABEL x\n", .missingArguments, "LABEL must have two arguments", 2, 1),
            ("FROM a\nENV a=b c\n", .invalidKeyValue,
             "Syntax error - can't find = in \"c\". Must be of the form: name=value", 2, 1),
            ("FROM a\nCMD [\"a\", 1]\n", .nonStringJSONArray,
             "when using JSON array syntax, arrays must be comprised of strings only", 2, 1),
            ("FROM a\nRUN <<EOF\nbody\n", .unterminatedHeredoc, "unterminated heredoc", 2, 1),
            ("# escape=`\n# escape=\\\nFROM a", .duplicateDirective, "only one escape parser directive can be used", 2, 1),
            ("# escape=x\nFROM a", .invalidEscapeToken, "invalid escape token 'x' does not match ` or \\", 1, 1),
            ("#syntax=a\n#SYNTAX=b\nFROM a", .duplicateDirective, "only one syntax parser directive can be used", 2, 1),
        ]
        for (source, kind, message, line, column) in cases {
            let error = #expect(throws: ParseError.self, "\(source.debugDescription)") {
                try DockerfileParser.parse(source)
            }
            #expect(error?.kind == kind, "\(source.debugDescription)")
            #expect(error?.message == message, "\(source.debugDescription)")
            #expect(error?.line == line, "\(source.debugDescription)")
            #expect(error?.column == column, "\(source.debugDescription)")
        }
    }

    @Test func unterminatedHeredocErrorCoversTheInstruction() throws {
        let error = try #require(#expect(throws: ParseError.self) {
            try DockerfileParser.parse("FROM a\nRUN <<EOF\nbody\nmore")
        })
        #expect(error.range.start.line == 2)
        #expect(error.range.end.line == 4)
        #expect(error.description == "2:1: unterminated heredoc")
    }

    @Test func linesLongerThanBuildKitsLimitAreRejected() throws {
        let ok = "FROM a\nRUN " + String(repeating: "a", count: 65_535 - 4) + "\n"
        #expect(throws: Never.self) { try DockerfileParser.parse(ok) }
        let tooLong = "FROM a\nLABEL test=" + String(repeating: "a", count: 65_536) + "\n"
        let error = #expect(throws: ParseError.self) { try DockerfileParser.parse(tooLong) }
        #expect(error?.kind == .lineTooLong)
        #expect(error?.message == "dockerfile line greater than max allowed size of 65535")
        #expect(error?.line == 2)
        // a long logical line made of short physical lines is fine
        let continued = "FROM a\nRUN " + Array(repeating: "word \\", count: 20_000).joined(separator: "\n") + "\n"
        #expect(try parse(continued).instructions[1].original.utf8.count > 100_000)
    }
}

func text(_ source: String, _ range: SourceRange) -> String {
    let bytes = Array(source.utf8)
    return String(decoding: bytes[range.byteRange], as: UTF8.self)
}
