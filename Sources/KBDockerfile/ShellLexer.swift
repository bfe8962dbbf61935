/// Variable substitution and word splitting with BuildKit's rules (its `shell.Lex`):
/// `$v`, `${v}`, `${v:-w}`, `${v-w}`, `${v:+w}`, `${v+w}`, `${v:?w}`, `${v?w}`,
/// `${v#p}`, `${v##p}`, `${v%p}`, `${v%%p}`, `${v/p/r}`, `${v//p/r}`, quotes and the
/// escape character.
public struct ShellLexer: Sendable, Hashable {
    /// `\` (default) or `` ` ``.
    public var escapeToken: Unicode.Scalar
    /// Keep quote characters in the output.
    public var rawQuotes = false
    /// Keep escape characters in the output.
    public var rawEscapes = false
    /// Treat quotes as ordinary characters.
    public var skipProcessQuotes = false
    /// Leave references to unset variables as written (`$X`, `${X:-y}`).
    public var skipUnsetEnv = false

    public init(escapeToken: Unicode.Scalar = "\\") {
        self.escapeToken = escapeToken
    }

    /// The lexer for a parsed Dockerfile's escape character.
    public init(escapeCharacter: Character) {
        self.escapeToken = escapeCharacter.unicodeScalars.first ?? "\\"
    }

    /// What processing a word gives.
    public struct Result: Sendable, Hashable {
        /// The word with variables substituted and quotes/escapes processed (ProcessWord).
        public var value: String
        /// The same, split into words on unquoted white space (ProcessWords).
        public var words: [String]
        /// Variables that were referenced and set, in order of first reference.
        public var referencedVariables: [String]
        /// Variables that were referenced but not set, in order of first reference.
        public var unsetVariables: [String]
    }

    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Processes a word: substitution, quotes, escapes, and the split into words.
    public func process(_ word: String, environment: ShellEnvironment = ShellEnvironment()) throws(Error) -> Result {
        var state = LexState(lexer: self, scalars: Array(word.unicodeScalars), env: environment)
        do {
            let (value, words) = try state.processStopOn(nil, rawEscapes: rawEscapes)
            return Result(value: value, words: words, referencedVariables: state.matched, unsetVariables: state.unmatched)
        } catch {
            throw Error(message: "failed to process \(GoText.quote(word)): \(error.message)")
        }
    }

    /// BuildKit's `ProcessWord`: the substituted word, interior white space kept.
    public func expand(_ word: String, environment: ShellEnvironment = ShellEnvironment()) throws(Error) -> String {
        // Most words (paths, image names) hold nothing the lexer would change: no `$`, no
        // quote, no escape character. They come back as they are, without the lexer's walk.
        if escapeToken.isASCII, !word.utf8.contains(where: { $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "\"") || $0 == UInt8(escapeToken.value) }) {
            return word
        }
        return try process(word, environment: environment).value
    }

    /// BuildKit's `ProcessWords`: the substituted word split on unquoted white space.
    public func words(_ word: String, environment: ShellEnvironment = ShellEnvironment()) throws(Error) -> [String] {
        try process(word, environment: environment).words
    }

    /// Words with the scalar offsets they came from (for locating heredoc markers).
    func wordsWithSpans(_ scalars: [Unicode.Scalar]) -> [(word: String, span: Range<Int>)]? {
        var state = LexState(lexer: self, scalars: scalars, env: ShellEnvironment())
        state.trackSpans = true
        guard (try? state.processStopOn(nil, rawEscapes: rawEscapes)) != nil else { return nil }
        return state.topWords
    }
}

/// An ordered list of variables; a later entry for the same name replaces an earlier one.
public struct ShellEnvironment: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    private var values: [String: String] = [:]

    public init() {}

    /// From name-value pairs, in order.
    public init(_ pairs: [(String, String)]) {
        for (k, v) in pairs { values[k] = v }
    }

    /// From `NAME=value` strings (a string without `=` defines an empty variable).
    public init(assignments: [String]) {
        for a in assignments {
            if let eq = a.firstIndex(of: "=") {
                values[String(a[..<eq])] = String(a[a.index(after: eq)...])
            } else {
                values[a] = ""
            }
        }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public subscript(name: String) -> String? {
        get { values[name] }
        set { values[name] = newValue }
    }

    public var names: [String] { values.keys.sorted() }
}

// MARK: - The lexer's state machine

private struct LexFailure: Swift.Error {
    var message: String
    init(_ m: String) { message = m }
}

private typealias Scalars = [Unicode.Scalar]

private func makeString(_ s: Scalars) -> String {
    if s.isEmpty { return "" }
    return String(unsafeUninitializedCapacity: s.count * 4) { buffer in
        var i = 0
        for c in s {
            let v = c.value
            if v < 0x80 {
                buffer[i] = UInt8(v)
                i += 1
            } else {
                UTF8.encode(c) { unit in
                    buffer[i] = unit
                    i += 1
                }
            }
        }
        return i
    }
}

@inline(__always) private func scalarsOf(_ s: String) -> Scalars { Array(s.unicodeScalars) }

private struct WordsBuilder {
    var words: [String] = []
    var spans: [Range<Int>] = []
    var word: Scalars = []
    var inWord = false
    var start = 0
    var end = 0

    mutating func addChar(_ c: Unicode.Scalar, _ s: Range<Int>) {
        if GoText.isSpace(c) {
            if inWord && !word.isEmpty {
                push()
            }
        } else {
            addRawChar(c, s)
        }
    }

    mutating func addRawChar(_ c: Unicode.Scalar, _ s: Range<Int>) {
        if !inWord { start = s.lowerBound }
        word.append(c)
        inWord = true
        end = s.upperBound
    }

    mutating func addString(_ str: Scalars, _ s: Range<Int>) {
        for c in str { addChar(c, s) }
    }

    mutating func addRawString(_ str: Scalars, _ s: Range<Int>) {
        if !inWord { start = s.lowerBound }
        word.append(contentsOf: str)
        inWord = true
        end = s.upperBound
    }

    mutating func push() {
        words.append(makeString(word))
        spans.append(start..<end)
        word.removeAll(keepingCapacity: true)
        inWord = false
    }

    mutating func finish() -> [String] {
        if !word.isEmpty { push() }
        return words
    }
}

private struct LexState {
    let lexer: ShellLexer
    let scalars: Scalars
    let env: ShellEnvironment
    var pos = 0
    var rawEscapes: Bool
    var matched: [String] = []
    var unmatched: [String] = []
    var seen: Set<String> = []
    var trackSpans = false
    var topWords: [(word: String, span: Range<Int>)] = []
    var depth = 0

    init(lexer: ShellLexer, scalars: Scalars, env: ShellEnvironment) {
        self.lexer = lexer
        self.scalars = scalars
        self.env = env
        self.rawEscapes = lexer.rawEscapes
        // Go's text/scanner skips a byte order mark at the very start.
        if scalars.first == "\u{FEFF}" { pos = 1 }
    }

    @inline(__always) func peek() -> Unicode.Scalar? { pos < scalars.count ? scalars[pos] : nil }

    @inline(__always) mutating func next() -> Unicode.Scalar? {
        guard pos < scalars.count else { return nil }
        pos += 1
        return scalars[pos - 1]
    }

    mutating func processStopOn(_ stop: Unicode.Scalar?, rawEscapes raw: Bool) throws(LexFailure) -> (String, [String]) {
        let (value, words) = try processStopOnScalars(stop, rawEscapes: raw)
        return (makeString(value), words)
    }

    mutating func processStopOnScalars(_ stop: Unicode.Scalar?, rawEscapes raw: Bool) throws(LexFailure) -> (Scalars, [String]) {
        let saved = rawEscapes
        rawEscapes = raw
        defer { rawEscapes = saved }
        depth += 1
        defer { depth -= 1 }
        let top = depth == 1

        var result: Scalars = []
        if top { result.reserveCapacity(scalars.count - pos) }
        var words = WordsBuilder()
        while let ch = peek() {
            if let stop, ch == stop {
                pos += 1
                return (result, words.finish())
            }
            let elementStart = pos
            if ch == "$" {
                let tmp = try processDollar()
                result.append(contentsOf: tmp)
                words.addString(tmp, elementStart..<pos)
                continue
            }
            if ch == "<" {
                let tmp = processPossibleHeredoc()
                result.append(contentsOf: tmp)
                words.addRawString(tmp, elementStart..<pos)
                continue
            }
            if !lexer.skipProcessQuotes && ch == "'" {
                let tmp = try processSingleQuote()
                result.append(contentsOf: tmp)
                words.addRawString(tmp, elementStart..<pos)
                continue
            }
            if !lexer.skipProcessQuotes && ch == "\"" {
                let tmp = try processDoubleQuote()
                result.append(contentsOf: tmp)
                words.addRawString(tmp, elementStart..<pos)
                continue
            }
            var c = ch
            pos += 1
            if c == lexer.escapeToken {
                if rawEscapes {
                    words.addRawChar(c, elementStart..<pos)
                    result.append(c)
                }
                // the escape token escapes the next character, except at the end
                guard let n = next() else { break }
                c = n
                words.addRawChar(c, elementStart..<pos)
            } else {
                words.addChar(c, elementStart..<pos)
            }
            result.append(c)
        }
        if let stop {
            throw LexFailure("unexpected end of statement while looking for matching \(Character(stop))")
        }
        let finished = words.finish()
        if top && trackSpans {
            topWords = Array(zip(finished, words.spans)).map { ($0.0, $0.1) }
        }
        return (result, finished)
    }

    mutating func processSingleQuote() throws(LexFailure) -> Scalars {
        var result: Scalars = []
        let open = next()!
        if lexer.rawQuotes { result.append(open) }
        while true {
            guard let c = next() else {
                throw LexFailure("unexpected end of statement while looking for matching single-quote")
            }
            if c == "'" {
                if lexer.rawQuotes { result.append(c) }
                return result
            }
            result.append(c)
        }
    }

    mutating func processDoubleQuote() throws(LexFailure) -> Scalars {
        var result: Scalars = []
        let open = next()!
        if lexer.rawQuotes { result.append(open) }
        while true {
            guard let p = peek() else {
                throw LexFailure("unexpected end of statement while looking for matching double-quote")
            }
            if p == "\"" {
                pos += 1
                if lexer.rawQuotes { result.append(p) }
                return result
            }
            if p == "$" {
                result.append(contentsOf: try processDollar())
                continue
            }
            var c = next()!
            if c == lexer.escapeToken {
                if rawEscapes { result.append(c) }
                guard let after = peek() else { continue }  // escape at the end: dropped
                if after == "\"" || after == "$" || after == lexer.escapeToken {
                    c = next()!
                }
            }
            result.append(c)
        }
    }

    /// `<<` keeps the blanks after it in its word, so `<< EOF` is one word.
    mutating func processPossibleHeredoc() -> Scalars {
        var result: Scalars = [next()!]
        guard peek() == "<" else { return result }
        result.append(next()!)
        while let c = peek(), c == " " || c == "\t" || c == "\r" {
            result.append(c)
            pos += 1
        }
        return result
    }

    mutating func lookup(_ name: Scalars) -> (Scalars, Bool) {
        let key = makeString(name)
        let first = seen.insert(key).inserted
        if let v = env[key] {
            if first { matched.append(key) }
            return (scalarsOf(v), true)
        }
        if first { unmatched.append(key) }
        return ([], false)
    }

    mutating func processDollar() throws(LexFailure) -> Scalars {
        pos += 1  // "$"
        if peek() != "{" {
            let name = processName()
            if name.isEmpty { return ["$"] }
            let (value, found) = lookup(name)
            if !found && lexer.skipUnsetEnv { return ["$"] + name }
            return value
        }
        pos += 1  // "{"
        guard let first = peek() else { throw LexFailure("syntax error: missing '}'") }
        if first == "{" || first == "}" || first == ":" {
            throw LexFailure("syntax error: bad substitution")
        }
        let name = processName()
        let ch = next()
        var modifier: Scalars = [ch ?? "\u{FFFD}"]
        switch ch {
        case "}":
            let (value, found) = lookup(name)
            if !found && lexer.skipUnsetEnv { return ["$", "{"] + name + ["}"] }
            return value
        case ":", "+", "-", "?", "#", "%":
            var op = ch
            var nullIsUnset = false
            if ch == ":" {
                nullIsUnset = true
                op = next()
                modifier.append(op ?? "\u{FFFD}")
            }
            let raw = op == "#" || op == "%"
            if nullIsUnset && raw {
                throw LexFailure("unsupported modifier (\(makeString(modifier))) in substitution")
            }
            let word: Scalars
            do {
                word = try processStopOnScalars("}", rawEscapes: raw).0
            } catch {
                if peek() == nil { throw LexFailure("syntax error: missing '}'") }
                throw error
            }
            let (value, set) = lookup(name)
            if lexer.skipUnsetEnv && !set { return ["$", "{"] + name + modifier + word + ["}"] }
            switch op {
            case "-":
                return (!set || (nullIsUnset && value.isEmpty)) ? word : value
            case "+":
                return (!set || (nullIsUnset && value.isEmpty)) ? [] : word
            case "?":
                let n = makeString(name)
                if !set { throw LexFailure("\(n): \(word.isEmpty ? "is not allowed to be unset" : makeString(word))") }
                if nullIsUnset && value.isEmpty {
                    throw LexFailure("\(n): \(word.isEmpty ? "is not allowed to be empty" : makeString(word))")
                }
                return value
            case "#", "%":
                var pattern = word
                var greedy = false
                if let f = pattern.first, f == op! {
                    greedy = true
                    pattern.removeFirst()
                }
                if op == "%" {
                    return scalarsOf(try ShellPattern.trimSuffix(pattern: pattern, value: makeString(value), greedy: greedy))
                }
                return scalarsOf(try ShellPattern.trimPrefix(pattern: pattern, value: makeString(value), greedy: greedy))
            default:
                throw LexFailure("unsupported modifier (\(makeString(modifier))) in substitution")
            }
        case "/":
            let replaceAll = peek() == "/"
            if replaceAll { pos += 1 }
            let pattern: Scalars
            do {
                pattern = try processStopOnScalars("/", rawEscapes: true).0
            } catch {
                if peek() == nil { throw LexFailure("syntax error: missing '/' in ${}") }
                throw error
            }
            let replacement: Scalars
            do {
                replacement = try processStopOnScalars("}", rawEscapes: true).0
            } catch {
                if peek() == nil { throw LexFailure("syntax error: missing '}'") }
                throw error
            }
            let (value, set) = lookup(name)
            if lexer.skipUnsetEnv && !set {
                return ["$", "{"] + name + ["/"] + pattern + ["/"] + replacement + ["}"]
            }
            return scalarsOf(try ShellPattern.replace(
                pattern: pattern, in: makeString(value), with: makeString(replacement), all: replaceAll))
        default:
            throw LexFailure("unsupported modifier (\(makeString(modifier))) in substitution")
        }
    }

    mutating func processName() -> Scalars {
        var name: Scalars = []
        while let ch = peek() {
            if name.isEmpty && GoText.isDigit(ch) {
                while let d = peek(), GoText.isDigit(d) {
                    name.append(d)
                    pos += 1
                }
                return name
            }
            if name.isEmpty && Self.isSpecialParameter(ch) {
                pos += 1
                return [ch]
            }
            if !GoText.isLetter(ch) && !GoText.isDigit(ch) && ch != "_" { break }
            name.append(ch)
            pos += 1
        }
        return name
    }

    static func isSpecialParameter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "@", "*", "#", "?", "-", "$", "!", "0": return true
        default: return false
        }
    }
}

// MARK: - Patterns of ${v#p}, ${v%p} and ${v/p/r}

/// Shell wildcard patterns as BuildKit converts them to regular expressions: `*` is `.*`
/// (or `.*?`), `?` is `.`, and neither crosses a line break (`.` does not match `\n`).
private enum ShellPattern {
    enum Token: Hashable {
        case literal(Unicode.Scalar)
        case any
        case star
    }

    static func compile(_ pattern: [Unicode.Scalar]) throws(LexFailure) -> [Token] {
        var tokens: [Token] = []
        var i = pattern.first == "\u{FEFF}" ? 1 : 0  // text/scanner skips a leading BOM
        while i < pattern.count {
            let c = pattern[i]
            i += 1
            switch c {
            case "*":
                if tokens.last != .star { tokens.append(.star) }  // `**` matches like `*`
            case "?":
                tokens.append(.any)
            case "\\":
                if i < pattern.count && (pattern[i] == "}" || pattern[i] == "/") { continue }
                guard i < pattern.count else { throw LexFailure("invalid escape '\\\u{FFFD}'") }
                let e = pattern[i]
                i += 1
                guard e == "*" || e == "?" || e == "\\" else {
                    throw LexFailure("invalid escape '\\\(Character(e))'")
                }
                tokens.append(.literal(e))
            default:
                tokens.append(.literal(c))
            }
        }
        return tokens
    }

    /// Finds matches of a compiled pattern in one value with Perl/RE2 leftmost-first
    /// priorities (a greedy star takes the longest stretch that still lets the rest match, a
    /// lazy one the shortest), in O(value × pattern) time: for every star and position it
    /// precomputes whether the rest of the pattern can match from there.
    struct Matcher {
        let value: [Unicode.Scalar]
        let segments: [[Token]]
        let greedy: Bool
        /// first line break at or after each position (value.count when none)
        var newline: [Int] = []
        /// per star k (1-based): nearest position >= x / <= x where star k may stop
        var nextStop: [[Int32]] = []
        var previousStop: [[Int32]] = []

        init(tokens: [Token], value: [Unicode.Scalar], greedy: Bool) {
            self.value = value
            self.greedy = greedy
            var segments: [[Token]] = [[]]
            for t in tokens {
                if t == .star { segments.append([]) } else { segments[segments.count - 1].append(t) }
            }
            self.segments = segments
            let n = value.count
            let stars = segments.count - 1
            guard stars > 0 else { return }
            newline = Array(repeating: n, count: n + 1)
            var next = n
            for x in stride(from: n - 1, through: 0, by: -1) {
                if value[x] == "\n" { next = x }
                newline[x] = next
            }
            nextStop = Array(repeating: [], count: stars + 1)
            previousStop = Array(repeating: [], count: stars + 1)
            // canContinue[x]: the pattern after star k+1's segment can match from x
            var canContinue: [Bool] = Array(repeating: true, count: n + 1)
            for k in stride(from: stars, through: 1, by: -1) {
                let seg = segments[k]
                var stop = Array(repeating: false, count: n + 1)
                for q in 0...n where fits(seg, at: q) && canContinue[q + seg.count] { stop[q] = true }
                var nxt = Array(repeating: Int32(n + 1), count: n + 2)
                for x in stride(from: n, through: 0, by: -1) { nxt[x] = stop[x] ? Int32(x) : nxt[x + 1] }
                var prv = Array(repeating: Int32(-1), count: n + 1)
                var last: Int32 = -1
                for x in 0...n {
                    if stop[x] { last = Int32(x) }
                    prv[x] = last
                }
                // star k starting at x can end somewhere in x...newline[x]
                var reachable = Array(repeating: false, count: n + 1)
                for x in 0...n { reachable[x] = Int(nxt[x]) <= newline[x] }
                nextStop[k] = nxt
                previousStop[k] = prv
                canContinue = reachable
            }
            self.startsOK = canContinue
        }

        /// For the first star: whether the rest can match from each position.
        var startsOK: [Bool] = []

        func fits(_ seg: [Token], at p: Int) -> Bool {
            if p + seg.count > value.count { return false }
            for (k, t) in seg.enumerated() {
                let c = value[p + k]
                switch t {
                case .literal(let l): if c != l { return false }
                case .any: if c == "\n" { return false }
                case .star: return false
                }
            }
            return true
        }

        /// End of the match starting exactly at `start`, or nil.
        func matchEnd(from start: Int) -> Int? {
            guard fits(segments[0], at: start) else { return nil }
            var p = start + segments[0].count
            let stars = segments.count - 1
            if stars == 0 { return p }
            guard startsOK[p] else { return nil }
            for k in 1...stars {
                let q = greedy ? Int(previousStop[k][newline[p]]) : Int(nextStop[k][p])
                p = q + segments[k].count
            }
            return p
        }
    }

    static func trimPrefix(pattern: [Unicode.Scalar], value: String, greedy: Bool) throws(LexFailure) -> String {
        let tokens: [Token]
        do {
            tokens = try compile(pattern)
        } catch {
            throw LexFailure("invalid pattern (\(String(String.UnicodeScalarView(pattern)))) in substitution: \(error.message)")
        }
        let v = Array(value.unicodeScalars)
        guard let end = Matcher(tokens: tokens, value: v, greedy: greedy).matchEnd(from: 0) else { return value }
        return String(String.UnicodeScalarView(v[end...]))
    }

    /// BuildKit reverses the pattern (keeping `\x` pairs in order) and the value.
    static func reversePattern(_ p: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard !p.isEmpty else { return p }
        var out = p
        let last = p.count - 1
        var i = 0
        while i <= last {
            let t = p[i]
            let o = last - i
            if t == "\\" && i != last {
                out[o - 1] = t
                out[o] = p[i + 1]
                i += 2
            } else {
                out[o] = t
                i += 1
            }
        }
        return out
    }

    static func trimSuffix(pattern: [Unicode.Scalar], value: String, greedy: Bool) throws(LexFailure) -> String {
        let reversed = String(String.UnicodeScalarView(Array(value.unicodeScalars).reversed()))
        let trimmed = try trimPrefix(pattern: reversePattern(pattern), value: reversed, greedy: greedy)
        return String(String.UnicodeScalarView(Array(trimmed.unicodeScalars).reversed()))
    }

    static func replace(pattern: [Unicode.Scalar], in value: String, with replacement: String, all: Bool) throws(LexFailure) -> String {
        let tokens: [Token]
        do {
            tokens = try compile(pattern)
        } catch {
            throw LexFailure("invalid pattern (\(String(String.UnicodeScalarView(pattern)))) in substitution: \(error.message)")
        }
        let v = Array(value.unicodeScalars)
        let matcher = Matcher(tokens: tokens, value: v, greedy: true)
        func find(from s: Int) -> Range<Int>? {
            var start = s
            while start <= v.count {
                if let end = matcher.matchEnd(from: start) { return start..<end }
                start += 1
            }
            return nil
        }
        if !all {
            guard let m = find(from: 0) else { return value }
            return String(String.UnicodeScalarView(v[..<m.lowerBound])) + replacement
                + String(String.UnicodeScalarView(v[m.upperBound...]))
        }
        // regexp.ReplaceAllString: template expansion, empty matches right after a match skipped
        var out = String.UnicodeScalarView()
        var lastEnd = 0
        var search = 0
        while search <= v.count {
            guard let m = find(from: search) else { break }
            out.append(contentsOf: v[lastEnd..<m.lowerBound])
            if m.upperBound > lastEnd || m.lowerBound == 0 {
                out.append(contentsOf: expandTemplate(replacement, match: v[m]).unicodeScalars)
            }
            lastEnd = m.upperBound
            if search + 1 > m.upperBound { search += 1 } else { search = m.upperBound }
        }
        if lastEnd < v.count { out.append(contentsOf: v[lastEnd...]) }
        return String(out)
    }

    /// Go's `Regexp.Expand` for a pattern without groups: `$0`/`${0}` is the match, `$$` is
    /// `$`, other names expand to nothing, and a malformed `$` stays as is.
    static func expandTemplate(_ template: String, match: ArraySlice<Unicode.Scalar>) -> String {
        let t = Array(template.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < t.count {
            let c = t[i]
            guard c == "$" else { out.append(c); i += 1; continue }
            i += 1
            if i < t.count && t[i] == "$" { out.append("$"); i += 1; continue }
            var j = i
            var brace = false
            if j < t.count && t[j] == "{" { brace = true; j += 1 }
            let nameStart = j
            while j < t.count && (GoText.isLetter(t[j]) || GoText.isDigit(t[j]) || t[j] == "_") { j += 1 }
            let name = Array(t[nameStart..<j])
            if name.isEmpty || (brace && (j >= t.count || t[j] != "}")) {
                out.append("$")
                continue
            }
            if brace { j += 1 }
            i = j
            // only group 0 exists; a name with leading zeros is not a number
            let isZero = name == ["0"]
            if isZero { out.append(contentsOf: match) }
        }
        return String(out)
    }
}
