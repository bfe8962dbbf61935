import Foundation
@testable import KBSite
import Testing

/// The search index's words: the byte-level fast path must give exactly what the plain
/// Unicode definition gives (a word is letters, digits, `_`, `-`, `.`, trimmed of `-` and `.`,
/// two characters or more, lower-cased, each once in first-seen order).
@Suite struct SearchWordsTests {
    static func reference(_ text: String) -> String {
        var seen: Set<Substring> = []
        var out: [Substring] = []
        for word in text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }) {
            let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
            guard trimmed.count >= 2 else { continue }
            if seen.insert(Substring(trimmed)).inserted { out.append(Substring(trimmed)) }
        }
        return out.joined(separator: " ")
    }

    @Test(arguments: [
        "", "a", "Go and GO and go.", "musl-gcc -static -o app main.c", "...--x--...", "v1.2.3 v1.2.3. -v1",
        "Ünïcödé and ASCII mixed: Straße STRASSE ß", "日本語のテキスト and 中文", "emoji 🐳 docker🐳image",
        "e\u{301}cole école", "İstanbul ΣΊΣΥΦΟΣ", "tab\tnew\nline\r\nend", "a_b __init__ _x_",
        "<script>alert(1)</script> &amp; \"quoted\" 'single'", "x\u{2028}y\u{0}z", "−5 (minus sign) ½ ² ٣",
    ])
    func matchesTheUnicodeDefinition(_ text: String) {
        #expect(SearchIndex.words(text) == Self.reference(text))
    }

    @Test func matchesOnRandomText() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ09_-. \n\t<>&é日🐳\u{301}ßİΣ,;:!?")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...60, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(SearchIndex.words(text) == Self.reference(text), "\(text.debugDescription)")
        }
    }

    /// The JSON escaping of the index, byte by byte, against its definition by Unicode scalars.
    static func referenceJSON(_ text: String) -> String {
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
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    @Test func jsonStringMatchesItsScalarDefinition() {
        #expect(SearchIndex.jsonString("a\"b\\c</script>\u{2028}\u{2029}\u{0}\u{1f}\r\n\té🐳") == Self.referenceJSON("a\"b\\c</script>\u{2028}\u{2029}\u{0}\u{1f}\r\n\té🐳"))
        #expect(SearchIndex.jsonString("\u{2028}") == "\"\\u2028\"")
        #expect(SearchIndex.jsonString("\u{1b}x") == "\"\\u001bx\"")
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ09 \n\t\r\u{0}\u{1f}<>&\"\\é日🐳\u{301}\u{2028}\u{2029}\u{2027}\u{202A}")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(SearchIndex.jsonString(text) == Self.referenceJSON(text), "\(text.debugDescription)")
        }
    }

    /// Many distinct words (the table grows) and repeats far apart are each kept once.
    @Test func keepsEachOfManyWordsOnce() {
        let words = (0..<3000).map { "w\($0)x" }
        let text = (words + words.reversed() + words).joined(separator: " ")
        #expect(SearchIndex.words(text) == words.joined(separator: " "))
        #expect(SearchIndex.words(text) == Self.reference(text))
    }
}
