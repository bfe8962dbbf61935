/// A fast reading of the front matter most articles have: one `key: value` a line, each value
/// a plain word run, a quoted text without escapes, or a flow list of those, all printable
/// ASCII. Anything else (comments, blank or indented lines, escapes, other characters, an
/// unknown or repeated key, a value the checks would refuse) gives nil, and the front matter
/// is read by the YAML library instead, which also reports every problem. For what it
/// accepts it gives what the YAML reading gives (a test holds the two side by side).
enum SimpleFrontMatter {
    static func read(_ yaml: String) -> FrontMatter? {
        var yaml = yaml
        return yaml.withUTF8 { read($0) }
    }

    private enum Value {
        case text(String)
        case list([String])
    }

    private static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> FrontMatter? {
        var matter = FrontMatter(title: "")
        var seen: Set<String> = []
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            guard let (key, value) = pair(bytes, lineStart..<lineEnd), seen.insert(key).inserted else { return nil }
            guard apply(key, value, to: &matter) else { return nil }
            lineStart = lineEnd + 1
        }
        return seen.contains("title") ? matter : nil
    }

    /// The checks of the full reading, for values that pass them; false sends the front
    /// matter to the full reading, which reports the problem.
    private static func apply(_ key: String, _ value: Value, to matter: inout FrontMatter) -> Bool {
        switch (key, value) {
        case let ("title", .text(text)):
            matter.title = text.trimmingSpaces()
            return !matter.title.isEmpty
        case let ("summary", .text(text)):
            matter.summary = text.trimmingSpaces()
        case let ("tags", .list(items)):
            matter.tags = items.map { $0.trimmingSpaces() }
        case let ("tags", .text(text)):
            matter.tags = text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        case let ("order", .text(text)):
            guard let order = Int(text) else { return false }
            matter.order = order
        case let ("date", .text(text)):
            guard FrontMatterParser.isISODate(text) else { return false }
            matter.date = text
        case let ("draft", .text(text)):
            switch text.lowercased() {
            case "true", "yes": matter.draft = true
            case "false", "no": matter.draft = false
            default: return false
            }
        default:
            return false
        }
        return true
    }

    /// `key: value` with a lower-case key at the start of the line.
    private static func pair(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> (String, Value)? {
        var i = line.lowerBound
        while i < line.upperBound, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[i]) { i += 1 }
        guard i > line.lowerBound, i + 1 < line.upperBound, bytes[i] == UInt8(ascii: ":"), bytes[i + 1] == UInt8(ascii: " ") else { return nil }
        let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[line.lowerBound..<i]), as: UTF8.self)
        var start = i + 2
        while start < line.upperBound, bytes[start] == UInt8(ascii: " ") { start += 1 }
        var end = line.upperBound
        while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        guard start < end else { return nil }
        for index in start..<end where !(0x20...0x7E).contains(bytes[index]) { return nil }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if text[0] == UInt8(ascii: "[") {
            return list(text).map { (key, .list($0)) }
        }
        return scalar(text, inList: false).map { (key, .text($0)) }
    }

    /// `[a, "b c", 'd']`: items separated by commas, no trailing comma, no nesting.
    private static func list(_ text: UnsafeBufferPointer<UInt8>) -> [String]? {
        guard text.count >= 2, text[text.count - 1] == UInt8(ascii: "]") else { return nil }
        var items: [String] = []
        let inner = text[1..<(text.count - 1)]
        if inner.allSatisfy({ $0 == UInt8(ascii: " ") }) { return [] }
        for piece in inner.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            var lo = piece.startIndex, hi = piece.endIndex
            while lo < hi, text[lo] == UInt8(ascii: " ") { lo += 1 }
            while hi > lo, text[hi - 1] == UInt8(ascii: " ") { hi -= 1 }
            guard lo < hi, let item = scalar(UnsafeBufferPointer(rebasing: text[lo..<hi]), inList: true) else { return nil }
            items.append(item)
        }
        return items
    }

    /// What a plain value may not start with: YAML's indicators.
    private static let indicators = Set("-?:,[]{}#&*!|>'\"%@`".utf8)

    /// A quoted text without escapes or inner quotes, or a plain run that YAML reads as
    /// written: no indicator first, no `: ` or ` #`, no flow characters inside a list.
    private static func scalar(_ text: UnsafeBufferPointer<UInt8>, inList: Bool) -> String? {
        let first = text[0]
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            guard text.count >= 2, text[text.count - 1] == first else { return nil }
            let inner = text[1..<(text.count - 1)]
            guard !inner.contains(first), !inner.contains(UInt8(ascii: "\\")) else { return nil }
            // Leading or trailing spaces inside quotes are kept by YAML, but a run of
            // spaces is folded only across lines: one line, so kept as written.
            return String(decoding: UnsafeBufferPointer(rebasing: inner), as: UTF8.self)
        }
        // `-3` is a plain value; `- 3` (or a lone `-`) would start a list.
        let negative = first == UInt8(ascii: "-") && text.count > 1 && text[1] != UInt8(ascii: " ")
        guard negative || !indicators.contains(first) else { return nil }
        for index in 0..<text.count {
            let byte = text[index]
            if byte == UInt8(ascii: ":") && (index + 1 == text.count || text[index + 1] == UInt8(ascii: " ")) { return nil }
            if byte == UInt8(ascii: "#") && index > 0 && text[index - 1] == UInt8(ascii: " ") { return nil }
            // In a list YAML ends a plain item at flow characters, and some readers refuse a
            // colon in one: leave those to the full reading.
            if inList && [UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ":")].contains(byte) {
                return nil
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
