import Foundation

/// `search-index.js`: what the search box looks through, as a script (a `fetch()` of JSON
/// is refused on `file://`). It is loaded only when a reader starts to search.
enum SearchIndex {
    struct Entry {
        let title: String
        /// Page path from the site root.
        let url: String
        /// `article`, `example`, `rule`.
        let kind: String
        let summary: String
        let headings: [(text: String, anchor: String)]
        let tags: [String]
        /// The distinct words of the body as a reader sees it (see `words`).
        let words: String

        /// An entry for a page whose body reads `text`; its words are taken here, on
        /// whichever core renders the page.
        init(title: String, url: String, kind: String, summary: String, headings: [(text: String, anchor: String)], tags: [String], text: String) {
            self.title = title
            self.url = url
            self.kind = kind
            self.summary = summary
            self.headings = headings
            self.tags = tags
            self.words = SearchIndex.words(text)
        }
    }

    static let path = "search-index.js"

    /// One entry as it is written in the index, kept by the build cache for each article.
    struct Line {
        let url: String
        let json: String
    }

    static func line(_ entry: Entry) -> Line {
        let fields = [
            jsonString(entry.kind), jsonString(entry.url), jsonString(entry.title), jsonString(entry.summary),
            "[" + entry.headings.map { "[\(jsonString($0.text)),\(jsonString($0.anchor))]" }.joined(separator: ",") + "]",
            jsonString(entry.tags.joined(separator: " ")),
            jsonString(entry.words),
        ]
        return Line(url: entry.url, json: "[" + fields.joined(separator: ",") + "]")
    }

    static func render(_ lines: [Line]) -> SiteFile {
        let sorted = lines.sorted { $0.url < $1.url }
        var out = "window.KB_SEARCH_INDEX = [\n"
        for (i, line) in sorted.enumerated() {
            out += line.json
            out += i + 1 < sorted.count ? ",\n" : "\n"
        }
        out += "];\n"
        return SiteFile(path: path, text: out)
    }

    /// The distinct words of a text, lower-cased, in first-seen order: enough to match any
    /// word of the body at a fraction of its size. A word is a run of letters, digits, `_`,
    /// `-` and `.`, without leading or trailing `-` and `.`, of two characters or more.
    static func words(_ text: String) -> String {
        var seen: Set<String> = []
        var out = ""
        func add(_ word: String) {
            guard seen.insert(word).inserted else { return }
            if !out.isEmpty { out += " " }
            out += word
        }
        // Runs between ASCII separators; an ASCII run is handled byte by byte, a run with
        // other characters by Unicode's rules (the same words, but 30 times slower).
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                guard !isASCIISeparator(bytes[start]) else { start += 1; continue }
                var end = start
                var ascii = true
                while end < bytes.count, !isASCIISeparator(bytes[end]) {
                    if bytes[end] >= 0x80 { ascii = false }
                    end += 1
                }
                let run = UnsafeBufferPointer(rebasing: bytes[start..<end])
                if ascii {
                    if let word = asciiWord(run) { add(word) }
                } else {
                    unicodeWords(String(decoding: run, as: UTF8.self)).forEach(add)
                }
                start = end
            }
        }
        return out
    }

    /// Bytes that end a word: ASCII other than letters, digits, `_`, `-` and `.`.
    private static func isASCIISeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return false
        default:
            return byte < 0x80
        }
    }

    private static func asciiWord(_ run: UnsafeBufferPointer<UInt8>) -> String? {
        var start = 0
        var end = run.count
        while start < end, run[start] == UInt8(ascii: "-") || run[start] == UInt8(ascii: ".") { start += 1 }
        while end > start, run[end - 1] == UInt8(ascii: "-") || run[end - 1] == UInt8(ascii: ".") { end -= 1 }
        guard end - start >= 2 else { return nil }
        return String(unsafeUninitializedCapacity: end - start) { buffer in
            for i in start..<end {
                let byte = run[i]
                buffer[i - start] = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
            }
            return end - start
        }
    }

    /// The words of a run with non-ASCII characters, by Unicode's letter and number classes.
    static func unicodeWords(_ text: String) -> [String] {
        text.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".-")) }
            .filter { $0.count >= 2 }
    }

    /// A JSON string literal that is also safe inside a `<script>` file (no `</script>`).
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
