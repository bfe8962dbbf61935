// Character classes and string helpers that behave like the Go standard library functions
// BuildKit's parser calls (unicode.IsSpace, strings.TrimSpace, utf8.DecodeRune,
// strconv.Quote). BuildKit's behaviour on unusual input follows from these, so they are
// reproduced exactly instead of using Swift's own (slightly different) definitions.

enum GoText {
    /// Go's `unicode.IsSpace`.
    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func isSpace(_ s: Unicode.Scalar) -> Bool { isSpace(s.value) }

    /// `unicode.IsSpace(rune(b))` for a single byte, as BuildKit's byte-wise loops do
    /// (extractBuilderFlags, parseHealthConfig): bytes 0x85 and 0xA0 count as spaces.
    @inline(__always)
    static func isSpaceByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        default: return false
        }
    }

    /// The regular expression class `[\t\v\f\r ]` (BuildKit's reWhitespace).
    @inline(__always)
    static func isLineSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C || b == 0x0D
    }

    /// Go's RE2 `\s`: `[\t\n\f\r ]`.
    @inline(__always)
    static func isRegexSpace(_ v: UInt32) -> Bool {
        v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0C || v == 0x0D
    }

    /// Decodes one rune like Go's `utf8.DecodeRune`: an invalid or truncated sequence
    /// yields U+FFFD with width 1. `i` must be before `end`.
    @inline(__always)
    static func decode(_ b: [UInt8], _ i: Int, _ end: Int) -> (value: UInt32, width: Int) {
        let b0 = b[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        return decodeMultiByte(b, i, end)
    }

    static func decodeMultiByte(_ b: [UInt8], _ i: Int, _ end: Int) -> (value: UInt32, width: Int) {
        let b0 = b[i]
        let bad: (UInt32, Int) = (0xFFFD, 1)
        func cont(_ k: Int) -> UInt32? {
            guard k < end else { return nil }
            let c = b[k]
            return c & 0xC0 == 0x80 ? UInt32(c & 0x3F) : nil
        }
        switch b0 {
        case 0xC2...0xDF:
            guard let c1 = cont(i + 1) else { return bad }
            return ((UInt32(b0 & 0x1F) << 6) | c1, 2)
        case 0xE0...0xEF:
            guard i + 1 < end else { return bad }
            let b1 = b[i + 1]
            if b0 == 0xE0 && b1 < 0xA0 { return bad }
            if b0 == 0xED && b1 > 0x9F { return bad }
            guard let c1 = cont(i + 1), let c2 = cont(i + 2) else { return bad }
            return ((UInt32(b0 & 0x0F) << 12) | (c1 << 6) | c2, 3)
        case 0xF0...0xF4:
            guard i + 1 < end else { return bad }
            let b1 = b[i + 1]
            if b0 == 0xF0 && b1 < 0x90 { return bad }
            if b0 == 0xF4 && b1 > 0x8F { return bad }
            guard let c1 = cont(i + 1), let c2 = cont(i + 2), let c3 = cont(i + 3) else { return bad }
            return ((UInt32(b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4)
        default:
            return bad
        }
    }

    /// Byte length of the `unicode.IsSpace` character at `i`, or 0 when it is not one.
    @inline(__always)
    static func spaceWidth(_ b: [UInt8], _ i: Int, _ end: Int) -> Int {
        let c = b[i]
        if c < 0x80 { return (c == 0x20 || (c >= 0x09 && c <= 0x0D)) ? 1 : 0 }
        if c != 0xC2 && c != 0xE1 && c != 0xE2 && c != 0xE3 { return 0 }
        let (v, w) = decodeMultiByte(b, i, end)
        return isSpace(v) ? w : 0
    }

    /// First index in `lo..<hi` that does not start a Go space character.
    @inline(__always)
    static func skipSpace(_ b: [UInt8], _ lo: Int, _ hi: Int) -> Int {
        var i = lo
        while i < hi {
            let w = spaceWidth(b, i, hi)
            if w == 0 { break }
            i += w
        }
        return i
    }

    /// End of `lo..<hi` once trailing Go space characters are removed (strings.TrimRightFunc).
    static func trimTrailingSpace(_ b: [UInt8], _ lo: Int, _ hi: Int) -> Int {
        var e = hi
        while e > lo {
            let c = b[e - 1]
            if c < 0x80 {
                if c == 0x20 || (c >= 0x09 && c <= 0x0D) { e -= 1; continue }
                break
            }
            // Find the start of the last rune (at most 4 bytes back).
            var s = e - 1
            while s > lo && s > e - 4 && b[s] & 0xC0 == 0x80 { s -= 1 }
            let (v, w) = decode(b, s, e)
            if s + w == e && isSpace(v) { e = s } else { break }
        }
        return e
    }

    /// strings.TrimSpace over a byte range.
    @inline(__always)
    static func trimSpace(_ b: [UInt8], _ lo: Int, _ hi: Int) -> Range<Int> {
        let s = skipSpace(b, lo, hi)
        return s..<trimTrailingSpace(b, s, hi)
    }

    static func string(_ b: [UInt8], _ r: Range<Int>) -> String {
        if r.isEmpty { return "" }
        return String(decoding: b[r], as: UTF8.self)
    }

    /// Go's `strings.ToLower` for the instruction keyword (ASCII fast path).
    static func lowercase(_ s: String) -> String {
        var allASCIILower = true
        for u in s.utf8 where u >= 0x80 || (u >= 0x41 && u <= 0x5A) {
            allASCIILower = false
            break
        }
        if allASCIILower { return s }
        let count = s.utf8.count
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(unsafeUninitializedCapacity: count) { buffer in
                var i = 0
                for u in s.utf8 {
                    buffer[i] = (u >= 0x41 && u <= 0x5A) ? u + 0x20 : u
                    i += 1
                }
                return count
            }
        }
        return s.lowercased()
    }

    // MARK: strconv.Quote

    /// Go's `strconv.Quote`: the form BuildKit's AST dump prints every argument in.
    static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            appendQuoted(scalar, to: &out)
        }
        out.append("\"")
        return out
    }

    private static let hexDigits: [Character] = Array("0123456789abcdef")

    private static func appendQuoted(_ scalar: Unicode.Scalar, to out: inout String) {
        let v = scalar.value
        switch v {
        case 0x22: out.append("\\\""); return
        case 0x5C: out.append("\\\\"); return
        default: break
        }
        if v >= 0x20 && v < 0x7F { out.unicodeScalars.append(scalar); return }
        if v >= 0x80 && isPrint(scalar) { out.unicodeScalars.append(scalar); return }
        switch v {
        case 0x07: out.append("\\a")
        case 0x08: out.append("\\b")
        case 0x0C: out.append("\\f")
        case 0x0A: out.append("\\n")
        case 0x0D: out.append("\\r")
        case 0x09: out.append("\\t")
        case 0x0B: out.append("\\v")
        default:
            if v < 0x20 || v == 0x7F {
                out.append("\\x")
                out.append(hexDigits[Int(v >> 4)])
                out.append(hexDigits[Int(v & 0xF)])
            } else if v < 0x10000 {
                out.append("\\u")
                for shift in stride(from: 12, through: 0, by: -4) { out.append(hexDigits[Int((v >> UInt32(shift)) & 0xF)]) }
            } else {
                out.append("\\U")
                for shift in stride(from: 28, through: 0, by: -4) { out.append(hexDigits[Int((v >> UInt32(shift)) & 0xF)]) }
            }
        }
    }

    /// Go's `strconv.IsPrint` for non-ASCII scalars: letters, marks, numbers, punctuation
    /// and symbols (general categories L, M, N, P, S).
    static func isPrint(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// Go's `unicode.IsLetter`.
    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 {
            let v = s.value
            return (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
        }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// Go's `unicode.IsDigit` (decimal digits of any script).
    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return s.value >= 0x30 && s.value <= 0x39 }
        return s.properties.generalCategory == .decimalNumber
    }
}
