/// A lexical token of a Dockerfile, for syntax highlighting. Tokens cover the source
/// exactly: concatenating their text gives the original back, byte for byte.
public struct Token: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// An instruction keyword (`FROM`, `RUN`, `AS`, `HEALTHCHECK`'s `CMD`).
        case keyword
        /// A flag such as `--from=build` (the `--` end-of-flags marker too).
        case flag
        /// A quoted string (quotes included), or a JSON string.
        case string
        /// `$NAME` or `${NAME…}`.
        case variable
        case comment
        /// A parser directive line (`# syntax=…`).
        case directive
        /// `<<EOF` in an instruction and the terminator line of its body.
        case heredocMarker
        /// A line of a heredoc body (without its line break).
        case heredocBody
        /// The escape character that continues an instruction on the next line.
        case continuation
        /// `=` between a key and a value (`ENV`, `LABEL`, `ARG`).
        case `operator`
        /// JSON punctuation: `[`, `]`, `,` (and `{`, `}`, `:` in malformed input).
        case punctuation
        /// Anything else: arguments, image names, shell words, unknown instructions.
        case text
        /// Blanks inside a line (and a byte order mark).
        case whitespace
        /// A line break (`\n` or `\r\n`).
        case newline
    }

    public var kind: Kind
    /// UTF-8 byte offsets in the source.
    public var range: Range<Int>
    /// 1-based line of the token's first byte.
    public var line: Int

    public init(kind: Kind, range: Range<Int>, line: Int) {
        self.kind = kind
        self.range = range
        self.line = line
    }

    /// The token's text in the source it came from.
    public func text(in source: String) -> String {
        let u = source.utf8
        let lo = u.index(u.startIndex, offsetBy: range.lowerBound)
        let hi = u.index(lo, offsetBy: range.count)
        return String(decoding: u[lo..<hi], as: UTF8.self)
    }
}

/// Tokens kept for later, in 8 bytes each (kind, start and length; not the line): a site
/// build keeps the tokens of every Dockerfile block from the check that parsed it to the
/// page that shows it.
public struct CompactTokens: Sendable, RandomAccessCollection {
    private let packed: [UInt64]
    private static let kinds = Token.Kind.allCases
    /// Offsets and lengths up to 2^28 bytes; a larger source is not kept.
    private static let limit = 1 << 28

    /// The tokens, or nil when the source is too large to pack.
    public init?(_ tokens: [Token]) {
        var packed: [UInt64] = []
        packed.reserveCapacity(tokens.count)
        for token in tokens {
            guard token.range.upperBound < Self.limit else { return nil }
            let kind = UInt64(Self.kinds.firstIndex(of: token.kind)!)
            packed.append(kind << 56 | UInt64(token.range.lowerBound) << 28 | UInt64(token.range.count))
        }
        self.packed = packed
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { packed.count }

    public subscript(position: Int) -> (kind: Token.Kind, range: Range<Int>) {
        let value = packed[position]
        let start = Int(value >> 28 & UInt64(Self.limit - 1))
        return (Self.kinds[Int(value >> 56)], start..<(start + Int(value & UInt64(Self.limit - 1))))
    }
}

/// Splits a Dockerfile into tokens for the site's highlighter. Never fails: text it cannot
/// make sense of becomes `.text`.
public enum DockerfileTokenizer {
    public static func tokens(in source: String) -> [Token] {
        let bytes = Array(source.utf8)
        var engine = ParseEngine(bytes: bytes, lenient: true)
        guard (try? engine.run()) != nil else { return plainTokens(bytes) }
        return tokens(of: engine)
    }

    /// The tokens of a source an engine has run over, recording its lines.
    static func tokens(of engine: ParseEngine) -> [Token] {
        var t = TokenWriter(bytes: engine.b, escape: engine.escape)
        t.write(engine)
        return t.finish(lineStarts: engine.lineStarts)
    }

    /// Fallback: text and line breaks only.
    static func plainTokens(_ b: [UInt8]) -> [Token] {
        var out: [Token] = []
        var line = 1
        var i = 0
        while i < b.count {
            var j = i
            while j < b.count && b[j] != 0x0A { j += 1 }
            if j > i { out.append(Token(kind: .text, range: i..<j, line: line)) }
            if j < b.count { out.append(Token(kind: .newline, range: j..<(j + 1), line: line)) }
            i = j + 1
            line += 1
        }
        return out
    }
}

private struct TokenWriter {
    let b: [UInt8]
    let escape: UInt8
    var out: [(Token.Kind, Range<Int>)] = []

    init(bytes: [UInt8], escape: UInt8) {
        self.b = bytes
        self.escape = escape
        out.reserveCapacity(bytes.count / 4)
    }

    mutating func emit(_ kind: Token.Kind, _ r: Range<Int>) {
        guard !r.isEmpty else { return }
        if let last = out.last, last.1.upperBound == r.lowerBound, last.0 == kind,
           kind == .text || kind == .whitespace {
            out[out.count - 1].1 = last.1.lowerBound..<r.upperBound
            return
        }
        out.append((kind, r))
    }

    /// Leading blanks, then `kind` for the rest of `lo..<hi`.
    mutating func emitIndented(_ kind: Token.Kind, _ lo: Int, _ hi: Int) {
        let f = GoText.skipSpace(b, lo, hi)
        emit(.whitespace, lo..<f)
        emit(kind, f..<hi)
    }

    mutating func write(_ engine: ParseEngine) {
        // logical-line tokens of every instruction, computed once
        var logical: [[(Token.Kind, Range<Int>)]] = []
        logical.reserveCapacity(engine.instructions.count)
        for (i, instruction) in engine.instructions.enumerated() {
            let line = i < engine.logicalLines.count ? engine.logicalLines[i] : []
            var lexer = InstructionHighlighter(l: line, escape: escape, instruction: instruction)
            lexer.run()
            logical.append(lexer.tokens)
        }
        var cursor = Array(repeating: 0, count: logical.count)  // next logical token per instruction
        var segmentCursor = Array(repeating: 0, count: logical.count)

        for (index, role) in engine.roles.enumerated() {
            let start = engine.lineStarts[index]
            let end = index + 1 < engine.lineStarts.count ? engine.lineStarts[index + 1] : b.count
            var ce = end
            if ce > start && b[ce - 1] == 0x0A { ce -= 1 }
            while ce > start && b[ce - 1] == 0x0D { ce -= 1 }
            var cs = start
            if start == 0 && b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
                emit(.whitespace, 0..<min(3, ce))
                cs = min(3, ce)
            }
            let lineNumber = index + 1
            switch role {
            case .blank, .emptyContinuation:
                let f = GoText.skipSpace(b, cs, ce)
                emit(.whitespace, cs..<f)
                emit(.text, f..<ce)
            case .comment, .continuationComment:
                emitIndented(.comment, cs, ce)
            case .directive:
                emitIndented(.directive, cs, ce)
            case .heredocBody:
                emit(.heredocBody, cs..<ce)
            case .heredocTerminator:
                var f = cs
                while f < ce && b[f] == 0x09 { f += 1 }
                emit(.whitespace, cs..<f)
                emit(.heredocMarker, f..<ce)
            case .instruction, .continuation:
                let k = Int(engine.roleInstruction[index])
                guard k >= 0 && k < engine.instructions.count else {
                    emit(.text, cs..<ce)
                    break
                }
                let segments = engine.instructions[k].lineMap.segments
                var sc = segmentCursor[k]
                while sc < segments.count && segments[sc].line < lineNumber { sc += 1 }
                segmentCursor[k] = sc
                guard sc < segments.count, segments[sc].line == lineNumber else {
                    emit(.text, cs..<ce)
                    break
                }
                let seg = segments[sc]
                emit(.whitespace, cs..<seg.sourceOffset)
                let segEnd = seg.lineOffset + seg.length
                let tokens = logical[k]
                var c = cursor[k]
                while c < tokens.count && tokens[c].1.upperBound <= seg.lineOffset { c += 1 }
                while c < tokens.count && tokens[c].1.lowerBound < segEnd {
                    let (kind, r) = tokens[c]
                    let lo = max(r.lowerBound, seg.lineOffset)
                    let hi = min(r.upperBound, segEnd)
                    emit(kind, (seg.sourceOffset + lo - seg.lineOffset)..<(seg.sourceOffset + hi - seg.lineOffset))
                    if r.upperBound > segEnd { break }
                    c += 1
                }
                cursor[k] = c
                // what follows the fragment: the escape character and blanks
                var p = seg.sourceOffset + seg.length
                if p < ce && b[p] == escape {
                    emit(.continuation, p..<(p + 1))
                    p += 1
                }
                emit(.whitespace, p..<ce)
            }
            emit(.newline, ce..<end)
        }
    }

    /// Sorted, gap-free, non-overlapping tokens with line numbers.
    func finish(lineStarts: [Int]) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(out.count)
        var covered = 0
        var lineIndex = 0
        func lineOf(_ offset: Int) -> Int {
            while lineIndex + 1 < lineStarts.count && lineStarts[lineIndex + 1] <= offset { lineIndex += 1 }
            return lineIndex + 1
        }
        for (kind, r) in out {
            if r.lowerBound > covered {
                tokens.append(Token(kind: .text, range: covered..<r.lowerBound, line: lineOf(covered)))
            }
            let lo = max(r.lowerBound, covered)
            guard lo < r.upperBound else { continue }
            tokens.append(Token(kind: kind, range: lo..<r.upperBound, line: lineOf(lo)))
            covered = r.upperBound
        }
        if covered < b.count {
            tokens.append(Token(kind: .text, range: covered..<b.count, line: lineOf(covered)))
        }
        return tokens
    }
}

/// Lexes one logical line (continuations joined) into highlight tokens.
private struct InstructionHighlighter {
    let l: [UInt8]
    let escape: UInt8
    let instruction: Instruction
    var tokens: [(Token.Kind, Range<Int>)] = []
    var markers: [Range<Int>] = []

    init(l: [UInt8], escape: UInt8, instruction: Instruction) {
        self.l = l
        self.escape = escape
        self.instruction = instruction
        self.markers = instruction.heredocs.compactMap(\.markerSpan).sorted { $0.lowerBound < $1.lowerBound }
    }

    mutating func emit(_ kind: Token.Kind, _ r: Range<Int>) {
        guard !r.isEmpty, r.upperBound <= l.count else { return }
        if let last = tokens.last, last.1.upperBound > r.lowerBound { return }  // never overlap
        tokens.append((kind, r))
    }

    mutating func run() {
        var lo = 0
        let hi = l.count
        var node: Instruction? = instruction
        while true {
            let split = LineParsers.splitCommand(l, lo, hi)
            emit(.whitespace, lo..<split.keyword.lowerBound)
            let cmd = GoText.lowercase(GoText.string(l, split.keyword))
            let known = InstructionKind(rawValue: cmd) != nil
            emit(known ? .keyword : .text, split.keyword)
            var p = split.keyword.upperBound
            for f in split.flags {
                gapAsFlags(p, f.span.lowerBound)
                emit(.flag, f.span)
                p = f.span.upperBound
            }
            let args = split.arguments
            gapAsFlags(p, args.lowerBound)
            if cmd == "onbuild" && !args.isEmpty {
                lo = args.lowerBound
                node = node?.chain.first
                continue
            }
            arguments(cmd, args, isJSON: node?.isJSONForm ?? false)
            emit(.whitespace, args.upperBound..<hi)
            break
        }
    }

    /// Between the keyword and the arguments: blanks, and `--` words.
    mutating func gapAsFlags(_ lo: Int, _ hi: Int) {
        var i = lo
        while i < hi {
            let s = i
            if GoText.isSpaceByte(l[i]) {
                while i < hi && GoText.isSpaceByte(l[i]) { i += 1 }
                emit(.whitespace, s..<i)
            } else {
                while i < hi && !GoText.isSpaceByte(l[i]) { i += 1 }
                emit(.flag, s..<i)
            }
        }
    }

    mutating func arguments(_ cmd: String, _ r: Range<Int>, isJSON: Bool) {
        guard !r.isEmpty else { return }
        switch cmd {
        case "healthcheck":
            var sep = r.lowerBound
            while sep < r.upperBound && !GoText.isSpaceByte(l[sep]) { sep += 1 }
            emit(.keyword, r.lowerBound..<sep)
            var next = sep
            while next < r.upperBound && GoText.isSpaceByte(l[next]) { next += 1 }
            emit(.whitespace, sep..<next)
            if isJSON { json(next, r.upperBound) } else { shell(next, r.upperBound, keyValue: false) }
        case "env", "label", "arg":
            shell(r.lowerBound, r.upperBound, keyValue: true)
        case "from":
            from(r)
        default:
            if isJSON { json(r.lowerBound, r.upperBound) } else { shell(r.lowerBound, r.upperBound, keyValue: false) }
        }
    }

    mutating func from(_ r: Range<Int>) {
        var i = r.lowerBound
        var word = 0
        while i < r.upperBound {
            let s = i
            if GoText.isLineSpace(l[i]) {
                while i < r.upperBound && GoText.isLineSpace(l[i]) { i += 1 }
                emit(.whitespace, s..<i)
                continue
            }
            while i < r.upperBound && !GoText.isLineSpace(l[i]) { i += 1 }
            word += 1
            let isAs = word == 2 && i - s == 2 && (l[s] | 0x20) == 0x61 && (l[s + 1] | 0x20) == 0x73
            if isAs { emit(.keyword, s..<i) } else { shell(s, i, keyValue: false) }
        }
    }

    /// JSON array: punctuation, strings, blanks; anything else is text.
    mutating func json(_ lo: Int, _ hi: Int) {
        var i = lo
        while i < hi {
            let c = l[i]
            switch c {
            case 0x5B, 0x5D, 0x2C, 0x7B, 0x7D, 0x3A:
                emit(.punctuation, i..<(i + 1))
                i += 1
            case 0x22:
                var j = i + 1
                while j < hi && l[j] != 0x22 {
                    j += l[j] == 0x5C ? 2 : 1
                }
                j = min(hi, j + 1)
                emit(.string, i..<j)
                i = j
            case 0x20, 0x09, 0x0A, 0x0D:
                let s = i
                while i < hi && (l[i] == 0x20 || l[i] == 0x09 || l[i] == 0x0A || l[i] == 0x0D) { i += 1 }
                emit(.whitespace, s..<i)
            default:
                let s = i
                while i < hi && ![0x5B, 0x5D, 0x2C, 0x7B, 0x7D, 0x3A, 0x22, 0x20, 0x09].contains(l[i]) { i += 1 }
                emit(.text, s..<i)
            }
        }
    }

    func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c >= 0x80
    }

    /// End of a `$…` variable reference starting at `i`, or nil when `$` is literal.
    func variableEnd(_ i: Int, _ hi: Int) -> Int? {
        guard i + 1 < hi else { return nil }
        let n = l[i + 1]
        if n == 0x7B {
            var depth = 0
            var j = i + 1
            while j < hi {
                if l[j] == escape { j += 2; continue }
                if l[j] == 0x7B { depth += 1 }
                if l[j] == 0x7D {
                    depth -= 1
                    if depth == 0 { return j + 1 }
                }
                j += 1
            }
            return hi
        }
        if n >= 0x30 && n <= 0x39 {
            var j = i + 1
            while j < hi && l[j] >= 0x30 && l[j] <= 0x39 { j += 1 }
            return j
        }
        switch n {
        case 0x40, 0x2A, 0x23, 0x3F, 0x2D, 0x24, 0x21: return i + 2  // @ * # ? - $ !
        default: break
        }
        guard isNameByte(n) else { return nil }
        var j = i + 1
        while j < hi && isNameByte(l[j]) { j += 1 }
        return j
    }

    /// Shell-like words: quotes, variables, escapes, heredoc markers; with `keyValue`, the
    /// first `=` of each word is an operator (when the first word has one: `KEY=value`).
    mutating func shell(_ lo: Int, _ hi: Int, keyValue: Bool) {
        var i = lo
        var textStart = lo
        var operatorsAllowed = false
        var wordHasOperator = false
        if keyValue {
            var j = lo
            while j < hi && !GoText.isLineSpace(l[j]) && l[j] != 0x3D { j += 1 }
            operatorsAllowed = j < hi && l[j] == 0x3D
        }
        var markerIndex = 0
        func flushText(_ me: inout InstructionHighlighter, _ upTo: Int) {
            me.emit(.text, textStart..<upTo)
        }
        while i < hi {
            while markerIndex < markers.count && markers[markerIndex].lowerBound < i { markerIndex += 1 }
            if markerIndex < markers.count && markers[markerIndex].lowerBound == i && markers[markerIndex].upperBound <= hi {
                flushText(&self, i)
                emit(.heredocMarker, markers[markerIndex])
                i = markers[markerIndex].upperBound
                textStart = i
                continue
            }
            let c = l[i]
            let sw = GoText.spaceWidth(l, i, hi)
            if sw > 0 {
                flushText(&self, i)
                let s = i
                while i < hi {
                    let w = GoText.spaceWidth(l, i, hi)
                    if w == 0 { break }
                    i += w
                }
                emit(.whitespace, s..<i)
                textStart = i
                wordHasOperator = false
                continue
            }
            if c == escape {
                i = min(hi, i + 1 + (i + 1 < hi ? GoText.decode(l, i + 1, hi).width : 0))
                continue
            }
            if c == 0x27 {
                flushText(&self, i)
                var j = i + 1
                while j < hi && l[j] != 0x27 { j += 1 }
                j = min(hi, j + 1)
                emit(.string, i..<j)
                i = j
                textStart = i
                continue
            }
            if c == 0x22 {
                flushText(&self, i)
                var s = i
                var j = i + 1
                while j < hi && l[j] != 0x22 {
                    if l[j] == escape { j += 2; continue }
                    if l[j] == 0x24, let e = variableEnd(j, hi) {
                        emit(.string, s..<j)
                        emit(.variable, j..<min(e, hi))
                        j = min(e, hi)
                        s = j
                        continue
                    }
                    j += 1
                }
                j = min(hi, j + 1)
                emit(.string, s..<j)
                i = j
                textStart = i
                continue
            }
            if c == 0x24, let e = variableEnd(i, hi) {
                flushText(&self, i)
                emit(.variable, i..<e)
                i = e
                textStart = i
                continue
            }
            if c == 0x3D && operatorsAllowed && !wordHasOperator {
                flushText(&self, i)
                emit(.operator, i..<(i + 1))
                wordHasOperator = true
                i += 1
                textStart = i
                continue
            }
            i += 1
        }
        flushText(&self, hi)
    }
}
