import KBDockerfile
import Testing

@Suite struct DirectiveTests {
    @Test func directivesAreReadAtTheTopOnly() throws {
        let df = try parse("# syntax = docker/dockerfile:1\n#ESCAPE=`\n# check=skip=JSONArgsRecommended;error=true\nFROM a\n")
        #expect(df.directives.map(\.name) == ["syntax", "escape", "check"])
        #expect(df.directives.map(\.value) == ["docker/dockerfile:1", "`", "skip=JSONArgsRecommended;error=true"])
        #expect(df.directives.map(\.line) == [1, 2, 3])
        #expect(df.syntax == "docker/dockerfile:1")
        #expect(df.directive("CHECK")?.value == "skip=JSONArgsRecommended;error=true")
        #expect(df.escapeCharacter == "`")
    }

    @Test func aCommentOrBlankLineEndsTheDirectives() throws {
        let afterComment = try parse("# a comment\n# escape=`\nFROM a\nRUN x \\\n y")
        #expect(afterComment.directives.isEmpty)
        #expect(afterComment.escapeCharacter == "\\")
        let afterBlank = try parse("\n# escape=`\nFROM a")
        #expect(afterBlank.directives.isEmpty)
        let unknownDirective = try parse("# foo=bar\n# escape=`\nFROM a")
        #expect(unknownDirective.directives.isEmpty)
        let afterInstruction = try parse("FROM a\n# escape=`\n")
        #expect(afterInstruction.directives.isEmpty)
        #expect(afterInstruction.comments.map(\.isDirective) == [false])
    }

    @Test func directiveValuesAreTrimmedLikeBuildKit() throws {
        let df = try parse("#   syntax   =   x y  \t\nFROM a")
        #expect(df.directives.first?.value == "x y")
        let indented = try parse("   # escape = `\nFROM a")
        #expect(indented.escapeCharacter == "`")
        // nothing after `=`: not a directive, so the next line is not one either
        let empty = try parse("# escape=\n# syntax=x\nFROM a")
        #expect(empty.directives.isEmpty)
    }

    @Test func backtickEscapeChangesContinuationAndWords() throws {
        let df = try parse("# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo hi\nENV P=c:\\a`\\b X=`\"q`\"\n")
        #expect(df.instructions[1].arguments == ["dir c:\\   && echo hi"])
        #expect(df.instructions[2].arguments == ["P", "c:\\a`\\b", "=", "X", "`\"q`\"", "="])
        let pairs = df.instructions[2].keyValuePairs
        #expect(pairs.map(\.value) == ["c:\\a\\b", "\"q\""])
    }
}
