import KBRules
import Yams

/// The YAML block at the top of an article.
public struct FrontMatter: Sendable, Hashable {
    public var title: String
    public var summary: String?
    public var tags: [String]
    public var order: Int?
    /// `YYYY-MM-DD` (or a full ISO 8601 date-time) as written.
    public var date: String?
    public var draft: Bool

    public init(title: String, summary: String? = nil, tags: [String] = [], order: Int? = nil, date: String? = nil, draft: Bool = false) {
        self.title = title
        self.summary = summary
        self.tags = tags
        self.order = order
        self.date = date
        self.draft = draft
    }

    static let knownKeys = ["title", "summary", "tags", "order", "date", "draft", "extra"]
}

/// Splits `---` front matter from a Markdown body and reads it.
public enum FrontMatterParser {
    public struct Split: Sendable {
        /// The YAML text between the fences.
        public let yaml: String
        /// The Markdown after the closing fence.
        public let body: String
        /// Lines before the body starts (fences included): added to body line numbers.
        public let bodyLineOffset: Int
    }

    /// Separates the YAML block from the body. Problems are reported for `file`.
    public static func split(_ text: String, file: String) -> Result<Split, Diagnostic> {
        // One pass over the bytes that finds the fences; the body is one slice, not a
        // re-joined list of lines (articles are long, front matter is short).
        var text = text
        return text.withUTF8 { bytes in
            var lineStart = 0
            var lineNumber = 1
            var yamlStart = -1
            while lineStart <= bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                let isFence = isFence(bytes, lineStart..<lineEnd, opening: lineNumber == 1)
                if lineNumber == 1 {
                    guard isFence else {
                        return .failure(ContentCheck.missingFrontMatter.at(
                            file, line: 1,
                            "no front matter: an article starts with a '---' line, YAML with at least 'title:', and a closing '---'"))
                    }
                    yamlStart = min(lineEnd + 1, bytes.count)
                } else if isFence {
                    let yaml = String(decoding: UnsafeBufferPointer(rebasing: bytes[yamlStart..<max(yamlStart, lineStart - 1)]), as: UTF8.self)
                    let bodyStart = min(lineEnd + 1, bytes.count)
                    let body = String(decoding: UnsafeBufferPointer(rebasing: bytes[bodyStart...]), as: UTF8.self)
                    return .success(Split(yaml: yaml, body: body, bodyLineOffset: lineNumber))
                }
                lineStart = lineEnd + 1
                lineNumber += 1
            }
            return .failure(ContentCheck.malformedFrontMatter.at(
                file, line: 1, "front matter opened here is never closed with a '---' line"))
        }
    }

    /// `---` (or, closing, `...`), with trailing spaces or tabs.
    private static func isFence(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, opening: Bool) -> Bool {
        var end = range.upperBound
        while end > range.lowerBound, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        guard end - range.lowerBound == 3 else { return false }
        let first = bytes[range.lowerBound]
        guard first == UInt8(ascii: "-") || (!opening && first == UInt8(ascii: ".")) else { return false }
        return bytes[range.lowerBound + 1] == first && bytes[range.lowerBound + 2] == first
    }

    /// Reads the YAML of a split front matter. All problems are returned, not just the first.
    public static func parse(_ split: Split, file: String) -> Result<FrontMatter, Diagnostics> {
        // Most front matter is a few plain `key: value` lines: read those directly (about a
        // twentieth of the YAML library's cost), everything else with the library.
        if let simple = SimpleFrontMatter.read(split.yaml) { return .success(simple) }
        return parseYAML(split, file: file)
    }

    /// The full reading, with the YAML library: every form YAML allows, every problem reported.
    static func parseYAML(_ split: Split, file: String) -> Result<FrontMatter, Diagnostics> {
        // YAML line n is file line n + 1 (after the opening fence).
        let offset = 1
        let node: Node?
        switch YAMLReading.compose(split.yaml) {
        case let .success(composed): node = composed
        case let .failure(problem):
            return .failure(Diagnostics([ContentCheck.malformedFrontMatter.at(
                file, line: problem.line + offset, column: problem.column, problem.message)]))
        }
        guard let node else {
            return .failure(Diagnostics([ContentCheck.missingTitle.at(file, line: 1, "front matter is empty: 'title:' is required")]))
        }
        guard let pairs = node.orderedPairs else {
            return .failure(Diagnostics([ContentCheck.malformedFrontMatter.at(
                file, line: node.line + offset, "front matter must be a YAML mapping of keys to values, not \(node.kindName)")]))
        }

        var problems: [Diagnostic] = []
        func fail(_ check: ContentCheck, _ at: Node, _ message: String) {
            problems.append(check.at(file, line: at.line + offset, column: at.column, message))
        }
        func string(_ key: String, _ value: Node) -> String? {
            guard case let .scalar(scalar) = value else {
                fail(.malformedFrontMatter, value, "'\(key)' must be text, not \(value.kindName)")
                return nil
            }
            return scalar.string
        }

        var matter = FrontMatter(title: "")
        var sawTitle = false
        for (key, keyNode, value) in pairs {
            switch key {
            case "title":
                sawTitle = true
                if let title = string(key, value) {
                    let trimmed = title.trimmingSpaces()
                    if trimmed.isEmpty { fail(.missingTitle, value, "'title' is empty") }
                    matter.title = trimmed
                }
            case "summary":
                matter.summary = string(key, value)?.trimmingSpaces()
            case "tags":
                switch value {
                case let .sequence(sequence):
                    for tag in sequence {
                        if let text = string("tags", tag) { matter.tags.append(text.trimmingSpaces()) }
                    }
                case let .scalar(scalar):
                    matter.tags = scalar.string.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
                default:
                    fail(.malformedFrontMatter, value, "'tags' must be a list such as [go, scratch], not \(value.kindName)")
                }
            case "order":
                if let text = string(key, value) {
                    if let order = Int(text) { matter.order = order } else {
                        fail(.malformedFrontMatter, value, "'order' must be a whole number, not '\(text)'")
                    }
                }
            case "date":
                if let text = string(key, value) {
                    if isISODate(text) { matter.date = text } else {
                        fail(.malformedFrontMatter, value, "'date' must be a date such as 2026-11-28, not '\(text)'")
                    }
                }
            case "draft":
                if let text = string(key, value) {
                    switch text.lowercased() {
                    case "true", "yes": matter.draft = true
                    case "false", "no": matter.draft = false
                    default: fail(.malformedFrontMatter, value, "'draft' must be true or false, not '\(text)'")
                    }
                }
            case "extra":
                break
            default:
                let known = FrontMatter.knownKeys.joined(separator: ", ")
                fail(.unknownFrontMatterKey, keyNode, "unknown front matter key '\(key)' (known keys: \(known); put your own data under 'extra:')")
            }
        }
        if !sawTitle {
            problems.append(ContentCheck.missingTitle.at(file, line: 1, "front matter has no 'title:'"))
        }
        return problems.isEmpty ? .success(matter) : .failure(Diagnostics(problems))
    }

    /// `YYYY-MM-DD`, optionally followed by a time: `T` (or a space), `HH:MM`, optional
    /// `:SS` and fraction, optional `Z` or `±HH:MM`. Nothing else may follow: the date is
    /// written into atom.xml as it is.
    static func isISODate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10 else { return false }
        let digits: Set<Int> = [0, 1, 2, 3, 5, 6, 8, 9]
        for i in 0..<10 {
            if digits.contains(i) {
                guard bytes[i] >= 0x30 && bytes[i] <= 0x39 else { return false }
            } else if bytes[i] != 0x2D {
                return false
            }
        }
        guard let month = Int(text.dropFirst(5).prefix(2)), let day = Int(text.dropFirst(8).prefix(2)),
              (1...12).contains(month), (1...31).contains(day) else { return false }
        return bytes.count == 10 || ((bytes[10] == 0x54 || bytes[10] == 0x20) && isISOTime(bytes[11...]))
    }

    /// `HH:MM[:SS[.fff]][Z|±HH:MM]`.
    private static func isISOTime(_ bytes: ArraySlice<UInt8>) -> Bool {
        var rest = bytes
        func digits(_ count: Int, max: Int) -> Bool {
            guard rest.count >= count, rest.prefix(count).allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            let value = rest.prefix(count).reduce(0) { $0 * 10 + Int($1 - 0x30) }
            rest = rest.dropFirst(count)
            return value <= max
        }
        func take(_ byte: UInt8) -> Bool {
            guard rest.first == byte else { return false }
            rest = rest.dropFirst()
            return true
        }
        guard digits(2, max: 23), take(0x3A), digits(2, max: 59) else { return false }
        if take(0x3A) {
            guard digits(2, max: 60) else { return false }
            if take(0x2E) {
                let fraction = rest.prefix { $0 >= 0x30 && $0 <= 0x39 }
                guard !fraction.isEmpty, fraction.count <= 9 else { return false }
                rest = rest.dropFirst(fraction.count)
            }
        }
        if rest.isEmpty || (take(0x5A) && rest.isEmpty) { return true }
        guard take(0x2B) || take(0x2D) else { return false }
        return digits(2, max: 23) && take(0x3A) && digits(2, max: 59) && rest.isEmpty
    }
}

extension StringProtocol {
    /// Without spaces, tabs and U+FEFF (a byte-order mark pasted inside a file) at either end.
    /// Yams drops one U+FEFF at the start of a value, but not two: read twice, a value would
    /// change, and "go" and "\u{FEFF}go" would be two tags that look the same.
    func trimmingSpaces() -> String {
        func blank(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\u{FEFF}" }
        // Only the blanks at either end are looked at, not every character.
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
