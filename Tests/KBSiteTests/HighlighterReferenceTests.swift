import Foundation
import KBDockerfile
import KBMarkdown
import KBRules
@testable import KBSite
import KBTestSupport
import Testing

/// The highlighter writes its rows as bytes, as the tokens come. These tests compare it with
/// the way it was first written (rows collected, then joined), kept here as the definition:
/// byte for byte, on the repository's Dockerfiles and on generated ones.
@Suite struct HighlighterReferenceTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL

    @Test func sameBytesOnTheExamples() throws {
        let examples = Self.repositoryRoot.appendingPathComponent("Examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted()
        var compared = 0
        for name in names {
            guard let data = FileManager.default.contents(atPath: examples.appendingPathComponent(name + "/Dockerfile").path) else { continue }
            let source = String(decoding: data, as: UTF8.self)
            let finding = Diagnostic(file: "D", line: 2, endLine: 3, severity: .warning, rule: "KB101", name: "x", message: "m")
            let reference = ReferenceHighlighter.render(source, findings: [finding], idPrefix: "b1-").markup
            #expect(DockerfileHighlighter.render(source, findings: [finding], idPrefix: "b1-").markup == reference, "\(name)")
            // With the tokens the lint's parse kept, as article pages have them.
            if let tokens = (try? DockerfileParser.parseWithTokens(source)).flatMap({ CompactTokens($0.1) }) {
                #expect(DockerfileHighlighter.render(source, tokens: tokens, findings: [finding], idPrefix: "b1-").markup == reference, "\(name)")
                compared += 1
            }
        }
        #expect(compared >= 40)  // those that parse
    }

    @Test func sameBytesOnEdgeCases() {
        let sources = [
            "", "\n", "\n\n", "FROM a", "FROM a\n", "FROM a\n\n", "FROM a\r\nRUN b\r\n", "\u{FEFF}FROM a\n",
            "# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN echo `\n  b\n",
            "FROM a\nRUN <<EOF\nline one\n  <b>&\"'</b>\nEOF\n", "FROM a\nRUN <<EOF\nunterminated\n",
            "FROM a\nCMD [\"a\", \"b\"]\n", "FROM a\nCMD [\"unterminated\n", "FROM a\nENV A=1 B=\"two words\" C=${A:-x}\n",
            "FROM a\nRUN echo \\\n\n  # comment\n  done\n", "FROM a\rRUN b\r", "\r\n\r\n", "FROM a\nRUN \\\r\n  b\r\n",
        ]
        for source in sources {
            #expect(DockerfileHighlighter.render(source, idPrefix: "").markup == ReferenceHighlighter.render(source, idPrefix: "").markup,
                    "\(source.debugDescription)")
        }
    }

    @Test func sameBytesOnGeneratedDockerfiles() {
        let pieces = [
            "FROM alpine:3.20 AS build", "FROM scratch", "RUN apk add --no-cache gcc musl-dev", "RUN <<EOF\nset -e\nmake\nEOF",
            "COPY --from=build /out/app /app", "ENV CGO_ENABLED=0 GOOS=linux", "ARG VERSION=\"1.2\"", "CMD [\"/app\", \"--serve\"]",
            "# a comment with <tags> & \"quotes\"", "RUN echo $HOME ${PATH} \\\n  && true", "LABEL a=b c=\"d e\"", "", "  ",
            "HEALTHCHECK CMD curl -f http://localhost/ || exit 1", "ONBUILD RUN x", "USER 65532:65532", "WORKDIR /src",
            "RUN --mount=type=cache,target=/root/.cache go build ./...", "EXPOSE 8080/tcp", "ENTRYPOINT [\"unterminated",
            "COPY <<EOF /etc/x\nvalue \u{00E9}\u{0301}\nEOF", "RUN printf '%s' \"é\" \\\r\n  | cat", "\u{FEFF}", "\r",
        ]
        var random = SplitMix(seed: 9)
        for round in 0..<500 {
            var lines: [String] = []
            for _ in 0..<Int(random.next() % 12) { lines.append(pieces[Int(random.next() % UInt64(pieces.count))]) }
            let ending = ["\n", "\r\n", ""][Int(random.next() % 3)]
            let source = lines.joined(separator: random.next() % 5 == 0 ? "\r\n" : "\n") + ending
            var findings: [Diagnostic] = []
            for _ in 0..<Int(random.next() % 3) {
                let line = 1 + Int(random.next() % 14)
                let severity = Severity.allCases[Int(random.next() % UInt64(Severity.allCases.count))]
                findings.append(Diagnostic(file: "D", line: line, endLine: line + Int(random.next() % 3), severity: severity, rule: "KB1", name: "x", message: "m"))
            }
            let prefix = "b\(round)-"
            #expect(DockerfileHighlighter.render(source, findings: findings, idPrefix: prefix).markup
                == ReferenceHighlighter.render(source, findings: findings, idPrefix: prefix).markup, "\(source.debugDescription)")
        }
    }
}

/// The highlighter as first written: tokens into rows of bytes, then rows into HTML.
private enum ReferenceHighlighter {
    static func render(_ source: String, findings: [Diagnostic] = [], idPrefix: String) -> RawHTML {
        let tokens = DockerfileTokenizer.tokens(in: source)
        var severityByLine: [Int: Severity] = [:]
        for finding in findings {
            for line in finding.line...max(finding.line, finding.endLine) {
                severityByLine[line] = min(severityByLine[line] ?? finding.severity, finding.severity)
            }
        }
        // Built as bytes: a page has thousands of tokens, and String pieces cost more than
        // the text they hold.
        let bytes = Array(source.utf8)
        var rows: [[UInt8]] = [[]]
        for token in tokens {
            if token.kind == .newline {
                rows.append([])
                continue
            }
            let cssClass = className(token.kind)
            let text = bytes[token.range]
            guard text.contains(where: { $0 == 0x0A || $0 == 0x0D }) else {
                append(text, cssClass: cssClass, to: &rows[rows.count - 1])
                continue
            }
            // A token never crosses a line in practice; split defensively so rows stay rows
            // (by Characters, as "\r\n" is one).
            let parts = token.text(in: source).split(separator: "\n", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() {
                if index > 0 { rows.append([]) }
                append(ArraySlice((part.hasSuffix("\r") ? part.dropLast() : part).utf8), cssClass: cssClass, to: &rows[rows.count - 1])
            }
        }
        if rows.count > 1, rows.last!.isEmpty { rows.removeLast() }
        var html = Array("<pre class=\"dockerfile\"><code>".utf8)
        html.reserveCapacity(bytes.count * 4)
        for (index, row) in rows.enumerated() {
            let number = String(index + 1)
            var classes = "line"
            if let severity = severityByLine[index + 1] { classes += " finding finding-\(severity.rawValue)" }
            html += "<span class=\"\(classes)\" id=\"\(idPrefix)L\(number)\"><a class=\"ln\" href=\"#\(idPrefix)L\(number)\" aria-hidden=\"true\">\(number)</a>".utf8
            html += row
            html += "\n</span>".utf8
        }
        html += "</code></pre>".utf8
        return RawHTML(trustedMarkup: String(decoding: html, as: UTF8.self))
    }

    /// A token's text, escaped, in a span of its class when it has one.
    private static func append(_ text: ArraySlice<UInt8>, cssClass: String?, to row: inout [UInt8]) {
        guard !text.isEmpty else { return }
        if let cssClass { row += "<span class=\"\(cssClass)\">".utf8 }
        HTML.escape(text, into: &row)
        if cssClass != nil { row += "</span>".utf8 }
    }

    static func className(_ kind: Token.Kind) -> String? {
        switch kind {
        case .keyword: "tok-keyword"
        case .flag: "tok-flag"
        case .string: "tok-string"
        case .variable: "tok-variable"
        case .comment: "tok-comment"
        case .directive: "tok-directive"
        case .heredocMarker: "tok-heredoc-marker"
        case .heredocBody: "tok-heredoc"
        case .continuation: "tok-continuation"
        case .operator: "tok-operator"
        case .punctuation: "tok-punctuation"
        case .text, .whitespace, .newline: nil
        }
    }
}
