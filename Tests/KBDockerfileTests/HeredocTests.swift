import KBDockerfile
import Testing

@Suite struct HeredocTests {
    struct Expected: Equatable, CustomStringConvertible {
        var name: String
        var content: String
        var expand = true
        var chomp = false
        var fd: UInt = 0
        var description: String { "\(name) \(content.debugDescription) expand=\(expand) chomp=\(chomp) fd=\(fd)" }
    }

    /// BuildKit's TestParseExtractsHeredoc input and expectations.
    @Test func buildKitHeredocVectors() throws {
        let source = """

            FROM alpine:3.6

            ENV NAME=me

            RUN ls

            USER <<INVALID
            INVALID

            RUN <<EMPTY
            EMPTY

            RUN 3<<EMPTY2
            EMPTY2

            RUN "<<NOHEREDOC"

            RUN <<INDENT
            \tfoo
            \tbar
            INDENT

            RUN <<-UNINDENT
            \tbaz
            \tquux
            UNINDENT

            RUN <<-UNINDENT2
            \tbaz
            \tquux
            \tUNINDENT2

            RUN <<-EXPAND
            \texpand $NAME
            EXPAND

            RUN <<-'NOEXPAND'
            \tdon't expand $NAME
            NOEXPAND

            RUN <<COPY
            echo hello world
            echo foo bar
            COPY

            RUN <<COMMENT
            # internal comment
            echo hello world
            echo foo bar # trailing comment
            COMMENT

            RUN --mount=type=cache,target=/foo <<MOUNT
            echo hello
            MOUNT

            COPY <<FILE1 <<FILE2 /dest
            content 1
            FILE1
            content 2
            FILE2

            COPY <<EOF /quotes
            "foo"
            'bar'
            EOF

            COPY <<X <<Y /dest
            Y
            X
            X
            Y

            RUN <<COMPLEX python3
            print('hello world')
            COMPLEX

            COPY <<file.txt /dest
            hello world
            file.txt

            RUN <<eo'f'
            echo foo
            eof

            RUN <<eo\\'f
            echo foo
            eo'f

            RUN <<'e'o\\'f
            echo foo
            eo'f

            RUN <<'one two'
            echo bar
            one two

            RUN <<$EOF
            $EOF

            RUN <<  EOF
            EOF

            RUN <<  EOF  > foo
            EOF
            \t
            """
        let expected: [[Expected]] = [
            [], [], [], [],
            [Expected(name: "EMPTY", content: "")],
            [Expected(name: "EMPTY2", content: "", fd: 3)],
            [],
            [Expected(name: "INDENT", content: "\tfoo\n\tbar\n")],
            [Expected(name: "UNINDENT", content: "\tbaz\n\tquux\n", chomp: true)],
            [Expected(name: "UNINDENT2", content: "\tbaz\n\tquux\n", chomp: true)],
            [Expected(name: "EXPAND", content: "\texpand $NAME\n", chomp: true)],
            [Expected(name: "NOEXPAND", content: "\tdon't expand $NAME\n", expand: false, chomp: true)],
            [Expected(name: "COPY", content: "echo hello world\necho foo bar\n")],
            [Expected(name: "COMMENT", content: "# internal comment\necho hello world\necho foo bar # trailing comment\n")],
            [Expected(name: "MOUNT", content: "echo hello\n")],
            [Expected(name: "FILE1", content: "content 1\n"), Expected(name: "FILE2", content: "content 2\n")],
            [Expected(name: "EOF", content: "\"foo\"\n'bar'\n")],
            [Expected(name: "X", content: "Y\n"), Expected(name: "Y", content: "X\n")],
            [Expected(name: "COMPLEX", content: "print('hello world')\n")],
            [Expected(name: "file.txt", content: "hello world\n")],
            [Expected(name: "eof", content: "echo foo\n", expand: false)],
            [Expected(name: "eo'f", content: "echo foo\n")],
            [Expected(name: "eo'f", content: "echo foo\n", expand: false)],
            [Expected(name: "one two", content: "echo bar\n", expand: false)],
            [Expected(name: "$EOF", content: "")],
            [Expected(name: "EOF", content: "")],
            [Expected(name: "EOF", content: "")],
        ]
        let df = try parse(source)
        try #require(df.instructions.count == expected.count + 1)
        for (i, want) in expected.enumerated() {
            let got = df.instructions[i + 1].heredocs.map {
                Expected(name: $0.name, content: $0.content, expand: $0.expand, chomp: $0.chomp, fd: $0.fileDescriptor)
            }
            #expect(got == want, "instruction \(i + 2): \(df.instructions[i + 1].original)")
        }
    }

    @Test func jsonFormHasNoHeredocs() throws {
        let df = try parse("FROM a\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n")
        #expect(df.instructions.allSatisfy { $0.heredocs.isEmpty })
        #expect(df.instructions.count == 4)
    }

    @Test func bodyAndMarkerPositions() throws {
        let source = "FROM a\nCOPY <<A <<-'B' /dst/\nline a\nA\n\tline b\n\tB\nRUN x\n"
        let df = try parse(source)
        let copy = df.instructions[1]
        #expect(copy.range.start.line == 2 && copy.range.end.line == 6)
        #expect(text(source, copy.range) == "COPY <<A <<-'B' /dst/\nline a\nA\n\tline b\n\tB")
        let (a, b) = (copy.heredocs[0], copy.heredocs[1])
        #expect(a.bodyLines == 3..<4)
        #expect(b.bodyLines == 5..<6)
        #expect(text(source, a.bodyRange) == "line a\n")
        #expect(text(source, a.terminatorRange) == "A")
        #expect(text(source, b.terminatorRange) == "\tB")
        #expect(text(source, try #require(a.markerRange)) == "<<A")
        #expect(text(source, try #require(b.markerRange)) == "<<-'B'")
        #expect(b.effectiveContent == "line b\n")
        #expect(b.content == "\tline b\n")
        #expect(df.instructions[2].range.start.line == 7)
    }

    @Test func heredocOnAContinuedLineAndWithCRLF() throws {
        let source = "FROM a\r\nRUN <<EOF \\\r\n  bash\r\necho hi\r\nEOF\r\n"
        let df = try parse(source)
        let run = df.instructions[1]
        #expect(run.original == "RUN <<EOF   bash")
        #expect(run.heredocs.first?.content == "echo hi\r\n")
        #expect(run.heredocs.first?.bodyLines == 4..<5)
        #expect(run.range.end.line == 5)
    }

    @Test func unterminatedQuoteOnTheLineMeansNoHeredoc() throws {
        // BuildKit's lexer fails on the line, so it finds no heredoc: the body lines
        // become instructions of their own
        let df = try parse("FROM a\nRUN <<EOF echo \"x\nRUN y\n")
        #expect(df.instructions.count == 3)
        #expect(df.instructions[1].heredocs.isEmpty)
    }

    @Test func onbuildHeredocsBelongToTheOnbuildInstruction() throws {
        let df = try parse("FROM a\nONBUILD RUN <<EOF\nhi\nEOF\nRUN x\n")
        #expect(df.instructions[1].heredocs.map(\.name) == ["EOF"])
        #expect(df.instructions[1].trigger?.heredocs.isEmpty == true)
        #expect(df.instructions[1].range.end.line == 4)
        #expect(df.instructions[2].original == "RUN x")
    }

    @Test func otherInstructionsNeverReadBodies() throws {
        let df = try parse("FROM a\nCMD <<EOF\nEOF\nENV X=<<Y\n")
        #expect(df.instructions.map(\.cmd) == ["from", "cmd", "eof", "env"])
    }

    @Test func heredocNamesFollowTheShellLexer() throws {
        let df = try parse("FROM a\nRUN << -EOF\n-EOF\nRUN <<\"A B\" <<C\nbody\nA B\nc\nC\n")
        #expect(df.instructions[1].heredocs.map(\.name) == ["-EOF"])
        #expect(df.instructions[2].heredocs.map(\.name) == ["A B", "C"])
        #expect(df.instructions[2].heredocs.map(\.expand) == [false, true])
        #expect(df.instructions[2].heredocs[1].content == "c\n")
    }
}
