/// One instruction, as BuildKit's parser sees it, with its exact place in the source.
///
/// A value with its fields in one shared, copy-on-write box: rules and the build model pass
/// instructions around by the thousand, and copying a box is one reference count where
/// copying the fields was a dozen.
public struct Instruction: Sendable, Hashable {
    struct Fields: Sendable, Hashable {
        var keyword: String
        var cmd: String
        var kind: InstructionKind
        var range: SourceRange
        var flags: [Flag]
        var arguments: [String]
        var isJSONForm: Bool
        var heredocs: [Heredoc]
        var chain: ArraySlice<Instruction>
        var line: LogicalLine
        var originalSpan: Range<Int>
        var keywordSpan: Range<Int>
        var argumentsSpan: Range<Int>
    }

    private final class Box: @unchecked Sendable {
        // Written only while uniquely referenced (see `fields`), so sharing is safe.
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    private var fields: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            yield &box.fields
        }
    }

    init(
        keyword: String, cmd: String, kind: InstructionKind, range: SourceRange, flags: [Flag], arguments: [String],
        isJSONForm: Bool, heredocs: [Heredoc], chain: ArraySlice<Instruction>, line: LogicalLine,
        originalSpan: Range<Int>, keywordSpan: Range<Int>, argumentsSpan: Range<Int>
    ) {
        box = Box(Fields(
            keyword: keyword, cmd: cmd, kind: kind, range: range, flags: flags, arguments: arguments, isJSONForm: isJSONForm,
            heredocs: heredocs, chain: chain, line: line, originalSpan: originalSpan, keywordSpan: keywordSpan,
            argumentsSpan: argumentsSpan))
    }

    public static func == (a: Instruction, b: Instruction) -> Bool { a.box === b.box || a.fields == b.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }

    /// The keyword as written (`FROM`, `from`, `From`).
    public var keyword: String {
        get { fields.keyword }
        set { fields.keyword = newValue }
    }
    /// The keyword lower-cased: BuildKit's `cmd` (`from`, `run`, …).
    public var cmd: String {
        get { fields.cmd }
        set {
            fields.cmd = newValue
            fields.kind = InstructionKind(rawValue: newValue) ?? .unknown
        }
    }
    /// The instruction kind, or `.unknown` for a keyword BuildKit does not know. Stored:
    /// every rule asks, many times per instruction.
    public var kind: InstructionKind { fields.kind }
    /// From the keyword to the end of the last line the instruction spans (continuation
    /// lines, comment lines inside it and heredoc bodies included; line break excluded).
    public var range: SourceRange {
        get { fields.range }
        set { fields.range = newValue }
    }
    /// BuildKit's `Original`: the logical line, continuation lines joined with the escape
    /// characters, line breaks and comment lines removed. Heredoc bodies are not included.
    public var original: String {
        if originalSpan.lowerBound == 0 && originalSpan.count == logicalLine.utf8.count { return logicalLine }
        let u = logicalLine.utf8
        let lo = u.index(u.startIndex, offsetBy: originalSpan.lowerBound)
        let hi = u.index(lo, offsetBy: originalSpan.count)
        return String(logicalLine[lo..<hi])
    }
    /// Flags (`--from=build`, `--mount=…`, `--link`), unknown ones included, in order.
    public var flags: [Flag] {
        get { fields.flags }
        set { fields.flags = newValue }
    }
    /// The arguments exactly as BuildKit's parser gives them (its `Next` chain): for
    /// `ENV`/`LABEL` the key, value and separator triples; for JSON form the decoded
    /// elements; for shell form the rest of the line. Empty for `ONBUILD` (see `trigger`).
    public var arguments: [String] {
        get { fields.arguments }
        set { fields.arguments = newValue }
    }
    /// Whether the arguments were written as a JSON array (exec form).
    public var isJSONForm: Bool {
        get { fields.isJSONForm }
        set { fields.isJSONForm = newValue }
    }
    /// Here-documents attached to the instruction, in the order their bodies appear.
    public var heredocs: [Heredoc] {
        get { fields.heredocs }
        set { fields.heredocs = newValue }
    }

    /// ONBUILD chain below this instruction; each element has an empty chain itself, so no
    /// nesting depth can overflow the stack when the value is destroyed.
    var chain: ArraySlice<Instruction> {
        get { fields.chain }
        set { fields.chain = newValue }
    }
    /// The logical line, its map to the source and the escape character; shared by an
    /// ONBUILD instruction and its triggers.
    var line: LogicalLine { fields.line }
    /// Where `original` is in the logical line (a suffix of it for ONBUILD triggers).
    var originalSpan: Range<Int> { fields.originalSpan }
    /// Keyword and arguments (after the flags) in logical-line coordinates.
    var keywordSpan: Range<Int> { fields.keywordSpan }
    var argumentsSpan: Range<Int> { fields.argumentsSpan }

    var lineMap: LineMap { line.map }
    var logicalLine: String { line.text }
    var escape: UInt8 { line.escape }

    /// For `ONBUILD`, the instruction it registers (which may itself be an `ONBUILD`).
    public var trigger: Instruction? {
        guard let first = chain.first else { return nil }
        var inner = first
        inner.chain = chain.dropFirst()
        return inner
    }

    /// Where the keyword is.
    public var keywordRange: SourceRange { lineMap.range(keywordSpan) }

    /// Where the arguments (everything after the keyword and the flags) are, if any.
    public var argumentsRange: SourceRange? {
        argumentsSpan.isEmpty ? nil : lineMap.range(argumentsSpan)
    }

    /// Maps a range of UTF-8 offsets within `original` to the source; useful to point at
    /// a part of an instruction that spans continuation lines.
    public func sourceRange(ofOriginal offsets: Range<Int>) -> SourceRange {
        let lo = min(max(0, offsets.lowerBound), originalSpan.count)
        let hi = min(max(lo, offsets.upperBound), originalSpan.count)
        return lineMap.range((originalSpan.lowerBound + lo)..<(originalSpan.lowerBound + hi))
    }

    /// The first flag with the given name (without the leading `--`).
    public func flag(_ name: String) -> Flag? { flags.first { $0.name == name } }

    /// Whether the instruction carries the flag (`--link`, `--link=true` …).
    public func hasFlag(_ name: String) -> Bool { flag(name) != nil }
}

/// The instructions BuildKit's parser knows.
public enum InstructionKind: String, Sendable, Hashable, CaseIterable {
    case add, arg, cmd, copy, entrypoint, env, expose, from, healthcheck, label, maintainer
    case onbuild, run, shell, stopsignal, user, volume, workdir
    case unknown
}

/// A flag such as `--from=build` or `--link`.
public struct Flag: Sendable, Hashable {
    /// The flag as BuildKit reports it, quotes and escapes removed: `--from=build`.
    public var text: String
    /// Name without the leading dashes: `from`.
    public var name: String
    /// The value after `=`; nil when there is no `=` (`--link`).
    public var value: String?
    /// Where the flag is written (quotes included).
    public var range: SourceRange
    /// The bytes BuildKit collected (they may split a UTF-8 character, see `buildkitText`).
    var bytes: [UInt8] = []

    public init(text: String, name: String, value: String?, range: SourceRange) {
        self.text = text
        self.name = name
        self.value = value
        self.range = range
    }

    /// A boolean flag's value: `--link` and `--link=true` are true.
    public var boolValue: Bool? {
        guard let value else { return true }
        switch value.lowercased() {
        case "true", "1", "t": return true
        case "false", "0", "f": return false
        default: return nil
        }
    }
}

/// A here-document (`<<EOF` … `EOF`).
public struct Heredoc: Sendable, Hashable {
    /// The delimiter word with quotes removed: `EOF`.
    public var name: String
    /// The file descriptor written before `<<` (`3<<EOF`), 0 when absent.
    public var fileDescriptor: UInt
    /// Whether variables in the body are expanded (false when the delimiter was quoted).
    public var expand: Bool
    /// Whether leading tabs are stripped (`<<-`).
    public var chomp: Bool
    /// The body exactly as written: every line with its line break (BuildKit's `Content`).
    public var content: String
    /// The lines of the body (may be empty); the terminator is on `bodyLines.upperBound`.
    public var bodyLines: Range<Int>
    /// From the start of the first body line to the start of the terminator line, so the
    /// body's line breaks are included (empty for an empty body).
    public var bodyRange: SourceRange
    /// The terminator line, leading tabs included (line break excluded).
    public var terminatorRange: SourceRange
    /// The `<<EOF` word in the instruction, when it could be located.
    public var markerRange: SourceRange?
    /// The same in logical-line coordinates (for the tokenizer).
    var markerSpan: Range<Int>?

    public init(
        name: String, fileDescriptor: UInt, expand: Bool, chomp: Bool, content: String,
        bodyLines: Range<Int>, bodyRange: SourceRange, terminatorRange: SourceRange, markerRange: SourceRange?
    ) {
        self.init(
            name: name, fileDescriptor: fileDescriptor, expand: expand, chomp: chomp, content: content,
            bodyLines: bodyLines, bodyRange: bodyRange, terminatorRange: terminatorRange,
            markerRange: markerRange, markerSpan: nil)
    }

    init(
        name: String, fileDescriptor: UInt, expand: Bool, chomp: Bool, content: String,
        bodyLines: Range<Int>, bodyRange: SourceRange, terminatorRange: SourceRange, markerRange: SourceRange?,
        markerSpan: Range<Int>?
    ) {
        self.markerSpan = markerSpan
        self.name = name
        self.fileDescriptor = fileDescriptor
        self.expand = expand
        self.chomp = chomp
        self.content = content
        self.bodyLines = bodyLines
        self.bodyRange = bodyRange
        self.terminatorRange = terminatorRange
        self.markerRange = markerRange
    }

    /// The body as the build uses it: with `<<-`, leading tabs removed from every line.
    public var effectiveContent: String { chomp ? Heredoc.chomp(content) : content }

    /// BuildKit's `ChompHeredocContent`: removes the tabs at the start of every line.
    public static func chomp(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var atLineStart = true
        for b in text.utf8 {
            if atLineStart && b == 0x09 { continue }
            atLineStart = b == 0x0A
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A logical line (continuation lines joined), shared by reference.
final class LogicalLine: Sendable, Hashable {
    let text: String
    let map: LineMap
    let escape: UInt8

    init(text: String, map: LineMap, escape: UInt8) {
        self.text = text
        self.map = map
        self.escape = escape
    }

    static func == (a: LogicalLine, b: LogicalLine) -> Bool {
        a === b || (a.text == b.text && a.map == b.map && a.escape == b.escape)
    }

    func hash(into h: inout Hasher) {
        h.combine(text)
        h.combine(map)
    }
}

/// Maps offsets in a logical line (continuation lines joined) back to source positions.
struct LineMap: Sendable, Hashable {
    /// One entry per contributing fragment of a physical line, in order.
    struct Segment: Sendable, Hashable {
        var lineOffset: Int     // where the fragment starts in the logical line
        var sourceOffset: Int   // where it starts in the source
        var line: Int           // its physical line number
        var lineStart: Int      // source offset of that line's first byte
        var column: Int         // column (scalars) of sourceOffset
        var length: Int
        /// For long fragments with non-ASCII text: scalars before every 256th byte, so a
        /// column is found in constant time (nil when the fragment is short or ASCII).
        var scalarCheckpoints: [Int32]? = nil
    }
    var segments: [Segment]
    /// Scalar columns need the source text; counted lazily from these bytes.
    var source: SourceText

    func position(_ offset: Int, preferEnd: Bool) -> SourcePosition {
        guard !segments.isEmpty else { return SourcePosition(line: 1, column: 1, offset: 0) }
        // binary search for the last segment starting at or before offset
        var lo = 0, hi = segments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if segments[mid].lineOffset <= offset { lo = mid + 1 } else { hi = mid }
        }
        var i = max(0, lo - 1)
        if preferEnd {
            // an end offset at a segment boundary belongs to the previous non-empty segment
            while i > 0 && (segments[i].lineOffset == offset) { i -= 1 }
        } else {
            while i + 1 < segments.count && segments[i].length == 0 && segments[i + 1].lineOffset == offset { i += 1 }
        }
        let s = segments[i]
        let delta = min(max(0, offset - s.lineOffset), s.length)
        let src = s.sourceOffset + delta
        var column = s.column
        if let checkpoints = s.scalarCheckpoints {
            let k = delta >> 8
            column += Int(checkpoints[k]) + source.scalarCount(s.sourceOffset + (k << 8), src)
        } else {
            column += source.scalarCount(s.sourceOffset, src)
        }
        return SourcePosition(line: s.line, column: column, offset: src)
    }

    /// Checkpoints for `LineMap.Segment.scalarCheckpoints`, or nil when not needed.
    static func checkpoints(_ b: [UInt8], _ lo: Int, _ hi: Int) -> [Int32]? {
        guard hi - lo > 512 else { return nil }
        var ascii = true
        for k in lo..<hi where b[k] >= 0x80 {
            ascii = false
            break
        }
        if ascii { return nil }
        var out: [Int32] = [0]
        out.reserveCapacity((hi - lo) / 256 + 1)
        var count: Int32 = 0
        var k = lo
        while k < hi {
            if b[k] & 0xC0 != 0x80 { count += 1 }
            k += 1
            if (k - lo) & 255 == 0 { out.append(count) }
        }
        return out
    }

    func range(_ r: Range<Int>) -> SourceRange {
        let start = position(r.lowerBound, preferEnd: false)
        if r.isEmpty { return SourceRange(start: start, end: start) }
        return SourceRange(start: start, end: position(r.upperBound, preferEnd: true))
    }
}

/// The source bytes, shared by value (copy-on-write array).
struct SourceText: Sendable, Hashable {
    var bytes: [UInt8]
    /// Columns on line 1 do not count a byte order mark.
    var bomLength: Int

    init(bytes: [UInt8]) {
        self.bytes = bytes
        self.bomLength = (bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) ? 3 : 0
    }

    static func == (a: SourceText, b: SourceText) -> Bool { a.bytes.count == b.bytes.count }
    func hash(into h: inout Hasher) { h.combine(bytes.count) }

    /// Number of Unicode scalars in `lo..<hi` (UTF-8 lead bytes). Callers keep the range
    /// short (a line prefix, or a stretch after a checkpoint).
    func scalarCount(_ lo: Int, _ hi: Int) -> Int {
        var n = 0
        var i = lo
        while i < hi {
            if bytes[i] & 0xC0 != 0x80 { n += 1 }
            i += 1
        }
        return n
    }

    func column(lineStart: Int, offset: Int) -> Int {
        if lineStart == 0 && bomLength > 0 && offset >= bomLength { return 1 + scalarCount(bomLength, offset) }
        return 1 + scalarCount(lineStart, offset)
    }

    func position(line: Int, lineStart: Int, offset: Int) -> SourcePosition {
        SourcePosition(line: line, column: column(lineStart: lineStart, offset: offset), offset: offset)
    }
}
