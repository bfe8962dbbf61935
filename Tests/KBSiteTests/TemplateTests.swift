import Foundation
import KBMarkdown
@testable import KBSite
import Mustache
import KBTestSupport
import Testing

/// kb's own template renderer against swift-mustache, the renderer kb used before: every
/// template below must give the same bytes from both, so themes keep rendering as they did.
@Suite struct TemplateTests {
    /// swift-mustache set up as kb set it up: every `{{value}}` escaped by kb's HTML.escape.
    struct KBEscaping: MustacheContentType {
        func escapeText(_ text: String) -> String { KBMarkdown.HTML.escape(text) }
    }
    static let pragma = "{{% CONTENT_TYPE: KB_TEST_HTML }}"

    static func reference(_ templates: [String: String], render name: String, _ values: [String: Any]) throws -> String {
        MustacheContentTypes.register(KBEscaping(), named: "KB_TEST_HTML")
        var library = MustacheLibrary()
        for (templateName, source) in templates {
            library.register(try MustacheTemplate(string: pragma + source), named: templateName)
        }
        return try #require(library.render(values, withTemplate: name))
    }

    static func ours(_ templates: [String: String], render name: String, _ values: [String: Any]) throws -> String {
        var parsed: [String: Template] = [:]
        for (templateName, source) in templates { parsed[templateName] = try Template(parsing: source) }
        return try #require(TemplateLibrary(parsed).render(values, template: name))
    }

    nonisolated(unsafe) static let values: [String: Any] = [
        "title": "Static <b>binaries</b> & \"quotes\"",
        "body": "<p>raw & ready</p>",
        "empty": "",
        "yes": true,
        "no": false,
        "count": 3,
        "none": [String](),
        "names": ["alpha", "beta <", "gamma"],
        "site": ["title": "KB", "nested": ["deep": "bottom"]] as [String: Any],
        "items": [
            ["name": "one", "href": "a.html", "flag": true],
            ["name": "two", "href": "b.html", "flag": false],
            ["name": "three"],
        ] as [[String: Any]],
        "multi": "line one\nline two\n",
    ]

    /// Templates that exercise each construct and the whitespace rules around it.
    static let cases: [(String, [String: String])] = [
        ("variables", ["t": "{{title}}|{{{title}}}|{{&title}}|{{ title }}|{{missing}}|{{count}}|{{yes}}|{{site.title}}|{{site.nested.deep}}"]),
        ("dot and climbing", ["t": "{{#items}}[{{name}} in {{site.title}}{{#flag}}!{{/flag}}]{{/items}}{{#names}}<{{.}}>{{/names}}"]),
        ("current only", ["t": "{{#site}}{{.title}}/{{.count}}{{/site}}"]),
        ("truthiness", ["t": "{{#empty}}E{{/empty}}{{#no}}N{{/no}}{{#yes}}Y{{/yes}}{{#none}}X{{/none}}{{^none}}empty{{/none}}{{^no}}not{{/no}}{{^yes}}-{{/yes}}{{#count}}{{.}}{{/count}}"]),
        ("standalone sections", ["t": "a\n{{#yes}}\n  inside\n{{/yes}}\nb\n  {{#items}}\n  - {{name}}\n  {{/items}}\nend\n"]),
        ("inline sections", ["t": "x {{#yes}}y{{/yes}} z\n{{#no}}\n{{/no}}  tail  \n"]),
        ("comments", ["t": "a{{! inline }}b\n  {{! standalone }}\nc {{! not standalone }}\n{{!\nmulti\nline\n}}\nd"]),
        ("partials", ["t": "top\n  {{>p}}\n[{{>p}}]\n", "p": "one {{title}}\ntwo\n"]),
        ("indented partial with a multi-line value", ["t": "  {{>p}}\nafter", "p": "{{multi}}x\n{{#names}}\n{{.}}\n{{/names}}\n"]),
        ("set delimiters", ["t": "{{=<% %>=}}\n<% title %> {{title}}\n<%={{ }}=%>\n{{title}}"]),
        ("crlf", ["t": "a\r\n{{#yes}}\r\nb\r\n{{/yes}}\r\nc{{! x }}\r\n"]),
        ("trailing whitespace at the end", ["t": "a\n{{#yes}}b{{/yes}}\n   "]),
        ("standalone at the very end", ["t": "a\n{{#yes}}\nb\n{{/yes}}"]),
        ("an empty first line", ["t": "\n{{#yes}}\nfirst line was empty\n{{/yes}}\n"]),
        ("a tag on the first line", ["t": "{{#yes}}\nkept\n{{/yes}}\n"]),
        ("inheritance", [
            "layout": "<head>{{$title}}{{site.title}}{{/title}}</head>\n<main>\n{{$content}}{{/content}}\n</main>\n  {{$footer}}\n  default footer\n  {{/footer}}\n",
            "page": "{{<layout}}\n{{$title}}{{title}} · {{site.title}}{{/title}}\n{{$content}}\n  <h1>{{title}}</h1>\n    {{{body}}}\n{{#items}}\n<li>{{name}}</li>\n{{/items}}\n{{/content}}\n{{/layout}}\n",
        ]),
        ("nested parents", [
            "base": "[{{$a}}base a{{/a}}|{{$b}}base b{{/b}}]\n",
            "middle": "{{<base}}{{$a}}middle a{{/a}}{{/base}}",
            "top": "{{<middle}}{{$a}}top a{{/a}}{{$b}}top b{{/b}}{{/middle}}",
        ]),
    ]

    @Test(arguments: cases.map(\.0))
    func sameBytesAsSwiftMustache(_ name: String) throws {
        let templates = try #require(Self.cases.first { $0.0 == name }).1
        for templateName in templates.keys {
            let expected = try Self.reference(templates, render: templateName, Self.values)
            let actual = try Self.ours(templates, render: templateName, Self.values)
            #expect(actual == expected, "template \(templateName) of case '\(name)'")
        }
    }

    /// Random templates put together from the pieces whitespace rules care about (line
    /// breaks, indentation, standalone and inline tags, nested sections, partials): kb's
    /// renderer must give the same bytes as swift-mustache for every one.
    @Test func randomTemplatesRenderAsSwiftMustacheDoes() throws {
        var generator = SplitMix(seed: 0x6B62)
        func pick(_ choices: [String]) -> String { choices[Int(generator.next() % UInt64(choices.count))] }
        func fragment(depth: Int, inList: Bool) -> String {
            var out = ""
            for _ in 0..<Int(generator.next() % 5) + 1 {
                switch generator.next() % 9 {
                case 0, 1: out += pick(["\n", "\n", "  ", "\t", "x", "<p>", "\r\n", " y "])
                case 2: out += pick(["{{title}}", "{{{body}}}", "{{&title}}", "{{count}}", "{{site.title}}", "{{missing}}"])
                case 3: out += inList ? pick(["{{name}}", "{{yes}}"]) : "{{yes}}"
                case 4: out += pick(["{{! note }}", "{{>p}}", "  {{>p}}\n", "\n{{! standalone }}\n"])
                default:
                    guard depth < 3 else { continue }
                    let (name, list) = [("yes", false), ("^no", false), ("items", true), ("names", true), ("site", false), ("^none", false)][
                        Int(generator.next() % 6)]
                    let open = name.hasPrefix("^") ? "{{\(name)}}" : "{{#\(name)}}"
                    let close = "{{/\(name.hasPrefix("^") ? String(name.dropFirst()) : name)}}"
                    let lead = pick(["", "\n", "  ", "\n  "])
                    let trail = pick(["", "\n", " ", "  \n"])
                    out += lead + open + trail + fragment(depth: depth + 1, inList: list || inList) + lead + close + trail
                }
            }
            return out
        }
        for _ in 0..<500 {
            let source = fragment(depth: 0, inList: false)
            let templates = ["t": source, "p": "[{{title}}\n  {{#names}}\n{{.}}\n  {{/names}}\n]"]
            let expected = try Self.reference(templates, render: "t", Self.values)
            let actual = try Self.ours(templates, render: "t", Self.values)
            #expect(actual == expected, "template \(source.debugDescription)")
        }
    }

    /// The built-in theme, filled with values shaped like the site's, renders as before.
    @Test func builtInThemeRendersAsSwiftMustacheDid() throws {
        let theme = Theme.builtIn
        let article: [String: Any] = [
            "title": "Go <in> scratch", "summary": "Why & how", "hasTags": true, "hasToc": true,
            "tags": [["name": "go", "href": "../tags/go.html"], ["name": "scratch", "href": "../tags/scratch.html"]],
            "toc": [["level": 2, "text": "One", "anchor": "one"], ["level": 3, "text": "Two \"2\"", "anchor": "two"]],
            "body": "<p>Body</p>\n<pre><code>x</code></pre>\n", "source": "Content/go.md",
        ]
        var values: [String: Any] = [
            "site": ["title": "KB", "description": "About <images>"] as [String: Any], "root": "../",
            "article": article, "previous": ["title": "Prev", "href": "prev.html"], "description": "Why & how",
        ]
        for template in theme.templates.keys.sorted() {
            values["next"] = template == "article" ? ["title": "Next", "href": "next.html"] : nil
            let expected = try Self.reference(theme.templates, render: template, values)
            let actual = try Self.ours(theme.templates, render: template, values)
            #expect(actual == expected, "built-in template \(template)")
            #expect(!actual.isEmpty)
        }
    }

    @Test func escapesWithKBsEscapeIncludingAQuoteFollowedByACombiningMark() throws {
        let out = try Self.ours(["t": "<a title=\"{{v}}\">{{{v}}}</a>"], render: "t", ["v": "\"\u{301} onmouseover=x <"])
        #expect(out == "<a title=\"&quot;\u{301} onmouseover=x &lt;\">\"\u{301} onmouseover=x <</a>")
    }

    @Test func refusesWhatKBsValuesCannotUseWithTheLine() {
        let cases: [(String, Int, String)] = [
            ("a\nb {{upper(title)}}", 2, "transforms are not supported"),
            ("{{% CONTENT_TYPE: TEXT }}", 1, "pragmas"),
            ("x\n\n{{>*dynamic}}", 3, "dynamic names"),
            ("{{#open}}\nnever closed\n", 3, "{{/open}} is missing"),
            ("{{#a}}\n{{/b}}", 2, "{{/a}} was expected"),
            ("{{/a}}", 1, "never opened"),
            ("{{! open comment", 1, "comment is not closed"),
            ("{{title", 1, "not closed"),
            ("{{{title}}", 1, "third closing brace"),
            ("{{<layout}}{{title}}{{/layout}}", 1, "only blocks"),
            ("{{=<%>=}}", 1, "set-delimiter"),
        ]
        for (source, line, message) in cases {
            do {
                _ = try Template(parsing: source)
                Issue.record("\(source) parsed")
            } catch {
                #expect(error.line == line, "\(source)")
                #expect(error.message.contains(message), "\(source): \(error.message)")
            }
        }
    }

    @Test func aBrokenThemeTemplateIsASiteErrorNamingTheFileAndLine() throws {
        var theme = Theme.builtIn
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kb-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("<p>\n{{#article.tags}}\n".utf8).write(to: folder.appendingPathComponent("article.mustache"))
        theme = try Theme.overriding(with: folder)
        #expect(throws: SiteError.self) { try theme.library() }
        do {
            _ = try theme.library()
        } catch let error as SiteError {
            #expect(error.path == "article.mustache")
            #expect(error.line == 3)
        }
    }
}
