import Foundation
@testable import KBContent
import Testing

/// The fast reading of plain front matter against the YAML library's: wherever the fast one
/// gives an answer, it is the library's answer; where it cannot be sure, it gives none.
@Suite struct SimpleFrontMatterTests {
    static func full(_ yaml: String) -> FrontMatter? {
        guard case let .success(matter) = FrontMatterParser.parseYAML(.init(yaml: yaml, body: "", bodyLineOffset: 2), file: "a.md") else { return nil }
        return matter
    }

    @Test func readsTheUsualFrontMatterAsTheLibraryDoes() throws {
        let yaml = """
            title: "Reducing stable distroless for debian images (1)"
            date: 2016-01-01T09:06:00Z
            tags: ["dotnet", "node", size, 'go lang']
            summary: Plain text, with commas; ok#not-a-comment
            order: -3
            draft: yes
            """
        let fast = try #require(SimpleFrontMatter.read(yaml))
        #expect(fast == Self.full(yaml))
        #expect(fast.title == "Reducing stable distroless for debian images (1)")
        #expect(fast.tags == ["dotnet", "node", "size", "go lang"])
        #expect(fast.order == -3 && fast.draft)
    }

    /// Forms the fast reading leaves to the library (their meaning differs from the text, or
    /// they are problems the library reports with their place).
    @Test(arguments: [
        "title: a\n\nsummary: b", "title: a # comment", "title: \"a\\tb\"", "title: 'it''s'", "title: café",
        "title: a\nsummary: b\n  continued", "title: a\ntitle: b", "title: a\nextra: {x: 1}", "title: a\nweird: 1",
        "title: |\n  block", "title: &x a", "title: *x", "title: !tag a", "title: [a, b]", "title:", "title:  ",
        "summary: only", "title: a\ndate: yesterday", "title: a\norder: 1.5", "title: a\ndraft: maybe",
        "title: a\ntags: [a, [b]]", "title: a\ntags: [a,]", "title: a\ntags: [a:b]", "title: a\r\nsummary: b",
        "title: a:", "title: - a", "title: -", "title: ?a", "title:\ta", "title: \"a\" b", "title: a\n- b", "title: a\n...",
        "TITLE: a", "title:a", "title: \"\"",
    ])
    func leavesToTheLibrary(_ yaml: String) {
        #expect(SimpleFrontMatter.read(yaml) == nil, "\(yaml.debugDescription)")
    }

    /// Random front matter from pieces that are and are not simple: every fast answer is the
    /// library's, and the common forms are answered fast.
    @Test func randomFrontMatterReadsAsTheLibraryReadsIt() {
        var generator = SystemRandomNumberGenerator()
        let keys = ["title", "summary", "tags", "order", "date", "draft", "extra", "other"]
        let values = [
            "plain words", "\"quoted words\"", "'single'", "[a, b]", "[\"x y\", z]", "[]", "[ ]", "a, b, c", "12", "-4",
            "2026-11-28", "2026-13-01", "true", "No", "x: y", "a #b", "a#b", "\"\"", "[\"\"]", "yes", "~", "null", "[a, b:c]",
            "\"a\\\"b\"", "'a''b'", "{a: 1}", "é", "  spaced  ", "\"  inner  \"", "tab\there", "a:b", "[a ,b]",
        ]
        var answered = 0
        for _ in 0..<2000 {
            let lines = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                keys.randomElement(using: &generator)! + ": " + values.randomElement(using: &generator)!
            }
            let yaml = (["title: " + values.randomElement(using: &generator)!] + lines).joined(separator: "\n")
            guard let fast = SimpleFrontMatter.read(yaml) else { continue }
            answered += 1
            #expect(fast == Self.full(yaml), "\(yaml.debugDescription)")
        }
        #expect(answered > 20)
    }
}
