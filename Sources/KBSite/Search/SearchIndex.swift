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
        /// The body as a reader sees it.
        let text: String
    }

    static let path = "search-index.js"

    static func render(_ entries: [Entry]) -> SiteFile {
        let sorted = entries.sorted { $0.url < $1.url }
        var out = "window.KB_SEARCH_INDEX = [\n"
        for (i, entry) in sorted.enumerated() {
            out += "["
            out += [
                jsonString(entry.kind), jsonString(entry.url), jsonString(entry.title), jsonString(entry.summary),
                "[" + entry.headings.map { "[\(jsonString($0.text)),\(jsonString($0.anchor))]" }.joined(separator: ",") + "]",
                jsonString(entry.tags.joined(separator: " ")),
                jsonString(words(entry.text)),
            ].joined(separator: ",")
            out += i + 1 < sorted.count ? "],\n" : "]\n"
        }
        out += "];\n"
        return SiteFile(path: path, text: out)
    }

    /// The distinct words of a text, lower-cased, in first-seen order: enough to match any
    /// word of the body at a fraction of its size.
    static func words(_ text: String) -> String {
        var seen: Set<Substring> = []
        var out: [Substring] = []
        let lowered = text.lowercased()
        for word in lowered.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }) {
            let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
            guard trimmed.count >= 2 else { continue }
            let key = Substring(trimmed)
            if seen.insert(key).inserted { out.append(key) }
        }
        return out.joined(separator: " ")
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
