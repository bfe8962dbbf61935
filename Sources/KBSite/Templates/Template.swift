/// A parsed theme template. The language is Mustache (variables, sections, inverted sections,
/// comments, partials, set delimiters) with template inheritance (`{{<parent}}` and
/// `{{$block}}`), whitespace handled as swift-mustache handles it, so themes written for
/// kb's earlier renderer render to the same bytes. Lambdas, transforms (`{{f(x)}}`), dynamic
/// partials (`{{>*name}}`) and pragmas (`{{%…}}`) are refused with the line they are on:
/// kb's values are plain data, so they could never do anything.
struct Template: Sendable {
    let tokens: [Token]

    /// A name as written in a tag: `.` (the current value), `a.b.c` (looked up from the
    /// innermost value outwards), `.a.b` (from the current value only).
    struct Name: Sendable, Equatable {
        let components: [String]
        /// Whether the lookup starts at the current value instead of climbing outwards.
        let fromCurrent: Bool

        init(_ text: String) {
            components = text.split(separator: ".").map(String.init)
            fromCurrent = text.first == "."
        }
    }

    indirect enum Token: Sendable {
        case text(String)
        case variable(Name, escaped: Bool)
        case section(Name, Template, inverted: Bool)
        /// `{{>name}}`, or `{{<name}}` with the blocks it overrides. `indentation` is set on a
        /// standalone partial (and always on a parent): lines after the first are indented.
        case partial(String, indentation: String?, overrides: [String: Template]?)
        /// `{{$name}}default{{/name}}` where a parent's override may replace it.
        case block(String, Template, indentation: String)
        /// `{{$name}}…{{/name}}` directly inside `{{<parent}}`: the override itself.
        case blockDefinition(String, Template)
    }

    struct ParseError: Error, Sendable {
        let line: Int
        let message: String
    }

    init(tokens: [Token]) { self.tokens = tokens }

    init(parsing source: String) throws(ParseError) {
        var parser = TemplateParser(Array(source.utf8))
        self = try parser.parseAll()
    }
}

/// Reads template text byte by byte. Tag syntax is ASCII, and no byte of a multi-byte UTF-8
/// character is ASCII, so text between tags is copied through untouched.
struct TemplateParser {
    private let bytes: [UInt8]
    private var position = 0

    private struct State {
        var sectionName: String?
        var newLine = true
        var inParent = false
        var parentTopLevel = false
        var startDelimiter: [UInt8] = Array("{{".utf8)
        var endDelimiter: [UInt8] = Array("}}".utf8)
        /// Inside a parent's blocks, the indentation of the first line, removed from every line.
        var blockIndentation: Int?

        func inSection(_ name: String, newLine keepNewLine: Bool) -> State {
            var state = self
            state.sectionName = name
            state.parentTopLevel = false
            if !keepNewLine { state.newLine = false }
            return state
        }

        func inParent(_ name: String) -> State {
            var state = self
            state.sectionName = name
            state.newLine = true
            state.inParent = true
            state.parentTopLevel = true
            return state
        }
    }

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseAll() throws(Template.ParseError) -> Template {
        // kb's earlier renderer put a pragma tag before every template: when the first line
        // holds nothing else it stands alone (the line goes), and otherwise no tag on the
        // first line can stand alone. Starting as after that tag keeps themes' bytes.
        var state = State()
        state.newLine = isStandalone(state)
        return try parse(state)
    }

    private var atEnd: Bool { position >= bytes.count }
    private var current: UInt8 { position < bytes.count ? bytes[position] : 0 }

    private func fail(_ message: String) -> Template.ParseError {
        let line = 1 + bytes[..<min(position, bytes.count)].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        return Template.ParseError(line: line, message: message)
    }

    // MARK: Lines

    /// The length of the line break at `index` that ends a line of text: `\n` or `\r\n`.
    private func textLineBreak(at index: Int) -> Int {
        guard index < bytes.count else { return 0 }
        if bytes[index] == 0x0A { return 1 }
        if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { return 2 }
        return 0
    }

    /// The length of any line break at `index` (Unicode's: CR, LF, CRLF, VT, FF, NEL, LS, PS).
    private func anyLineBreak(at index: Int) -> Int {
        guard index < bytes.count else { return 0 }
        switch bytes[index] {
        case 0x0A, 0x0B, 0x0C: return 1
        case 0x0D: return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
        case 0xC2: return index + 1 < bytes.count && bytes[index + 1] == 0x85 ? 2 : 0
        case 0xE2:
            return index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9) ? 3 : 0
        default: return 0
        }
    }

    private mutating func readSpacesAndTabs() -> [UInt8] {
        let start = position
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
        return Array(bytes[start..<position])
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x20 || (0x09...0x0D).contains(byte) { position += 1 } else { break }
        }
    }

    /// A tag stands alone when only spaces or tabs follow it on its line: the line break
    /// after it is then part of the tag.
    private mutating func isStandalone(_ state: State) -> Bool {
        guard state.newLine else { return false }
        if atEnd { return true }
        var probe = position
        while probe < bytes.count, bytes[probe] == 0x20 || bytes[probe] == 0x09 { probe += 1 }
        let lineBreak = anyLineBreak(at: probe)
        guard lineBreak > 0 else { return false }
        position = probe + lineBreak
        return true
    }

    private func matches(_ delimiter: [UInt8], at index: Int) -> Bool {
        guard index + delimiter.count <= bytes.count else { return false }
        for offset in 0..<delimiter.count where bytes[index + offset] != delimiter[offset] { return false }
        return true
    }

    /// Text up to a line break (left unread) or the start delimiter (read).
    private mutating func readTextUntilTagOrLineBreak(_ state: State) -> [UInt8] {
        let start = position
        while position < bytes.count {
            if textLineBreak(at: position) > 0 { return Array(bytes[start..<position]) }
            if matches(state.startDelimiter, at: position) {
                let text = Array(bytes[start..<position])
                position += state.startDelimiter.count
                return text
            }
            position += 1
        }
        return Array(bytes[start..<position])
    }

    // MARK: Names

    private static func nameByte(_ byte: UInt8, partial: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "?"), UInt8(ascii: "*"),
             UInt8(ascii: "("), UInt8(ascii: ")"):
            return true
        case UInt8(ascii: "/"): return partial
        default: return false
        }
    }

    private mutating func readName(_ state: State, partial: Bool = false) throws(Template.ParseError) -> String {
        skipWhitespace()
        let start = position
        while position < bytes.count, Self.nameByte(bytes[position], partial: partial) { position += 1 }
        let name = String(decoding: bytes[start..<position], as: UTF8.self)
        skipWhitespace()
        guard matches(state.endDelimiter, at: position) else { throw fail("a tag is not closed with \(String(decoding: state.endDelimiter, as: UTF8.self)) where it should be") }
        position += state.endDelimiter.count
        if !partial, name.contains("(") || name.contains(")") {
            throw fail("'\(name)': transforms are not supported (kb's values are plain data)")
        }
        if name.hasPrefix("*") { throw fail("'\(name)': dynamic names are not supported") }
        return name
    }

    private mutating func readDelimiters(_ state: State) throws(Template.ParseError) -> State {
        func word(until stop: (UInt8) -> Bool) -> [UInt8] {
            let start = position
            while position < bytes.count, !stop(bytes[position]) { position += 1 }
            return Array(bytes[start..<position])
        }
        let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        skipWhitespace()
        let start = word(until: isSpace)
        skipWhitespace()
        let end = word(until: { $0 == UInt8(ascii: "=") || isSpace($0) })
        skipWhitespace()
        guard current == UInt8(ascii: "="), !start.isEmpty, !end.isEmpty else { throw fail("a set-delimiter tag must look like {{=<% %>=}}") }
        position += 1
        guard matches(state.endDelimiter, at: position) else { throw fail("a set-delimiter tag must look like {{=<% %>=}}") }
        position += state.endDelimiter.count
        var next = state
        next.startDelimiter = start
        next.endDelimiter = end
        next.parentTopLevel = false
        return next
    }

    // MARK: Templates

    private mutating func parse(_ initial: State) throws(Template.ParseError) -> Template {
        var tokens: [Template.Token] = []
        var state = initial
        var spaceBefore: [UInt8] = []

        func flushSpace() {
            if !spaceBefore.isEmpty { tokens.append(.text(String(decoding: spaceBefore, as: UTF8.self))) }
            spaceBefore = []
        }

        while !atEnd {
            if state.newLine {
                let space = readSpacesAndTabs()
                if state.inParent && !state.parentTopLevel {
                    if let indentation = state.blockIndentation {
                        spaceBefore = Array(space.dropFirst(indentation))
                    } else {
                        state.blockIndentation = space.count
                    }
                } else {
                    spaceBefore = space
                }
            }
            let text = readTextUntilTagOrLineBreak(state)
            let lineBreak = anyLineBreak(at: position)
            if lineBreak > 0 {
                tokens.append(.text(String(decoding: spaceBefore + text + bytes[position..<position + lineBreak], as: UTF8.self)))
                state.newLine = true
                position += lineBreak
                continue
            }
            if !text.isEmpty {
                tokens.append(.text(String(decoding: spaceBefore + text, as: UTF8.self)))
                spaceBefore = []
                state.newLine = false
            }
            if atEnd { break }

            var standalone = false
            switch current {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let inverted = current == UInt8(ascii: "^")
                position += 1
                let name = try readName(state)
                if isStandalone(state) { standalone = true } else { flushSpace() }
                let body = try parse(state.inSection(name, newLine: standalone))
                tokens.append(.section(Template.Name(name), body, inverted: inverted))

            case UInt8(ascii: "/"):
                position += 1
                let name = try readName(state)
                guard name == state.sectionName else {
                    throw fail(state.sectionName.map { "{{/\(name)}} closes a section that is not open here: {{/\($0)}} was expected" }
                        ?? "{{/\(name)}} closes a section that was never opened")
                }
                if !isStandalone(state) { flushSpace() }
                return Template(tokens: tokens)

            case UInt8(ascii: "!"):
                position += 1
                while !atEnd, !matches(state.endDelimiter, at: position) { position += 1 }
                guard !atEnd else { throw fail("a comment is not closed") }
                position += state.endDelimiter.count
                standalone = isStandalone(state)

            case UInt8(ascii: "{"), UInt8(ascii: "&"):
                let triple = current == UInt8(ascii: "{")
                flushSpace()
                position += 1
                let name = try readName(state)
                if triple {
                    guard current == UInt8(ascii: "}") else { throw fail("{{{\(name)}} needs a third closing brace") }
                    position += 1
                }
                tokens.append(.variable(Template.Name(name), escaped: false))

            case UInt8(ascii: ">"):
                position += 1
                skipWhitespace()
                let name = try readName(state, partial: true)
                let indentation = String(decoding: spaceBefore, as: UTF8.self)
                if !spaceBefore.isEmpty { tokens.append(.text(indentation)) }
                if isStandalone(state) {
                    standalone = true
                    tokens.append(.partial(name, indentation: indentation, overrides: nil))
                } else {
                    tokens.append(.partial(name, indentation: nil, overrides: nil))
                }
                spaceBefore = []

            case UInt8(ascii: "<"):
                position += 1
                skipWhitespace()
                let name = try readName(state, partial: true)
                let indentation = String(decoding: spaceBefore, as: UTF8.self)
                if !spaceBefore.isEmpty { tokens.append(.text(indentation)) }
                if isStandalone(state) { standalone = true }
                let body = try parse(state.inParent(name))
                var overrides: [String: Template] = [:]
                for token in body.tokens {
                    switch token {
                    case let .blockDefinition(block, template): overrides[block] = template
                    case .text: break
                    default: throw fail("inside {{<\(name)}} only blocks ({{$name}}…{{/name}}) may appear")
                    }
                }
                tokens.append(.partial(name, indentation: indentation, overrides: overrides))
                spaceBefore = []

            case UInt8(ascii: "$"):
                position += 1
                let name = try readName(state)
                if state.parentTopLevel {
                    if isStandalone(state) { standalone = true }
                    let body = try parse(state.inSection(name, newLine: standalone))
                    tokens.append(.blockDefinition(name, body))
                } else {
                    let indentation = String(decoding: spaceBefore, as: UTF8.self)
                    if !spaceBefore.isEmpty { tokens.append(.text(indentation)) }
                    if isStandalone(state) { standalone = true }
                    let body = try parse(state.inSection(name, newLine: standalone))
                    tokens.append(.block(name, body, indentation: indentation))
                    spaceBefore = []
                }

            case UInt8(ascii: "="):
                position += 1
                state = try readDelimiters(state)
                standalone = isStandalone(state)

            case UInt8(ascii: "%"):
                throw fail("pragmas ({{%…}}) are not supported")

            default:
                flushSpace()
                let name = try readName(state)
                tokens.append(.variable(Template.Name(name), escaped: true))
            }
            state.newLine = standalone
        }
        if let open = state.sectionName {
            throw fail("{{#\(open)}} (or {{<\(open)}}, {{$\(open)}}) is never closed: {{/\(open)}} is missing")
        }
        return Template(tokens: tokens)
    }
}
