import KBDockerfile
import KBMarkdown
import KBRules

/// Dockerfiles as HTML, highlighted at build time from the parser's tokens: one line per
/// row with its number, the lines of findings marked. No script is needed to read them.
enum DockerfileHighlighter {
    /// `idPrefix` makes line anchors unique on a page with several blocks.
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

/// Other languages: escaped, in a plain block.
enum PlainCode {
    static func render(_ body: String, language: String) -> RawHTML {
        let languageClass = language.isEmpty ? "" : " class=\"language-\(HTML.escape(language))\""
        return RawHTML(trustedMarkup: "<pre><code\(languageClass)>\(HTML.escape(body))</code></pre>")
    }
}
