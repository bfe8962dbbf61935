import Foundation
import KBContent

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
        // Words are kept as bytes in `out`; `seen` finds a word again by a hash of its bytes
        // and then compares them, so that no String is made per word.
        var out: [UInt8] = []
        var seen = WordTable()
        var seenUnicode: Set<String> = []
        func add(_ word: UnsafeBufferPointer<UInt8>) {
            let hash = StableHash.of(UnsafeRawBufferPointer(word))
            guard !seen.contains(word, hash: hash, in: out) else { return }
            if !out.isEmpty { out.append(UInt8(ascii: " ")) }
            let start = out.count
            out.append(contentsOf: word)
            seen.insert(hash: hash, start: start, count: word.count)
        }
        // Runs between ASCII separators; an ASCII run is handled byte by byte, a run with
        // other characters by Unicode's rules (the same words, but 30 times slower).
        var text = text
        text.withUTF8 { bytes in
            var lowered: [UInt8] = []
            var start = 0
            while start < bytes.count {
                guard !isASCIISeparator(bytes[start]) else { start += 1; continue }
                var end = start
                var ascii = true
                while end < bytes.count, !isASCIISeparator(bytes[end]) {
                    if bytes[end] >= 0x80 { ascii = false }
                    end += 1
                }
                if ascii {
                    // Trim `-` and `.` at both ends, lower-case, keep if two or more.
                    var lo = start, hi = end
                    while lo < hi, bytes[lo] == UInt8(ascii: "-") || bytes[lo] == UInt8(ascii: ".") { lo += 1 }
                    while hi > lo, bytes[hi - 1] == UInt8(ascii: "-") || bytes[hi - 1] == UInt8(ascii: ".") { hi -= 1 }
                    if hi - lo >= 2 {
                        lowered.removeAll(keepingCapacity: true)
                        for i in lo..<hi {
                            let byte = bytes[i]
                            lowered.append((UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte)
                        }
                        lowered.withUnsafeBufferPointer(add)
                    }
                } else {
                    for var word in unicodeWords(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)) {
                        // Non-ASCII words are the same word when canonically equivalent
                        // ("é" precomposed or not), as String equality says.
                        if word.utf8.contains(where: { $0 >= 0x80 }) {
                            guard seenUnicode.insert(word).inserted else { continue }
                            if !out.isEmpty { out.append(UInt8(ascii: " ")) }
                            out += word.utf8
                        } else {
                            word.withUTF8(add)
                        }
                    }
                }
                start = end
            }
        }
        return String(decoding: out, as: UTF8.self)
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

    /// The words of a run with non-ASCII characters, by Unicode's letter and number classes.
    static func unicodeWords(_ text: String) -> [String] {
        text.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".-")) }
            .filter { $0.count >= 2 }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string literal that is also safe inside a `<script>` file (no `</script>`).
    /// Byte by byte: everything escaped is ASCII but U+2028 and U+2029 (E2 80 A8/A9), and
    /// other bytes are copied as they are.
    static func jsonString(_ text: String) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(text.utf8.count + 16)
        func escape(_ text: String) { out += text.utf8 }
        var text = text
        text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                switch byte {
                case UInt8(ascii: "\""): escape("\\\"")
                case UInt8(ascii: "\\"): escape("\\\\")
                case UInt8(ascii: "\n"): escape("\\n")
                case UInt8(ascii: "\r"): escape("\\r")
                case UInt8(ascii: "\t"): escape("\\t")
                case UInt8(ascii: "<"): escape("\\u003c")
                case UInt8(ascii: ">"): escape("\\u003e")
                case UInt8(ascii: "&"): escape("\\u0026")
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    escape(bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                    i += 2
                case 0..<0x20:
                    out += Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
                default:
                    out.append(byte)
                }
                i += 1
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}

/// The words already written, by hash: an open-addressing table of (hash, place in the
/// output) with no allocation per word; a word is found again by comparing its bytes.
private struct WordTable {
    private var hashes: [UInt64] = Array(repeating: 0, count: 256)
    private var starts: [Int] = Array(repeating: -1, count: 256)
    private var counts: [Int] = Array(repeating: 0, count: 256)
    private var used = 0

    func contains(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, in out: [UInt8]) -> Bool {
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return out.withUnsafeBufferPointer { written in
            while starts[slot] >= 0 {
                if hashes[slot] == hash, counts[slot] == word.count,
                   memcmp(written.baseAddress! + starts[slot], word.baseAddress!, word.count) == 0 {
                    return true
                }
                slot = (slot + 1) & mask
            }
            return false
        }
    }

    mutating func insert(hash: UInt64, start: Int, count: Int) {
        if (used + 1) * 2 > hashes.count { grow() }
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while starts[slot] >= 0 { slot = (slot + 1) & mask }
        hashes[slot] = hash
        starts[slot] = start
        counts[slot] = count
        used += 1
    }

    private mutating func grow() {
        let old = (hashes, starts, counts)
        hashes = Array(repeating: 0, count: old.0.count * 2)
        starts = Array(repeating: -1, count: old.0.count * 2)
        counts = Array(repeating: 0, count: old.0.count * 2)
        used = 0
        for slot in 0..<old.0.count where old.1[slot] >= 0 { insert(hash: old.0[slot], start: old.1[slot], count: old.2[slot]) }
    }
}
