/// The part of Go's `encoding/json` that BuildKit's exec form relies on:
/// `json.NewDecoder(r).Decode(&[]interface{})` on text starting with `[`.
///
/// Like the Decoder, it reads the first JSON value and ignores whatever follows it.
/// A syntax error, an unexpected end, nesting deeper than 10 000 or a number that does not
/// fit a float64 makes the text shell form; a valid array with a non-string element is
/// BuildKit's fatal "arrays must be comprised of strings only".
enum GoJSON {
    enum ArrayResult: Equatable {
        case strings([String])
        case notStringArray
        case invalid
    }

    static let maxNestingDepth = 10_000

    private enum Expect { case valueOrClose, value, commaOrClose, keyOrClose, key, colon }

    static func decodeStringArray(_ b: [UInt8], _ start: Int, _ end: Int) -> ArrayResult {
        guard start < end, b[start] == 0x5B else { return .invalid }
        var stack: [UInt8] = [0x5B]  // open containers
        var expect = Expect.valueOrClose
        var i = start + 1
        var strings: [String] = []
        var allStrings = true
        var overflow = false

        @inline(__always) func isWS(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

        while true {
            while i < end && isWS(b[i]) { i += 1 }
            guard i < end else { return .invalid }  // unexpected end of input
            let c = b[i]
            let atTop = stack.count == 1
            switch expect {
            case .commaOrClose:
                let open = stack[stack.count - 1]
                if c == 0x2C {
                    i += 1
                    expect = open == 0x5B ? .value : .key
                    continue
                }
                if (open == 0x5B && c == 0x5D) || (open == 0x7B && c == 0x7D) {
                    i += 1
                    stack.removeLast()
                    if stack.isEmpty {
                        if overflow { return .invalid }
                        return allStrings ? .strings(strings) : .notStringArray
                    }
                    expect = .commaOrClose
                    continue
                }
                return .invalid
            case .colon:
                guard c == 0x3A else { return .invalid }
                i += 1
                expect = .value
                continue
            case .keyOrClose, .key:
                if expect == .keyOrClose && c == 0x7D {
                    i += 1
                    stack.removeLast()
                    expect = .commaOrClose
                    continue
                }
                guard c == 0x22, let e = scanString(b, i, end) else { return .invalid }
                i = e
                expect = .colon
                continue
            case .valueOrClose, .value:
                if expect == .valueOrClose && c == 0x5D {
                    i += 1
                    stack.removeLast()
                    if stack.isEmpty {
                        if overflow { return .invalid }
                        return allStrings ? .strings(strings) : .notStringArray
                    }
                    expect = .commaOrClose
                    continue
                }
                switch c {
                case 0x5B, 0x7B:
                    stack.append(c)
                    if stack.count > maxNestingDepth { return .invalid }
                    if atTop { allStrings = false }
                    i += 1
                    expect = c == 0x5B ? .valueOrClose : .keyOrClose
                    continue
                case 0x22:
                    guard let e = scanString(b, i, end) else { return .invalid }
                    if atTop { strings.append(unquote(b, i + 1, e - 1)) }
                    i = e
                case 0x2D, 0x30...0x39:
                    guard let e = scanNumber(b, i, end) else { return .invalid }
                    if atTop { allStrings = false }
                    if !fitsFloat64(b, i, e) { overflow = true }
                    i = e
                case 0x74, 0x66, 0x6E:  // true false null
                    let word: [UInt8] = c == 0x74 ? Array("true".utf8) : c == 0x66 ? Array("false".utf8) : Array("null".utf8)
                    for (k, w) in word.enumerated() {
                        guard i + k < end else { return .invalid }
                        guard b[i + k] == w else { return .invalid }
                    }
                    if atTop { allStrings = false }
                    i += word.count
                default:
                    return .invalid
                }
                expect = .commaOrClose
            }
        }
    }

    /// Index just past the closing quote of the string starting at `i`, or nil.
    static func scanString(_ b: [UInt8], _ i: Int, _ end: Int) -> Int? {
        var k = i + 1
        while k < end {
            let c = b[k]
            if c == 0x22 { return k + 1 }
            if c < 0x20 { return nil }
            if c == 0x5C {
                k += 1
                guard k < end else { return nil }
                switch b[k] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                    k += 1
                case 0x75:
                    for d in 1...4 {
                        guard k + d < end, hexValue(b[k + d]) != nil else { return nil }
                    }
                    k += 5
                default:
                    return nil
                }
                continue
            }
            k += 1
        }
        return nil
    }

    /// Index just past the number starting at `i` (Go's number grammar), or nil.
    static func scanNumber(_ b: [UInt8], _ i: Int, _ end: Int) -> Int? {
        var k = i
        func digit(_ k: Int) -> Bool { k < end && b[k] >= 0x30 && b[k] <= 0x39 }
        if b[k] == 0x2D { k += 1 }
        guard digit(k) else { return nil }
        if b[k] == 0x30 {
            k += 1
        } else {
            while digit(k) { k += 1 }
        }
        if k < end && b[k] == 0x2E {
            k += 1
            guard digit(k) else { return nil }
            while digit(k) { k += 1 }
        }
        if k < end && (b[k] == 0x65 || b[k] == 0x45) {
            k += 1
            if k < end && (b[k] == 0x2B || b[k] == 0x2D) { k += 1 }
            guard digit(k) else { return nil }
            while digit(k) { k += 1 }
        }
        return k
    }

    /// Whether strconv.ParseFloat(s, 64) succeeds (it fails only on overflow here).
    static func fitsFloat64(_ b: [UInt8], _ lo: Int, _ hi: Int) -> Bool {
        // Cheap path: short numbers without a large exponent always fit.
        if hi - lo < 300 && !b[lo..<hi].contains(where: { $0 == 0x65 || $0 == 0x45 }) { return true }
        guard let d = Double(String(decoding: b[lo..<hi], as: UTF8.self)) else { return false }
        return d.isFinite
    }

    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    /// Decodes the (already validated) contents of a JSON string like Go does: escapes,
    /// surrogate pairs, lone surrogates and invalid UTF-8 become U+FFFD.
    static func unquote(_ b: [UInt8], _ lo: Int, _ hi: Int) -> String {
        // common case: no escapes, plain ASCII
        var simple = true
        for k in lo..<hi where b[k] == 0x5C || b[k] >= 0x80 {
            simple = false
            break
        }
        if simple { return String(decoding: b[lo..<hi], as: UTF8.self) }
        var out = String.UnicodeScalarView()
        var k = lo
        func u4(_ at: Int) -> UInt32? {
            guard at + 6 <= hi, b[at] == 0x5C, b[at + 1] == 0x75 else { return nil }
            var v: UInt32 = 0
            for d in 2...5 {
                guard let h = hexValue(b[at + d]) else { return nil }
                v = v << 4 | h
            }
            return v
        }
        while k < hi {
            let c = b[k]
            if c == 0x5C {
                let e = b[k + 1]
                switch e {
                case 0x62: out.append("\u{08}"); k += 2
                case 0x66: out.append("\u{0C}"); k += 2
                case 0x6E: out.append("\n"); k += 2
                case 0x72: out.append("\r"); k += 2
                case 0x74: out.append("\t"); k += 2
                case 0x75:
                    var r = u4(k) ?? 0xFFFD
                    k += 6
                    if r >= 0xD800 && r < 0xE000 {
                        if r < 0xDC00, let r2 = u4(k), r2 >= 0xDC00 && r2 < 0xE000 {
                            r = 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00)
                            k += 6
                        } else {
                            r = 0xFFFD
                        }
                    }
                    out.append(Unicode.Scalar(r) ?? "\u{FFFD}")
                default:  // " \ /
                    out.append(Unicode.Scalar(e))
                    k += 2
                }
                continue
            }
            let (v, w) = GoText.decode(b, k, hi)
            out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            k += w
        }
        return String(out)
    }
}
