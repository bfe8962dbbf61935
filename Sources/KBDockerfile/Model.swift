/// A parsed Dockerfile: BuildKit's view of it (instructions with the arguments BuildKit's
/// parser gives them) plus what BuildKit drops but a linter and a highlighter need
/// (comments, exact source ranges, flag positions).
public struct Dockerfile: Sendable, Hashable {
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`) in source order.
    public var directives: [ParserDirective]
    /// The instructions in source order.
    public var instructions: [Instruction]
    /// Every comment line: standalone ones and those inside continued instructions.
    /// Directive lines are included (with `isDirective` set).
    public var comments: [CommentLine]
    /// Warnings BuildKit's parser emits, as data.
    public var warnings: [ParseWarning]
    /// The escape character in effect: `\` or `` ` ``.
    public var escapeCharacter: Character
    /// Whether the source started with a UTF-8 byte order mark (which BuildKit ignores).
    public var hasByteOrderMark: Bool
    /// Number of physical lines in the source.
    public var lineCount: Int

    public init(
        directives: [ParserDirective], instructions: [Instruction], comments: [CommentLine],
        warnings: [ParseWarning], escapeCharacter: Character, hasByteOrderMark: Bool, lineCount: Int
    ) {
        self.directives = directives
        self.instructions = instructions
        self.comments = comments
        self.warnings = warnings
        self.escapeCharacter = escapeCharacter
        self.hasByteOrderMark = hasByteOrderMark
        self.lineCount = lineCount
    }

    /// The value of a parser directive (`syntax`, `escape`, `check`), if present.
    public func directive(_ name: String) -> ParserDirective? {
        let key = GoText.lowercase(name)
        return directives.first { $0.name == key }
    }

    /// `# syntax=` value, if any.
    public var syntax: String? { directive("syntax")?.value }

    /// The comment lines directly above an instruction: the contiguous run of standalone
    /// comment lines that ends on the line before it (a blank line breaks the run).
    public func comments(above instruction: Instruction) -> [CommentLine] {
        var result: [CommentLine] = []
        var expected = instruction.range.start.line - 1
        guard expected >= 1 else { return [] }
        // comments are sorted by line; walk backwards from the last one above the instruction
        var index = lastCommentIndex(before: instruction.range.start.line)
        while let i = index, comments[i].line == expected, comments[i].instructionIndex == nil {
            result.append(comments[i])
            expected -= 1
            index = i > 0 ? i - 1 : nil
        }
        return result.reversed()
    }

    /// The comment lines inside a continued instruction (between its first and last line).
    public func comments(inside instruction: Instruction) -> [CommentLine] {
        let lines = instruction.range.lines
        return comments.filter { $0.instructionIndex != nil && lines.contains($0.line) }
    }

    /// Comment lines before the first instruction (file-level comments, directives included).
    public var leadingComments: [CommentLine] {
        let first = instructions.first?.range.start.line ?? Int.max
        return comments.filter { $0.line < first }
    }

    private func lastCommentIndex(before line: Int) -> Int? {
        var lo = 0, hi = comments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if comments[mid].line < line { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? lo - 1 : nil
    }
}

/// A parser directive: `# name=value` at the very top of the file.
public struct ParserDirective: Sendable, Hashable {
    /// Lower-cased name: `syntax`, `escape` or `check`.
    public var name: String
    public var value: String
    public var range: SourceRange
    public var line: Int { range.start.line }

    public init(name: String, value: String, range: SourceRange) {
        self.name = name
        self.value = value
        self.range = range
    }
}

/// A comment line (`#` as its first non-blank character).
public struct CommentLine: Sendable, Hashable {
    /// The text after `#`, with surrounding white space removed.
    public var text: String
    /// From the `#` to the end of the line (line break excluded).
    public var range: SourceRange
    /// For a comment inside a continued instruction, the index of that instruction in
    /// `Dockerfile.instructions`; nil for a standalone comment line.
    public var instructionIndex: Int?
    /// Whether the line is a parser directive.
    public var isDirective: Bool
    public var line: Int { range.start.line }

    public init(text: String, range: SourceRange, instructionIndex: Int?, isDirective: Bool) {
        self.text = text
        self.range = range
        self.instructionIndex = instructionIndex
        self.isDirective = isDirective
    }
}

/// A warning from BuildKit's parser.
public struct ParseWarning: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A blank line inside a continued instruction (BuildKit rule `NoEmptyContinuation`).
        case emptyContinuationLine
    }
    public var kind: Kind
    /// BuildKit's short message, e.g. `Empty continuation line found in: RUN a b`.
    public var message: String
    public var detail: String
    public var url: String
    /// The instruction the warning is about.
    public var range: SourceRange
    /// The offending lines (for empty continuation lines: each blank line).
    public var lines: [Int]

    public init(kind: Kind, message: String, detail: String, url: String, range: SourceRange, lines: [Int]) {
        self.kind = kind
        self.message = message
        self.detail = detail
        self.url = url
        self.range = range
        self.lines = lines
    }
}

/// Why a Dockerfile was rejected, and where.
public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case noInstructions
        case duplicateDirective
        case invalidEscapeToken
        case lineTooLong
        case missingArguments
        case invalidKeyValue
        case nonStringJSONArray
        case unterminatedHeredoc
        case invalidHeredoc
    }
    public var kind: Kind
    /// The message, worded like BuildKit's.
    public var message: String
    public var range: SourceRange

    public var line: Int { range.start.line }
    public var column: Int { range.start.column }

    public init(kind: Kind, message: String, range: SourceRange) {
        self.kind = kind
        self.message = message
        self.range = range
    }

    /// `line:column: message`
    public var description: String { "\(range.start.line):\(range.start.column): \(message)" }
}
