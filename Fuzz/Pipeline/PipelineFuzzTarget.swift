// libFuzzer entry point for the whole path a contributor's file takes: `scripts/fuzz.sh pipeline`.
// Built by SwiftPM with -enable-testing (Package.swift, KB_FUZZ).
//
// The input is written as Content/fuzz.md of a small knowledge base made once in a temporary
// folder (another article to link to, a file, a data set, and a real example with its recorded
// results, copied from this repository's Examples/). Then, as `kb build` does:
// ContentLoader.readArticle -> Checker.check -> ArticlePages.render. Every input is checked for:
//   - reading is deterministic (front matter, headings, links, code blocks);
//   - every diagnostic about the article lies within its lines (line, end line, column >= 1),
//     counted as an editor does: a final line break starts no new line;
//   - the article's page exists and rendering it twice gives the same bytes;
//   - the page is safe: every `<` starts a tag kb or cmark writes (raw HTML from the input is
//     dropped), no attribute is an event handler (`on…`), no link or source is a
//     javascript:, vbscript: or file: URL, and the only `<script` is the theme's own.

import Foundation

@testable import KBContent
@testable import KBMarkdown
@testable import KBRules
@testable import KBSite

private let fixture = PipelineFixture()

@_cdecl("LLVMFuzzerTestOneInput")
public func pipelineFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    fixture.run(bytes)
    return 0
}

private final class PipelineFixture: @unchecked Sendable {
    let root: URL
    let base: KnowledgeBase
    let library: TemplateLibrary
    let articleFile: URL

    init() {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("kb-fuzz-pipeline-\(getpid())").resolvingSymlinksInPath()
        articleFile = root.appendingPathComponent("Content/fuzz.md")
        let files = FileManager.default
        // libFuzzer ends the process without unwinding: the folders of fuzzers that ended are
        // removed by the next one.
        let temporary = FileManager.default.temporaryDirectory
        for name in (try? files.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix("kb-fuzz-pipeline-") {
            if let pid = pid_t(name.dropFirst("kb-fuzz-pipeline-".count)), kill(pid, 0) != 0, errno == ESRCH {
                try? files.removeItem(at: temporary.appendingPathComponent(name))
            }
        }
        try? files.removeItem(at: root)
        do {
            try files.createDirectory(at: root.appendingPathComponent("Content/data"), withIntermediateDirectories: true)
            try files.createDirectory(at: root.appendingPathComponent("Examples"), withIntermediateDirectories: true)
            try files.copyItem(
                at: repository.appendingPathComponent("Examples/c-static-glibc-scratch"),
                to: root.appendingPathComponent("Examples/c-static-glibc-scratch"))
            try files.copyItem(
                at: repository.appendingPathComponent("Content/data/go-hello-2020.yaml"),
                to: root.appendingPathComponent("Content/data/go-hello-2020.yaml"))
            try Data("title: Fuzz\nbase_url: https://example.org/kb/\n".utf8).write(to: root.appendingPathComponent("kb.yaml"))
            try Data([0x89, 0x50, 0x4E, 0x47]).write(to: root.appendingPathComponent("Content/picture.png"))
            try Data("""
                ---
                title: Other
                tags: [go, scratch]
                ---
                ## Overview

                Text with a [link back](fuzz.md#overview).

                ## Build stage

                ```dockerfile example=c-static-glibc-scratch
                ```

                """.utf8).write(to: root.appendingPathComponent("Content/other.md"))
            try Data("---\ntitle: Fuzz\n---\n".utf8).write(to: articleFile)
            base = try ContentLoader.load(root: root)
            library = try Theme.builtIn.library()
        } catch {
            fatalError("cannot make the fuzzing knowledge base in \(root.path): \(error)")
        }
        guard base.diagnostics.isEmpty, base.examples.examples.count == 1 else {
            fatalError("the fuzzing knowledge base has problems: \(base.diagnostics) \(base.examples.allDiagnostics)")
        }
    }

    func run(_ bytes: Data) {
        do {
            try bytes.write(to: articleFile)
        } catch {
            fatalError("cannot write \(articleFile.path): \(error)")
        }
        // The article's last line, as an editor counts them (CRLF and CR end lines too, as they
        // do for kb; a final line break starts no new line). An empty file has line 1.
        var lines = 0
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 0x0A { if previous != 0x0D { lines += 1 } } else if byte == 0x0D { lines += 1 }
            previous = byte
        }
        if let last = bytes.last, last != 0x0A, last != 0x0D { lines += 1 }
        let lastLine = max(1, lines)

        let first = ContentLoader.readArticle(root: root, contentPath: "fuzz.md", displayRoot: "")
        let second = ContentLoader.readArticle(root: root, contentPath: "fuzz.md", displayRoot: "")
        let article: Article
        switch (first, second) {
        case let (.failure(a), .failure(b)):
            guard a.all == b.all, !a.all.isEmpty else { fatalError("reading fails differently twice") }
            checkPlaces(a.all, lastLine: lastLine)
            return
        case let (.success(a), .success(b)):
            guard a.frontMatter == b.frontMatter, a.document.headings == b.document.headings, a.document.links == b.document.links,
                  a.document.codeBlocks == b.document.codeBlocks, a.anchors == b.anchors
            else { fatalError("reading is not deterministic") }
            article = a
        default:
            fatalError("reading succeeded once and failed once")
        }

        guard case let .success(other) = ContentLoader.readArticle(root: root, contentPath: "other.md", displayRoot: "") else {
            fatalError("other.md no longer reads")
        }
        let knowledgeBase = KnowledgeBase(
            root: root, configuration: base.configuration, ruleConfiguration: base.ruleConfiguration, examples: base.examples,
            displayRoot: "", articles: [article, other], contentFiles: base.contentFiles, diagnostics: [])
        let checked = Checker.check(knowledgeBase)
        checkPlaces(checked.diagnostics.filter { $0.file == article.path }, lastLine: lastLine)

        let context = SiteContext(knowledgeBase: knowledgeBase, checked: checked, library: library)
        let page: SiteFile
        do {
            let pages = try ArticlePages.render(context).pages
            let again = try ArticlePages.render(context).pages
            guard let found = pages.first(where: { $0.path == article.pagePath }), pages.count == 2 else {
                fatalError("no page \(article.pagePath) among \(pages.map(\.path))")
            }
            guard pages.map(\.contents) == again.map(\.contents) else { fatalError("rendering twice gives other bytes") }
            page = found
        } catch {
            fatalError("rendering failed: \(error)")
        }
        HTMLSafety.check(String(decoding: page.contents, as: UTF8.self))
    }

    private func checkPlaces(_ diagnostics: [Diagnostic], lastLine: Int) {
        for d in diagnostics {
            guard d.line >= 1, d.line <= lastLine, d.endLine >= d.line, d.endLine <= lastLine, d.column >= 1 else {
                fatalError("diagnostic outside the article's lines 1...\(lastLine): \(d)")
            }
        }
    }
}

/// A strict reading of the page: what may appear in HTML that kb wrote from untrusted text.
enum HTMLSafety {
    /// Elements kb's theme and page code write, and those cmark writes for Markdown.
    static let elements: Set<String> = [
        "a", "article", "body", "br", "caption", "code", "details", "div", "em", "figcaption", "figure", "footer",
        "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "html", "input", "label", "li", "link", "main", "meta",
        "nav", "ol", "p", "pre", "rect", "script", "span", "strong", "summary", "sup", "svg", "table", "tbody", "td",
        "text", "th", "thead", "title", "tr", "ul", "blockquote", "hr", "img",
    ]
    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "xlink:href", "poster", "srcset"]

    static func check(_ html: String) {
        let b = Array(html.utf8)
        var i = 0
        var scripts = 0
        func fail(_ what: String, at offset: Int) -> Never {
            let from = max(0, offset - 80)
            let to = min(b.count, offset + 80)
            fatalError("unsafe page: \(what) at byte \(offset): \(String(decoding: b[from..<to], as: UTF8.self).debugDescription)")
        }
        func starts(_ text: String, at offset: Int) -> Bool {
            let t = Array(text.utf8)
            guard offset + t.count <= b.count else { return false }
            for k in 0..<t.count where lower(b[offset + k]) != t[k] { return false }
            return true
        }
        while i < b.count {
            guard b[i] == 0x3C else { i += 1; continue }  // <
            if starts("<!--", at: i) {
                guard let end = find("-->", in: b, from: i + 4) else { fail("an unclosed comment", at: i) }
                i = end + 3
                continue
            }
            if starts("<!doctype html>", at: i) {
                i += 15
                continue
            }
            var j = i + 1
            if j < b.count, b[j] == 0x2F { j += 1 }  // </
            let nameStart = j
            while j < b.count, isNameByte(b[j]) { j += 1 }
            let name = String(decoding: b[nameStart..<j].map(lower), as: UTF8.self)
            guard elements.contains(name) else { fail("a '<' that starts no element kb writes (<\(name))", at: i) }
            if name == "script" && b[i + 1] != 0x2F { scripts += 1 }
            // Attributes, to the end of the tag.
            while true {
                while j < b.count, isSpace(b[j]) { j += 1 }
                guard j < b.count else { fail("an unterminated tag", at: i) }
                if b[j] == 0x3E { j += 1; break }  // >
                if b[j] == 0x2F { j += 1; continue }  // the / of />
                let attributeStart = j
                while j < b.count, !isSpace(b[j]), b[j] != 0x3D, b[j] != 0x3E, b[j] != 0x2F { j += 1 }
                let attribute = String(decoding: b[attributeStart..<j].map(lower), as: UTF8.self)
                guard !attribute.isEmpty else { fail("an empty attribute name", at: j) }
                if attribute.hasPrefix("on") { fail("an event handler attribute \(attribute)", at: attributeStart) }
                while j < b.count, isSpace(b[j]) { j += 1 }
                guard j < b.count, b[j] == 0x3D else { continue }  // no value
                j += 1
                while j < b.count, isSpace(b[j]) { j += 1 }
                guard j < b.count else { fail("an unterminated tag", at: i) }
                var value: ArraySlice<UInt8>
                if b[j] == 0x22 || b[j] == 0x27 {
                    let quote = b[j]
                    guard let end = b[(j + 1)...].firstIndex(of: quote) else { fail("an unterminated attribute value", at: j) }
                    value = b[(j + 1)..<end]
                    j = end + 1
                } else {
                    let start = j
                    while j < b.count, !isSpace(b[j]), b[j] != 0x3E { j += 1 }
                    value = b[start..<j]
                }
                if urlAttributes.contains(attribute) { checkURL(decodeEntities(value), at: attributeStart, fail: fail) }
            }
            i = j
        }
        guard scripts == 1 else { fatalError("unsafe page: \(scripts) <script> elements, the theme writes 1") }
    }

    /// What a browser would take as the URL's scheme: ASCII tabs, newlines and controls dropped.
    static func checkURL(_ value: [UInt8], at offset: Int, fail: (String, Int) -> Never) {
        let cleaned = value.filter { $0 > 0x20 }.map(lower)
        for scheme in ["javascript:", "vbscript:", "file:"] where cleaned.starts(with: Array(scheme.utf8)) {
            fail("a \(scheme) URL", offset)
        }
        if cleaned.starts(with: Array("data:".utf8)),
           !["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains(where: { cleaned.starts(with: Array($0.utf8)) }) {
            fail("a data: URL that is not an image", offset)
        }
    }

    /// Numeric character references and the five named ones kb and cmark write.
    static func decodeEntities(_ value: ArraySlice<UInt8>) -> [UInt8] {
        let text = String(decoding: value, as: UTF8.self)
        guard text.contains("&") else { return Array(value) }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            guard let semicolon = rest.prefix(12).firstIndex(of: ";") else { out += "&"; rest = rest.dropFirst(); continue }
            let entity = rest[rest.index(after: rest.startIndex)..<semicolon]
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
            if let replacement = named[String(entity)] {
                out += replacement
            } else if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let code = UInt32(entity.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(code) {
                out.unicodeScalars.append(scalar)
            } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(code) {
                out.unicodeScalars.append(scalar)
            } else {
                out += rest[...semicolon]
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        out += rest
        return Array(out.utf8)
    }

    static func find(_ needle: String, in b: [UInt8], from: Int) -> Int? {
        let n = Array(needle.utf8)
        var k = from
        while k + n.count <= b.count {
            if b[k] == n[0], Array(b[k..<(k + n.count)]) == n { return k }
            k += 1
        }
        return nil
    }

    static func lower(_ c: UInt8) -> UInt8 { (0x41...0x5A).contains(c) ? c + 0x20 : c }
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C }
    static func isNameByte(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c == 0x2D || c == 0x3A }
}
