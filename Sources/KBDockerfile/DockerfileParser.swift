/// Parses Dockerfiles exactly as BuildKit's parser does (moby/buildkit
/// frontend/dockerfile/parser), keeping the source positions BuildKit drops.
public enum DockerfileParser {
    /// Parses a Dockerfile. Throws for what BuildKit rejects: no instruction at all, a
    /// repeated or invalid parser directive, `ENV`/`LABEL` without a value, a JSON array
    /// with a non-string element, an unterminated heredoc, a line over 65 535 bytes.
    public static func parse(_ source: String) throws(ParseError) -> Dockerfile {
        var engine = ParseEngine(bytes: Array(source.utf8), lenient: false)
        return try engine.run()
    }

    /// Parses a Dockerfile and also splits it into highlighting tokens, from the same pass:
    /// the tokens are those `DockerfileTokenizer.tokens(in:)` gives for a file that parses.
    public static func parseWithTokens(_ source: String) throws(ParseError) -> (Dockerfile, [Token]) {
        var engine = ParseEngine(bytes: Array(source.utf8), lenient: false, recordsLines: true)
        let dockerfile = try engine.run()
        return (dockerfile, DockerfileTokenizer.tokens(of: engine))
    }

    /// Parses UTF-8 bytes; invalid sequences are replaced with U+FFFD first.
    public static func parse(utf8 bytes: [UInt8]) throws(ParseError) -> Dockerfile {
        try parse(String(decoding: bytes, as: UTF8.self))
    }

    /// BuildKit's limit on one physical line (bufio.Scanner's token size).
    public static let maximumLineLength = 65_535
}

/// What a physical line is, for the tokenizer.
enum LineRole: UInt8 {
    case blank, comment, directive
    case instruction          // first line of an instruction
    case continuation         // later line of an instruction
    case continuationComment  // comment line inside an instruction
    case emptyContinuation    // blank line inside an instruction
    case heredocBody, heredocTerminator
}

struct PhysicalLine {
    var start: Int
    var contentEnd: Int  // trailing \r and \n removed
    var end: Int         // after the \n
    var number: Int
}

/// One pass over the source: lines, directives, continuations, heredocs.
struct ParseEngine {
    let b: [UInt8]
    let source: SourceText
    /// Lenient mode (for the tokenizer) never throws: it records what it can.
    let lenient: Bool
    /// Keeps what the tokenizer needs: each physical line's role and start, each
    /// instruction's logical line.
    let recordsLines: Bool

    var pos = 0
    var lineNumber = 0
    var tooLong = false
    var hasBOM = false
    var escape: UInt8 = 0x5C
    var directivesDone = false
    var directives: [ParserDirective] = []
    var comments: [CommentLine] = []
    var warnings: [ParseWarning] = []
    var instructions: [Instruction] = []

    /// Filled when recording lines: one role per physical line, and the instruction index.
    var roles: [LineRole] = []
    var roleInstruction: [Int32] = []
    var lineStarts: [Int] = []
    /// The logical line of every instruction (when recording lines, for the tokenizer).
    var logicalLines: [[UInt8]] = []
    /// Reused buffer for joining continuation lines.
    var scratch: [UInt8] = []

    init(bytes: [UInt8], lenient: Bool, recordsLines: Bool? = nil) {
        self.b = bytes
        self.source = SourceText(bytes: bytes)
        self.lenient = lenient
        self.recordsLines = recordsLines ?? lenient
    }

    // MARK: lines

    mutating func readLine() -> PhysicalLine? {
        guard pos < b.count, !tooLong else { return nil }
        let start = pos
        var nl = start
        let count = b.count
        b.withUnsafeBufferPointer { p in
            while nl < count && p[nl] != 0x0A { nl += 1 }
        }
        if !lenient && nl - start > DockerfileParser.maximumLineLength {
            tooLong = true
            return nil
        }
        var ce = nl
        while ce > start && (b[ce - 1] == 0x0D || b[ce - 1] == 0x0A) { ce -= 1 }
        pos = nl < count ? nl + 1 : nl
        lineNumber += 1
        if recordsLines {
            roles.append(.blank)
            roleInstruction.append(-1)
            lineStarts.append(start)
        }
        return PhysicalLine(start: start, contentEnd: ce, end: pos, number: lineNumber)
    }

    mutating func setRole(_ line: PhysicalLine, _ role: LineRole, _ instruction: Int) {
        guard recordsLines else { return }
        roles[line.number - 1] = role
        roleInstruction[line.number - 1] = Int32(instruction)
    }

    func position(_ line: PhysicalLine, _ offset: Int) -> SourcePosition {
        source.position(line: line.number, lineStart: line.start, offset: offset)
    }

    func range(_ line: PhysicalLine, _ lo: Int, _ hi: Int) -> SourceRange {
        SourceRange(start: position(line, lo), end: position(line, hi))
    }

    func lineRange(_ line: PhysicalLine) -> SourceRange {
        range(line, line.start, line.start)
    }

    /// The escape character, when it ends the line (before blanks), makes the next line a
    /// continuation — unless the escape character is itself escaped. Returns the end of the
    /// kept text.
    func continuation(_ lo: Int, _ hi: Int) -> (end: Int, continues: Bool) {
        var k = hi
        while k > lo && (b[k - 1] == 0x20 || b[k - 1] == 0x09) { k -= 1 }
        guard k > lo, b[k - 1] == escape else { return (hi, false) }
        let e = k - 1
        if e == lo { return (lo, true) }
        if b[e - 1] == escape { return (hi, false) }
        return (e, true)
    }

    // MARK: directives

    /// BuildKit's DirectiveParser on the line `lo..<hi` (leading blanks already removed).
    mutating func checkDirective(_ lo: Int, _ hi: Int, _ line: PhysicalLine) throws(ParseError) -> Bool {
        guard lo < hi, b[lo] == 0x23 else { directivesDone = true; return false }
        var i = GoText.skipSpace(b, lo + 1, hi)
        func isLetter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
        func isAlnum(_ c: UInt8) -> Bool { isLetter(c) || (c >= 0x30 && c <= 0x39) }
        guard i < hi, isLetter(b[i]) else { directivesDone = true; return false }
        let nameStart = i
        while i < hi && isAlnum(b[i]) { i += 1 }
        let nameEnd = i
        while i < hi && GoText.isRegexSpace(UInt32(b[i])) { i += 1 }
        guard i < hi, b[i] == 0x3D else { directivesDone = true; return false }
        i += 1
        guard i < hi else { directivesDone = true; return false }
        var vs = i
        while vs < hi && GoText.isRegexSpace(UInt32(b[vs])) { vs += 1 }
        var ve = hi
        while ve > vs && GoText.isRegexSpace(UInt32(b[ve - 1])) { ve -= 1 }
        if vs == hi { vs = hi - 1; ve = hi }  // only blanks: `.+?` takes the last one
        let name = GoText.lowercase(GoText.string(b, nameStart..<nameEnd))
        guard name == "syntax" || name == "escape" || name == "check" else {
            directivesDone = true
            return false
        }
        let value = GoText.string(b, vs..<ve)
        let where_ = range(line, lo, hi)
        if directives.contains(where: { $0.name == name }) {
            if lenient { directivesDone = true; return false }
            throw ParseError(kind: .duplicateDirective, message: "only one \(name) parser directive can be used", range: where_)
        }
        if name == "escape" {
            guard value == "\\" || value == "`" else {
                if lenient { directivesDone = true; return false }
                throw ParseError(
                    kind: .invalidEscapeToken,
                    message: "invalid escape token '\(value)' does not match ` or \\", range: where_)
            }
            escape = value == "`" ? 0x60 : 0x5C
        }
        directives.append(ParserDirective(name: name, value: value, range: where_))
        return true
    }

    mutating func recordComment(_ line: PhysicalLine, hash: Int, instruction: Int?, isDirective: Bool) {
        let t = GoText.trimSpace(b, hash + 1, line.contentEnd)
        comments.append(CommentLine(
            text: GoText.string(b, t), range: range(line, hash, line.contentEnd),
            instructionIndex: instruction, isDirective: isDirective))
    }

    // MARK: the main loop

    mutating func run() throws(ParseError) -> Dockerfile {
        hasBOM = b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF
        while let line = readLine() {
            let cs = (line.number == 1 && hasBOM) ? line.start + 3 : line.start
            let ce = line.contentEnd
            let first = GoText.skipSpace(b, cs, ce)
            var isDirective = false
            if !directivesDone {
                isDirective = try checkDirective(first, ce, line)
            }
            if first < ce && b[first] == 0x23 {
                recordComment(line, hash: first, instruction: nil, isDirective: isDirective)
                setRole(line, isDirective ? .directive : .comment, -1)
                continue
            }
            if first == ce {
                continue  // blank line
            }
            try readInstruction(firstLine: line, textStart: first)
        }
        if instructions.isEmpty && !lenient {
            let p = SourcePosition(line: max(1, lineNumber), column: 1, offset: b.count)
            throw ParseError(kind: .noInstructions, message: "file with no instructions", range: SourceRange(start: p, end: p))
        }
        if tooLong {
            let p = SourcePosition(line: lineNumber + 1, column: 1, offset: pos)
            throw ParseError(
                kind: .lineTooLong,
                message: "dockerfile line greater than max allowed size of \(DockerfileParser.maximumLineLength)",
                range: SourceRange(start: p, end: p))
        }
        return Dockerfile(
            directives: directives, instructions: instructions, comments: comments, warnings: warnings,
            escapeCharacter: escape == 0x60 ? "`" : "\\", hasByteOrderMark: hasBOM, lineCount: lineNumber)
    }

    /// One instruction: its first line, continuation lines, then heredoc bodies.
    mutating func readInstruction(firstLine line: PhysicalLine, textStart first: Int) throws(ParseError) {
        let index = instructions.count
        var joined = scratch
        scratch = []
        joined.removeAll(keepingCapacity: true)
        defer { scratch = joined }
        var segments: [LineMap.Segment] = []
        func add(_ lo: Int, _ hi: Int, _ l: PhysicalLine) {
            segments.append(LineMap.Segment(
                lineOffset: joined.count, sourceOffset: lo, line: l.number, lineStart: l.start,
                column: source.column(lineStart: l.start, offset: lo), length: hi - lo,
                scalarCheckpoints: LineMap.checkpoints(b, lo, hi)))
            joined.append(contentsOf: b[lo..<hi])
        }
        setRole(line, .instruction, index)
        var (fragmentEnd, continuing) = continuation(first, line.contentEnd)
        add(first, fragmentEnd, line)
        var last = line
        var emptyLines: [Int] = []
        while continuing, let next = readLine() {
            last = next
            let f = GoText.skipSpace(b, next.start, next.contentEnd)
            if f < next.contentEnd && b[f] == 0x23 {
                recordComment(next, hash: f, instruction: index, isDirective: false)
                setRole(next, .continuationComment, index)
                continue
            }
            if f == next.contentEnd {
                emptyLines.append(next.number)
                setRole(next, .emptyContinuation, index)
                continue
            }
            setRole(next, .continuation, index)
            (fragmentEnd, continuing) = continuation(next.start, next.contentEnd)
            add(next.start, fragmentEnd, next)
        }
        let start = position(line, first)
        let lineMap = LineMap(segments: segments, source: source)

        var built: Instruction
        do {
            built = try buildInstruction(joined, lineMap: lineMap)
        } catch {
            let r = SourceRange(start: start, end: position(last, last.contentEnd))
            if !lenient { throw ParseError(kind: error.kind, message: error.message, range: r) }
            built = fallbackInstruction(joined, lineMap: lineMap)
        }

        if !emptyLines.isEmpty {
            let text = GoText.string(joined, 0..<joined.count)
            warnings.append(ParseWarning(
                kind: .emptyContinuationLine,
                message: "Empty continuation line found in: \(text)",
                detail: "Empty continuation lines will become errors in a future release",
                url: "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
                range: SourceRange(start: start, end: position(last, last.contentEnd)),
                lines: emptyLines))
        }

        // Heredocs: RUN, COPY and ADD (also as an ONBUILD trigger), not in JSON form.
        var heredocs: [Heredoc] = []
        if canContainHeredoc(built), containsHeredocOperator(joined) {
            let specs: [HeredocSpec]
            do {
                specs = try HeredocSpec.find(in: joined)
            } catch {
                if !lenient {
                    throw ParseError(kind: .invalidHeredoc, message: error.message,
                                     range: SourceRange(start: start, end: position(last, last.contentEnd)))
                }
                specs = []
            }
            for spec in specs {
                let bodyStart = pos
                let bodyFirstLine = lineNumber + 1
                var content: [UInt8] = []
                var terminator: PhysicalLine?
                while let l = readLine() {
                    last = l
                    var s = l.start
                    if spec.chomp { while s < l.contentEnd && b[s] == 0x09 { s += 1 } }
                    if l.contentEnd - s == spec.terminator.count && b[s..<l.contentEnd].elementsEqual(spec.terminator) {
                        terminator = l
                        setRole(l, .heredocTerminator, index)
                        break
                    }
                    setRole(l, .heredocBody, index)
                    content.append(contentsOf: b[l.start..<l.end])
                }
                let bodyEnd = terminator?.start ?? pos
                guard let term = terminator else {
                    if !lenient {
                        throw ParseError(kind: .unterminatedHeredoc, message: "unterminated heredoc",
                                         range: SourceRange(start: start, end: position(last, last.contentEnd)))
                    }
                    let endPos = SourcePosition(line: lineNumber, column: 1, offset: pos)
                    heredocs.append(Heredoc(
                        name: spec.name, fileDescriptor: spec.fileDescriptor, expand: spec.expand, chomp: spec.chomp,
                        content: GoText.string(content, 0..<content.count),
                        bodyLines: bodyFirstLine..<(lineNumber + 1),
                        bodyRange: SourceRange(start: bodyPosition(bodyStart, bodyFirstLine), end: endPos),
                        terminatorRange: SourceRange(start: endPos, end: endPos),
                        markerRange: spec.markerSpan.map { lineMap.range($0) }, markerSpan: spec.markerSpan))
                    break
                }
                heredocs.append(Heredoc(
                    name: spec.name, fileDescriptor: spec.fileDescriptor, expand: spec.expand, chomp: spec.chomp,
                    content: GoText.string(content, 0..<content.count),
                    bodyLines: bodyFirstLine..<term.number,
                    bodyRange: SourceRange(start: bodyPosition(bodyStart, bodyFirstLine),
                                           end: bodyPosition(bodyEnd, term.number)),
                    terminatorRange: range(term, term.start, term.contentEnd),
                    markerRange: spec.markerSpan.map { lineMap.range($0) }, markerSpan: spec.markerSpan))
            }
        }
        built.heredocs = heredocs
        built.range = SourceRange(start: start, end: position(last, last.contentEnd))
        if !built.chain.isEmpty {
            // ONBUILD triggers end where the instruction ends
            let end = built.range.end
            built.chain = ArraySlice(built.chain.map { t in
                var t = t
                t.range.end = end
                return t
            })
        }
        instructions.append(built)
        if recordsLines { logicalLines.append(joined) }
    }

    func bodyPosition(_ offset: Int, _ line: Int) -> SourcePosition {
        SourcePosition(line: line, column: 1, offset: offset)
    }

    func containsHeredocOperator(_ l: [UInt8]) -> Bool {
        var i = 1
        while i < l.count {
            if l[i] == 0x3C && l[i - 1] == 0x3C { return true }
            i += 1
        }
        return false
    }

    /// BuildKit's canContainHeredoc: RUN/COPY/ADD, or ONBUILD whose trigger is one, not JSON.
    func canContainHeredoc(_ i: Instruction) -> Bool {
        if i.cmd == "onbuild" {
            guard let t = i.chain.first else { return false }
            return Self.heredocCommand(t.cmd) && !t.isJSONForm
        }
        return Self.heredocCommand(i.cmd) && !i.isJSONForm
    }

    static func heredocCommand(_ cmd: String) -> Bool { cmd == "run" || cmd == "copy" || cmd == "add" }

    // MARK: building instructions

    func buildInstruction(_ l: [UInt8], lineMap: LineMap) throws(LineParseFailure) -> Instruction {
        let line = LogicalLine(text: GoText.string(l, 0..<l.count), map: lineMap, escape: escape)
        let unset = SourceRange(start: SourcePosition(line: 0, column: 0, offset: 0), end: SourcePosition(line: 0, column: 0, offset: 0))
        var lo = 0, hi = l.count
        var outer: Instruction? = nil
        var chain: [Instruction] = []
        while true {
            let split = LineParsers.splitCommand(l, lo, hi)
            let keyword = GoText.string(l, split.keyword)
            let cmd = GoText.lowercase(keyword)
            var level = Instruction(
                keyword: keyword, cmd: cmd, kind: InstructionKind(rawValue: cmd) ?? .unknown, range: unset,
                flags: split.flags.isEmpty ? [] : split.flags.map { makeFlag($0, lineMap) },
                arguments: [], isJSONForm: false, heredocs: [], chain: [], line: line, originalSpan: lo..<hi,
                keywordSpan: split.keyword, argumentsSpan: split.arguments)
            if outer != nil { level.range = lineMap.range(lo..<hi) }
            let isOnbuild = cmd == "onbuild"
            if !isOnbuild {
                let result = try LineParsers.dispatch(cmd, l, split.arguments, escape: escape)
                level.arguments = result.arguments
                level.isJSONForm = result.isJSON
            }
            if outer == nil { outer = level } else { chain.append(level) }
            if !isOnbuild || split.arguments.isEmpty { break }
            lo = split.arguments.lowerBound
            hi = split.arguments.upperBound
        }
        var result = outer!
        if !chain.isEmpty { result.chain = ArraySlice(chain) }
        return result
    }

    /// For the tokenizer, when BuildKit would reject the instruction.
    func fallbackInstruction(_ l: [UInt8], lineMap: LineMap) -> Instruction {
        let split = LineParsers.splitCommand(l, 0, l.count)
        let keyword = GoText.string(l, split.keyword)
        let cmd = GoText.lowercase(keyword)
        return Instruction(
            keyword: keyword, cmd: cmd, kind: InstructionKind(rawValue: cmd) ?? .unknown, range: lineMap.range(0..<l.count),
            flags: split.flags.map { makeFlag($0, lineMap) },
            arguments: [], isJSONForm: false, heredocs: [], chain: [],
            line: LogicalLine(text: GoText.string(l, 0..<l.count), map: lineMap, escape: escape),
            originalSpan: 0..<l.count, keywordSpan: split.keyword, argumentsSpan: split.arguments)
    }

    func makeFlag(_ w: FlagWord, _ lineMap: LineMap) -> Flag {
        let body = w.bytes.dropFirst(2)
        let name: String
        var value: String? = nil
        if let eq = body.firstIndex(of: 0x3D) {
            name = String(decoding: body[..<eq], as: UTF8.self)
            value = String(decoding: body[(eq + 1)...], as: UTF8.self)
        } else {
            name = String(decoding: body, as: UTF8.self)
        }
        var flag = Flag(text: String(decoding: w.bytes, as: UTF8.self), name: name, value: value, range: lineMap.range(w.span))
        if w.bytes.contains(where: { $0 >= 0x80 }) { flag.bytes = w.bytes }
        return flag
    }
}

/// A heredoc found on an instruction line (before its body is read).
struct HeredocSpec: Equatable {
    var name: String
    var terminator: [UInt8]
    var fileDescriptor: UInt
    var expand: Bool
    var chomp: Bool
    var markerSpan: Range<Int>?

    struct Failure: Error { var message: String }

    /// BuildKit's heredocsFromLine: the line split into words by the shell lexer (quotes,
    /// escapes and unset variables kept), each word matched against `^(\d*)<<(-?)\s*([^<]*)$`.
    static func find(in line: [UInt8]) throws(Failure) -> [HeredocSpec] {
        if let simple = try findInPlainLine(line) { return simple }
        return try findWithLexer(line)
    }

    static func findWithLexer(_ line: [UInt8]) throws(Failure) -> [HeredocSpec] {
        let text = String(decoding: line, as: UTF8.self)
        let scalars = Array(text.unicodeScalars)
        var lexer = ShellLexer(escapeToken: "\\")
        lexer.rawQuotes = true
        lexer.rawEscapes = true
        lexer.skipUnsetEnv = true
        guard let words = lexer.wordsWithSpans(scalars) else { return [] }
        // scalar index -> byte offset in the line
        var byteOffsets: [Int] = []
        byteOffsets.reserveCapacity(scalars.count + 1)
        var o = 0
        for s in scalars {
            byteOffsets.append(o)
            o += UTF8.width(s)
        }
        byteOffsets.append(o)
        var specs: [HeredocSpec] = []
        for (word, span) in words {
            guard var spec = try parse(word) else { continue }
            if span.upperBound < byteOffsets.count {
                spec.markerSpan = byteOffsets[span.lowerBound]..<byteOffsets[span.upperBound]
            }
            specs.append(spec)
        }
        return specs
    }

    /// Fast path for a line without quotes, escapes or variables (the usual heredoc line):
    /// there the lexer only splits on white space, keeping the blanks after `<<` in the word.
    static func findInPlainLine(_ l: [UInt8]) throws(Failure) -> [HeredocSpec]? {
        if l.count >= 3 && l[0] == 0xEF && l[1] == 0xBB && l[2] == 0xBF { return nil }
        for c in l where c == 0x22 || c == 0x27 || c == 0x5C || c == 0x24 { return nil }
        var specs: [HeredocSpec] = []
        var i = 0
        let n = l.count
        while i < n {
            let w = GoText.spaceWidth(l, i, n)
            if w > 0 { i += w; continue }
            let start = i
            while i < n {
                if l[i] == 0x3C && i + 1 < n && l[i + 1] == 0x3C {
                    i += 2
                    while i < n && (l[i] == 0x20 || l[i] == 0x09 || l[i] == 0x0D) { i += 1 }
                    continue
                }
                if GoText.spaceWidth(l, i, n) > 0 { break }
                i += 1
            }
            guard var spec = try parse(GoText.string(l, start..<i)) else { continue }
            spec.markerSpan = start..<i
            specs.append(spec)
        }
        return specs
    }

    /// BuildKit's ParseHeredoc for one word; nil when the word is not a heredoc.
    static func parse(_ word: String) throws(Failure) -> HeredocSpec? {
        try parse(word, fastPath: true)
    }

    /// The same without the fast path for plain delimiters (for the fuzz target).
    static func parseWithLexer(_ word: String) throws(Failure) -> HeredocSpec? {
        try parse(word, fastPath: false)
    }

    static func parse(_ word: String, fastPath: Bool) throws(Failure) -> HeredocSpec? {
        let u = word.utf8
        guard u.count >= 3, u.contains(0x3C) else { return nil }
        let s = Array(word.unicodeScalars)
        var i = 0
        while i < s.count && s[i].value >= 0x30 && s[i].value <= 0x39 { i += 1 }
        let digits = String(String.UnicodeScalarView(s[0..<i]))
        guard i + 1 < s.count, s[i] == "<", s[i + 1] == "<" else { return nil }
        i += 2
        var chomp = false
        if i < s.count && s[i] == "-" { chomp = true; i += 1 }
        while i < s.count && GoText.isRegexSpace(s[i].value) { i += 1 }
        let rest = Array(s[i...])
        if rest.contains("<") { return nil }
        if rest.isEmpty { return nil }
        let restString = String(String.UnicodeScalarView(rest))
        // a plain delimiter (no blanks, quotes, escapes or variables) is its own name
        if fastPath, rest.allSatisfy({ !GoText.isSpace($0) && $0 != "'" && $0 != "\"" && $0 != "\\" && $0 != "$" })
            && rest.first != "\u{FEFF}" {
            let fd = digits.isEmpty ? 0 : (UInt(digits) ?? UInt.max)
            return HeredocSpec(name: restString, terminator: Array(restString.utf8), fileDescriptor: fd,
                               expand: true, chomp: chomp, markerSpan: nil)
        }
        var lexer = ShellLexer(escapeToken: "\\")
        lexer.skipUnsetEnv = true
        let words: [String]
        do { words = try lexer.words(restString) } catch { throw Failure(message: error.message) }
        guard words.count == 1 else { return nil }
        lexer.rawQuotes = true
        let raw: [String]
        do { raw = try lexer.words(restString) } catch { throw Failure(message: error.message) }
        guard raw.count == words.count else {
            throw Failure(message: "internal lexing of heredoc produced inconsistent results: \(restString)")
        }
        func quotes(_ w: String) -> Int { w.unicodeScalars.reduce(0) { $0 + (($1 == "'" || $1 == "\"") ? 1 : 0) } }
        let fd = digits.isEmpty ? 0 : (UInt(digits) ?? UInt.max)
        return HeredocSpec(
            name: words[0], terminator: Array(words[0].utf8), fileDescriptor: fd,
            expand: quotes(words[0]) == quotes(raw[0]), chomp: chomp, markerSpan: nil)
    }
}
