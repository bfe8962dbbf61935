// BuildKit's per-instruction parsing (split_command.go and line_parsers.go), on the bytes of
// a logical line. Every function takes the line and a half-open byte range.

struct FlagWord {
    /// The flag with quotes and escapes processed.
    var bytes: [UInt8]
    /// Where it is written in the logical line.
    var span: Range<Int>
}

struct SplitCommand {
    var keyword: Range<Int>
    var flags: [FlagWord]
    /// The arguments after the flags, trimmed.
    var arguments: Range<Int>
}

struct LineParseFailure: Error {
    var kind: ParseError.Kind
    var message: String
}

/// The result of an instruction's line parser: BuildKit's `Next` chain and `json` attribute.
struct DispatchResult {
    var arguments: [String]
    var isJSON: Bool
}

enum LineParsers {
    // MARK: splitCommand

    /// Keyword, flags and arguments of a logical line (or of an ONBUILD trigger).
    static func splitCommand(_ l: [UInt8], _ lo: Int, _ hi: Int) -> SplitCommand {
        let t = GoText.trimSpace(l, lo, hi)
        var k = t.lowerBound
        while k < t.upperBound && !GoText.isLineSpace(l[k]) { k += 1 }
        let keyword = t.lowerBound..<k
        guard k < t.upperBound else {
            return SplitCommand(keyword: keyword, flags: [], arguments: t.upperBound..<t.upperBound)
        }
        var r = k
        while r < t.upperBound && GoText.isLineSpace(l[r]) { r += 1 }
        let (restStart, flags) = extractBuilderFlags(l, r, t.upperBound)
        return SplitCommand(keyword: keyword, flags: flags, arguments: GoText.trimSpace(l, restStart, t.upperBound))
    }

    /// BuildKit's extractBuilderFlags: leading `--flag` words. It works byte by byte (so
    /// the bytes 0x85 and 0xA0 inside a UTF-8 character count as spaces, as in BuildKit).
    static func extractBuilderFlags(_ l: [UInt8], _ lo: Int, _ hi: Int) -> (rest: Int, flags: [FlagWord]) {
        enum Phase { case spaces, word, quote }
        var words: [FlagWord] = []
        var phase = Phase.spaces
        var word: [UInt8] = []
        var quote: UInt8 = 0
        var blankOK = false
        var wordStart = lo
        var pos = lo
        func isDashDash(_ w: [UInt8]) -> Bool { w.count == 2 && w[0] == 0x2D && w[1] == 0x2D }
        while pos <= hi {
            if phase == .spaces {
                if pos == hi { break }
                let ch = l[pos]
                if GoText.isSpaceByte(ch) { pos += 1; continue }
                if ch != 0x2D || pos + 1 == hi || l[pos + 1] != 0x2D {
                    return (pos, words)
                }
                phase = .word
                wordStart = pos
            }
            if pos == hi {
                if !isDashDash(word) && (blankOK || !word.isEmpty) {
                    words.append(FlagWord(bytes: word, span: wordStart..<hi))
                }
                break
            }
            var ch = l[pos]
            if phase == .word {
                if GoText.isSpaceByte(ch) {
                    phase = .spaces
                    if isDashDash(word) { return (pos, words) }
                    if blankOK || !word.isEmpty {
                        words.append(FlagWord(bytes: word, span: wordStart..<pos))
                    }
                    word = []
                    blankOK = false
                    pos += 1
                    continue
                }
                if ch == 0x27 || ch == 0x22 {
                    quote = ch
                    blankOK = true
                    phase = .quote
                    pos += 1
                    continue
                }
                if ch == 0x5C {
                    if pos + 1 == hi { pos += 1; continue }  // a backslash at the end is dropped
                    pos += 1
                    ch = l[pos]
                }
                word.append(ch)
                pos += 1
                continue
            }
            // inside quotes
            if ch == quote {
                phase = .word
                pos += 1
                continue
            }
            if ch == 0x5C {
                if pos + 1 == hi {
                    phase = .word
                    pos += 1
                    continue
                }
                pos += 1
                ch = l[pos]
            }
            word.append(ch)
            pos += 1
        }
        return (hi, words)
    }

    // MARK: dispatch

    static func dispatch(_ cmd: String, _ l: [UInt8], _ args: Range<Int>, escape: UInt8) throws(LineParseFailure) -> DispatchResult {
        let lo = args.lowerBound, hi = args.upperBound
        switch cmd {
        case "add", "copy", "volume":
            return try parseMaybeJSONToList(l, lo, hi)
        case "arg":
            return DispatchResult(arguments: parseWords(l, lo, hi, escape: escape).map(string), isJSON: false)
        case "cmd", "entrypoint", "run", "shell":
            return try parseMaybeJSON(l, lo, hi)
        case "env":
            return DispatchResult(arguments: try parseNameValue(l, lo, hi, key: "ENV", escape: escape), isJSON: false)
        case "label":
            return DispatchResult(arguments: try parseNameValue(l, lo, hi, key: "LABEL", escape: escape), isJSON: false)
        case "expose", "from":
            return DispatchResult(arguments: splitWhitespace(l, lo, hi), isJSON: false)
        case "healthcheck":
            return try parseHealthConfig(l, lo, hi)
        case "maintainer", "stopsignal", "user", "workdir":
            return DispatchResult(arguments: lo == hi ? [] : [GoText.string(l, args)], isJSON: false)
        default:
            // BuildKit ignores the arguments of an instruction it does not know.
            return DispatchResult(arguments: [""], isJSON: false)
        }
    }

    static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Runs of `[\t\v\f\r ]` separate the arguments (the range is already trimmed).
    static func splitWhitespace(_ l: [UInt8], _ lo: Int, _ hi: Int) -> [String] {
        guard lo < hi else { return [] }
        var out: [String] = []
        var i = lo
        var start = lo
        while i < hi {
            if GoText.isLineSpace(l[i]) {
                out.append(GoText.string(l, start..<i))
                while i < hi && GoText.isLineSpace(l[i]) { i += 1 }
                start = i
            } else {
                i += 1
            }
        }
        if start < hi || out.isEmpty { out.append(GoText.string(l, start..<hi)) }
        return out
    }

    static func parseJSON(_ l: [UInt8], _ lo: Int, _ hi: Int) -> GoJSON.ArrayResult {
        let s = GoText.skipSpace(l, lo, hi)
        guard s < hi, l[s] == 0x5B else { return .invalid }
        return GoJSON.decodeStringArray(l, s, hi)
    }

    static let notStringArrayMessage = "when using JSON array syntax, arrays must be comprised of strings only"

    static func parseMaybeJSON(_ l: [UInt8], _ lo: Int, _ hi: Int) throws(LineParseFailure) -> DispatchResult {
        guard lo < hi else { return DispatchResult(arguments: [], isJSON: false) }
        switch parseJSON(l, lo, hi) {
        case .strings(let s): return DispatchResult(arguments: s, isJSON: true)
        case .notStringArray: throw LineParseFailure(kind: .nonStringJSONArray, message: notStringArrayMessage)
        case .invalid: return DispatchResult(arguments: [GoText.string(l, lo..<hi)], isJSON: false)
        }
    }

    static func parseMaybeJSONToList(_ l: [UInt8], _ lo: Int, _ hi: Int) throws(LineParseFailure) -> DispatchResult {
        switch parseJSON(l, lo, hi) {
        case .strings(let s): return DispatchResult(arguments: s, isJSON: true)
        case .notStringArray: throw LineParseFailure(kind: .nonStringJSONArray, message: notStringArrayMessage)
        case .invalid: return DispatchResult(arguments: splitWhitespace(l, lo, hi), isJSON: false)
        }
    }

    /// HEALTHCHECK: the first word (CMD, NONE) then the command, like parseMaybeJSON.
    static func parseHealthConfig(_ l: [UInt8], _ lo: Int, _ hi: Int) throws(LineParseFailure) -> DispatchResult {
        var sep = lo
        while sep < hi && !GoText.isSpaceByte(l[sep]) { sep += 1 }
        var next = sep
        while next < hi && GoText.isSpaceByte(l[next]) { next += 1 }
        guard sep > lo else { return DispatchResult(arguments: [], isJSON: false) }
        let rest = try parseMaybeJSON(l, next, hi)
        return DispatchResult(arguments: [GoText.string(l, lo..<sep)] + rest.arguments, isJSON: rest.isJSON)
    }

    /// Words separated by white space; quotes and escapes are kept, but white space inside
    /// quotes or after the escape character does not split.
    static func parseWords(_ l: [UInt8], _ lo: Int, _ hi: Int, escape: UInt8) -> [[UInt8]] {
        enum Phase { case spaces, word, quote }
        var words: [[UInt8]] = []
        var phase = Phase.spaces
        var word: [UInt8] = []
        var quote: UInt32 = 0
        var blankOK = false
        let esc = UInt32(escape)
        var pos = lo
        @inline(__always) func append(_ at: Int, _ w: Int, _ v: UInt32) {
            if w == 1 {
                if v == 0xFFFD {
                    word.append(0xEF); word.append(0xBF); word.append(0xBD)
                } else {
                    word.append(UInt8(truncatingIfNeeded: v))
                }
            } else {
                for k in at..<(at + w) { word.append(l[k]) }
            }
        }
        while pos <= hi {
            if pos == hi {
                if phase != .spaces && (blankOK || !word.isEmpty) { words.append(word) }
                break
            }
            var (ch, w) = GoText.decode(l, pos, hi)
            if phase == .spaces {
                if GoText.isSpace(ch) { pos += w; continue }
                phase = .word
            }
            if phase == .word {
                if GoText.isSpace(ch) {
                    phase = .spaces
                    if blankOK || !word.isEmpty { words.append(word) }
                    word = []
                    blankOK = false
                    pos += w
                    continue
                }
                if ch == 0x27 || ch == 0x22 {
                    quote = ch
                    blankOK = true
                    phase = .quote
                }
                if ch == esc {
                    if pos + w == hi { pos += w; continue }  // escape at the end is dropped
                    append(pos, w, ch)
                    pos += w
                    (ch, w) = GoText.decode(l, pos, hi)
                }
                append(pos, w, ch)
                pos += w
                continue
            }
            // inside quotes
            if ch == quote { phase = .word }
            if ch == esc && quote != 0x27 {
                if pos + w == hi {
                    phase = .word
                    pos += w
                    continue
                }
                append(pos, w, ch)
                pos += w
                (ch, w) = GoText.decode(l, pos, hi)
            }
            append(pos, w, ch)
            pos += w
        }
        return words
    }

    /// ENV and LABEL: `key value` (old form) or `key=value ...`, as key, value, separator.
    static func parseNameValue(_ l: [UInt8], _ lo: Int, _ hi: Int, key: String, escape: UInt8) throws(LineParseFailure) -> [String] {
        let words = parseWords(l, lo, hi, escape: escape)
        guard let first = words.first else { return [] }
        if !first.contains(0x3D) {
            var k = lo
            while k < hi && !GoText.isLineSpace(l[k]) { k += 1 }
            guard k < hi else {
                throw LineParseFailure(kind: .missingArguments, message: "\(key) must have two arguments")
            }
            var v = k
            while v < hi && GoText.isLineSpace(l[v]) { v += 1 }
            return [GoText.string(l, lo..<k), GoText.string(l, v..<hi), ""]
        }
        var out: [String] = []
        out.reserveCapacity(words.count * 3)
        for w in words {
            guard let eq = w.firstIndex(of: 0x3D) else {
                throw LineParseFailure(
                    kind: .invalidKeyValue,
                    message: "Syntax error - can't find = in \(GoText.quote(string(w))). Must be of the form: name=value")
            }
            out.append(string(Array(w[..<eq])))
            out.append(string(Array(w[(eq + 1)...])))
            out.append("=")
        }
        return out
    }
}
