import Foundation
@testable import KBContent
import KBRules
import Testing

@Suite struct FrontMatterTests {
    func parse(_ text: String) -> Result<FrontMatter, Diagnostics> {
        switch FrontMatterParser.split(text, file: "a.md") {
        case let .failure(problem): return .failure(Diagnostics([problem]))
        case let .success(split): return FrontMatterParser.parse(split, file: "a.md")
        }
    }

    func problems(_ text: String) -> [String] {
        guard case let .failure(found) = parse(text) else { return [] }
        return found.all.map { "\($0.line):\($0.column) \($0.rule) \($0.message)" }
    }

    @Test func readsEveryKnownField() throws {
        let text = """
            ---
            title:  Static Go binaries 
            summary: One sentence.
            tags: [go, scratch, cgo]
            order: 3
            date: 2026-11-28
            draft: false
            extra: {anything: [goes]}
            ---
            Body
            """
        let matter = try parse(text).get()
        #expect(matter == FrontMatter(title: "Static Go binaries", summary: "One sentence.", tags: ["go", "scratch", "cgo"], order: 3, date: "2026-11-28", draft: false))
    }

    /// Found by the front-matter fuzzer (scripts/fuzz.sh front-matter): a tag that began with
    /// two U+FEFF lost one each time it was read and written back (Yams drops one leading
    /// U+FEFF of a value). Invisible marks at either end of a value now go, like spaces.
    @Test func byteOrderMarksAroundValuesAreDropped() throws {
        let text = "---\ntitle: \"\\uFEFFStatic\\uFEFF\"\nsummary: \"\\uFEFF\\uFEFF One. \"\ntags: [distroless, \u{FEFF}\u{FEFF}--ess, \"\\uFEFF\\uFEFFgo\"]\n---\n"
        let matter = try parse(text).get()
        #expect(matter.title == "Static")
        #expect(matter.summary == "One.")
        #expect(matter.tags == ["distroless", "--ess", "go"])
        // Written back as YAML and read again, nothing changes.
        let again = try parse("---\ntitle: \(matter.title)\nsummary: \(matter.summary!)\ntags: [\(matter.tags.joined(separator: ", "))]\n---\n").get()
        #expect(again == matter)
        // Inside a value, U+FEFF stays: only the ends are trimmed.
        #expect(try parse("---\ntitle: \"a\\uFEFFb\"\n---\n").get().title == "a\u{FEFF}b")
    }

    /// Found by the front-matter fuzzer: with a duplicate key that is a mapping (`? {x: 0}`),
    /// Yams listed the duplicates, and placed the problem, differently on every reading.
    @Test func duplicateKeysAreReportedTheSameWayEveryTime() throws {
        let text = "---\ntit[e: T\ntags: [a,0b]\norder: T\ntags: [a,0b]\norder: 1\ndate: 20-02Z\ndraf: S\n? {x: 0}\n--: 1\ndate: 20-02Z\ndraf: S\n? {x: 0}\n---\n# H\n"
        let expected = ["2:1 KC004 duplicate key (a key that is not a single value), date, draf, order, tags in YAML mapping"]
        for _ in 0..<20 {
            let found = problems(text)
            #expect(found == expected)
        }
        // Duplicates that are all single values keep their place: the first one, in key order.
        let scalars = problems("---\ntitle: A\nb: 1\na: 1\nb: 2\na: 2\n---\n")
        #expect(scalars == ["4:1 KC004 duplicate key a, b in YAML mapping"])
    }

    @Test func splitKeepsBodyLinesAligned() throws {
        let split = try FrontMatterParser.split("---\ntitle: A\n---\n# Heading\n", file: "a.md").get()
        #expect(split.bodyLineOffset == 3)
        #expect(split.body == "# Heading\n")
        #expect(split.yaml == "title: A")
    }

    @Test func titleKeepsYAMLLookalikesAsText() throws {
        #expect(try parse("---\ntitle: yes\n---\n").get().title == "yes")
        #expect(try parse("---\ntitle: 2020\n---\n").get().title == "2020")
    }

    @Test func missingFrontMatter() {
        #expect(problems("# Just a heading\n").first?.hasPrefix("1:1 KC003 no front matter") == true)
    }

    @Test func unclosedFrontMatter() {
        #expect(problems("---\ntitle: A\n\nBody\n") == ["1:1 KC004 front matter opened here is never closed with a '---' line"])
    }

    @Test func missingTitle() {
        #expect(problems("---\nsummary: x\n---\n") == ["1:1 KC005 front matter has no 'title:'"])
        #expect(problems("---\n---\n") == ["1:1 KC005 front matter is empty: 'title:' is required"])
        #expect(problems("---\ntitle: \"  \"\n---\n") == ["2:8 KC005 'title' is empty"])
    }

    @Test func malformedYAMLPointsAtTheFileLine() {
        let found = problems("---\ntitle: A\ntags: [a, b\norder: 1\n---\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("5:") == true || found.first?.hasPrefix("4:") == true)
        #expect(found.first?.contains("KC004 invalid YAML") == true)
    }

    @Test func wrongTypesAreReportedAtTheirLines() {
        let found = problems("---\ntitle: [a, b]\norder: first\ndate: yesterday\ndraft: maybe\ntags: {a: b}\n---\n")
        #expect(found == [
            "2:8 KC004 'title' must be text, not a list",
            "3:8 KC004 'order' must be a whole number, not 'first'",
            "4:7 KC004 'date' must be a date such as 2026-11-28, not 'yesterday'",
            "5:8 KC004 'draft' must be true or false, not 'maybe'",
            "6:7 KC004 'tags' must be a list such as [go, scratch], not a mapping",
        ])
    }

    @Test func unknownKeysAreErrorsWithTheKnownOnes() {
        let found = problems("---\ntitle: A\ntitel: B\n---\n")
        #expect(found == ["3:1 KC006 unknown front matter key 'titel' (known keys: title, summary, tags, order, date, draft, extra; put your own data under 'extra:')"])
    }

    @Test func frontMatterMustBeAMapping() {
        #expect(problems("---\n- a\n- b\n---\n") == ["2:1 KC004 front matter must be a YAML mapping of keys to values, not a list"])
    }

    @Test func tagsAsCommaSeparatedTextAreAccepted() throws {
        #expect(try parse("---\ntitle: A\ntags: go, rust\n---\n").get().tags == ["go", "rust"])
    }

    @Test func isoDates() {
        #expect(FrontMatterParser.isISODate("2026-11-28"))
        #expect(FrontMatterParser.isISODate("2026-11-28T10:00:00Z"))
        #expect(!FrontMatterParser.isISODate("2026-13-28"))
        #expect(!FrontMatterParser.isISODate("28/11/2026"))
        #expect(!FrontMatterParser.isISODate("2026-11-28x"))
    }
}

@Suite struct TextDecodingTests {
    @Test func acceptsUTF8AndStripsBOMAndCRLF() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("a\r\nb\r\n".utf8))
        #expect(try TextDecoding.decode(data).get() == "a\nb\n")
    }

    @Test func reportsTheLineOfInvalidUTF8() {
        let data = Data(Array("ok\nline two \u{00e9}\n".utf8) + [0x61, 0xC3, 0x28])
        #expect(TextDecoding.firstProblem(in: [UInt8](data)) == .invalidUTF8(line: 3, column: 2))
    }

    @Test func rejectsOverlongAndSurrogateEncodings() {
        #expect(TextDecoding.firstProblem(in: [0xC0, 0xAF]) == .invalidUTF8(line: 1, column: 1))
        #expect(TextDecoding.firstProblem(in: [0xED, 0xA0, 0x80]) == .invalidUTF8(line: 1, column: 1))
        #expect(TextDecoding.firstProblem(in: [0xF4, 0x90, 0x80, 0x80]) == .invalidUTF8(line: 1, column: 1))
        #expect(TextDecoding.firstProblem(in: Array("日本".utf8)) == nil)
    }

    @Test func reportsNULAsBinary() {
        #expect(TextDecoding.firstProblem(in: [0x61, 0x0A, 0x00]) == .binary(line: 2))
    }
}
