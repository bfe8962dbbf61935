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
        var unused: [String: Range<Int>] = [:]
        return render(lines, places: &unused, placing: false)
    }

    /// The index, and where each page's line is in it (bytes from the start, by page path):
    /// what a later build needs to change one line without making the others again.
    static func renderPlacing(_ lines: [Line]) -> (file: SiteFile, places: [String: Range<Int>]) {
        var places: [String: Range<Int>] = [:]
        places.reserveCapacity(lines.count)
        let file = render(lines, places: &places, placing: true)
        return (file, places)
    }

    private static func render(_ lines: [Line], places: inout [String: Range<Int>], placing: Bool) -> SiteFile {
        let sorted = lines.sorted { $0.url < $1.url }
        let header = "window.KB_SEARCH_INDEX = [\n", footer = "];\n"
        // Megabytes for a large knowledge base: bytes into a buffer of the exact size, and
        // that buffer becomes the file's data without another copy.
        let count = sorted.reduce(header.utf8.count + footer.utf8.count) { $0 + $1.json.utf8.count + 2 } - (sorted.isEmpty ? 0 : 1)
        var out = Data(count: count)
        out.withUnsafeMutableBytes { (buffer: UnsafeMutableRawBufferPointer) in
            var at = 0
            func put(_ text: String) {
                var text = text
                text.withUTF8 { bytes in
                    guard let source = bytes.baseAddress, bytes.count > 0 else { return }
                    buffer.baseAddress!.advanced(by: at).copyMemory(from: source, byteCount: bytes.count)
                    at += bytes.count
                }
            }
            put(header)
            for (i, line) in sorted.enumerated() {
                let start = at
                put(line.json)
                if placing { places[line.url] = start..<at }
                put(i + 1 < sorted.count ? ",\n" : "\n")
            }
            put(footer)
            precondition(at == count)
        }
        return SiteFile(path: path, contents: out)
    }

    /// The distinct words of a text, lower-cased, in first-seen order: enough to match any
    /// word of the body at a fraction of its size. A word is a run of letters, digits, `_`,
    /// `-` and `.`, without leading or trailing `-` and `.`, of two characters or more.
    static func words(_ text: String) -> String {
        // Words are written once, lower-cased, into one buffer; `WordList` finds a word
        // again by a hash of its bytes and takes back a repeat by moving its end back, so
        // that nothing is allocated or copied per word.
        var text = text
        return text.withUTF8 { bytes in
            var list = WordList(capacity: bytes.count + bytes.count / 2 + 16)
            defer { list.deallocate() }
            // Runs between ASCII separators; an ASCII run is handled byte by byte, a run
            // with other characters by Unicode's rules (the same words, but 30 times slower).
            var start = 0
            while start < bytes.count {
                guard !isASCIISeparator(bytes[start]) else { start += 1; continue }
                var end = start
                var high: UInt8 = 0
                while end < bytes.count, !isASCIISeparator(bytes[end]) {
                    high |= bytes[end]
                    end += 1
                }
                if high < 0x80 {
                    // Trim `-` and `.` at both ends, lower-case, keep if two or more.
                    var lo = start, hi = end
                    while lo < hi, bytes[lo] == UInt8(ascii: "-") || bytes[lo] == UInt8(ascii: ".") { lo += 1 }
                    while hi > lo, bytes[hi - 1] == UInt8(ascii: "-") || bytes[hi - 1] == UInt8(ascii: ".") { hi -= 1 }
                    if hi - lo >= 2 { list.add(UnsafeBufferPointer(rebasing: bytes[lo..<hi]), lowering: true) }
                } else {
                    for var word in unicodeWords(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)) {
                        // Non-ASCII words are the same word when canonically equivalent
                        // ("é" precomposed or not), as String equality says.
                        if word.utf8.contains(where: { $0 >= 0x80 }) {
                            guard list.seenUnicode.insert(word).inserted else { continue }
                            word.withUTF8 { list.appendUnchecked($0) }
                        } else {
                            word.withUTF8 { list.add($0, lowering: false) }
                        }
                    }
                }
                start = end
            }
            return list.string
        }
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

/// The words of `SearchIndex.words` so far: their bytes, separated by spaces, in one
/// buffer, and an open-addressing table of (hash, place in the buffer) to find a word again
/// by comparing bytes.
private struct WordList {
    private var bytes: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private var hashes: [UInt64] = Array(repeating: 0, count: 256)
    private var starts: [Int] = Array(repeating: -1, count: 256)
    private var counts: [Int] = Array(repeating: 0, count: 256)
    private var used = 0
    /// Words with non-ASCII characters, compared as Strings (canonical equivalence).
    var seenUnicode: Set<String> = []

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        bytes = .allocate(capacity: self.capacity)
    }

    func deallocate() { bytes.deallocate() }

    var string: String { String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self) }

    /// Adds an ASCII word (lower-cased on the way when `lowering`) unless it is there already.
    mutating func add(_ word: UnsafeBufferPointer<UInt8>, lowering: Bool) {
        let end = count
        reserve(word.count + 1)
        if count > 0 { bytes[count] = UInt8(ascii: " "); count += 1 }
        let start = count
        for (offset, byte) in word.enumerated() {
            bytes[start + offset] = lowering && byte &- UInt8(ascii: "A") < 26 ? byte + 32 : byte
        }
        count += word.count
        let written = UnsafeBufferPointer(start: bytes + start, count: word.count)
        let hash = StableHash.of(UnsafeRawBufferPointer(written))
        if contains(written, hash: hash) {
            count = end  // a repeat: take it back
        } else {
            insert(hash: hash, start: start, count: word.count)
        }
    }

    /// Appends a word that is known to be new.
    mutating func appendUnchecked(_ word: UnsafeBufferPointer<UInt8>) {
        reserve(word.count + 1)
        if count > 0 { bytes[count] = UInt8(ascii: " "); count += 1 }
        (bytes + count).update(from: word.baseAddress!, count: word.count)
        count += word.count
    }

    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: (count + extra) * 2)
        larger.update(from: bytes, count: count)
        bytes.deallocate()
        bytes = larger
        capacity = (count + extra) * 2
    }

    private func contains(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Bool {
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while starts[slot] >= 0 {
            if hashes[slot] == hash, counts[slot] == word.count, memcmp(bytes + starts[slot], word.baseAddress!, word.count) == 0 {
                return true
            }
            slot = (slot + 1) & mask
        }
        return false
    }

    private mutating func insert(hash: UInt64, start: Int, count: Int) {
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
