import KBDockerfile
import KBMarkdown
import KBRules

/// Dockerfiles as HTML, highlighted at build time from the parser's tokens: one line per
/// row with its number, the lines of findings marked. No script is needed to read them.
enum DockerfileHighlighter {
    /// `idPrefix` makes line anchors unique on a page with several blocks. `tokens`: the
    /// source's tokens if the lint's parse kept them; otherwise it is tokenized here.
    static func render(_ source: String, tokens: CompactTokens? = nil, findings: [Diagnostic] = [], idPrefix: String) -> RawHTML {
        if let tokens { return render(source, tokens, findings: findings, idPrefix: idPrefix) }
        let made = DockerfileTokenizer.tokens(in: source).lazy.map { (kind: $0.kind, range: $0.range) }
        return render(source, made, findings: findings, idPrefix: idPrefix)
    }

    private static func render<Tokens: Sequence>(
        _ source: String, _ tokens: Tokens, findings: [Diagnostic], idPrefix: String
    ) -> RawHTML where Tokens.Element == (kind: Token.Kind, range: Range<Int>) {
        var severityByLine: [Int: Severity] = [:]
        for finding in findings {
            for line in finding.line...max(finding.line, finding.endLine) {
                severityByLine[line] = min(severityByLine[line] ?? finding.severity, finding.severity)
            }
        }
        // Written as bytes, row by row as the tokens come: a page has thousands of tokens,
        // and String pieces cost more than the text they hold.
        let bytes = Array(source.utf8)
        var rows = Rows(idPrefix: Array(idPrefix.utf8), severityByLine: severityByLine, capacity: bytes.count * 4 + 64)
        for token in tokens {
            if token.kind == .newline {
                rows.endRow()
                continue
            }
            let tag = openTag(token.kind)
            let text = bytes[token.range]
            guard text.contains(where: { $0 == 0x0A || $0 == 0x0D }) else {
                rows.append(text, openTag: tag)
                continue
            }
            // A token never crosses a line in practice; split defensively so rows stay rows
            // (by Characters, as "\r\n" is one).
            let parts = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() {
                if index > 0 { rows.endRow() }
                rows.append(ArraySlice((part.hasSuffix("\r") ? part.dropLast() : part).utf8), openTag: tag)
            }
        }
        return RawHTML(trustedMarkup: String(decoding: rows.finish(), as: UTF8.self))
    }

    /// The rows of a block as HTML: one span per line, opened by the line's first text (or
    /// by its end, for an empty line) so that a last empty line can be left out.
    private struct Rows {
        let idPrefix: [UInt8]
        let severityByLine: [Int: Severity]
        var html: [UInt8] = []
        /// The 1-based number of the row being written.
        var number = 1
        var isOpen = false

        init(idPrefix: [UInt8], severityByLine: [Int: Severity], capacity: Int) {
            self.idPrefix = idPrefix
            self.severityByLine = severityByLine
            html.reserveCapacity(capacity)
            html += "<pre class=\"dockerfile\"><code>".utf8
        }

        /// A token's text, escaped, in a span of its class when it has one.
        mutating func append(_ text: ArraySlice<UInt8>, openTag: StaticString?) {
            guard !text.isEmpty else { return }
            open()
            if let openTag { html += UnsafeBufferPointer(start: openTag.utf8Start, count: openTag.utf8CodeUnitCount) }
            HTML.escape(text, into: &html)
            if openTag != nil { html += "</span>".utf8 }
        }

        mutating func endRow() {
            open()
            html += "\n</span>".utf8
            number += 1
            isOpen = false
        }

        /// The HTML; a last row with nothing in it is left out, unless it is the only one.
        mutating func finish() -> [UInt8] {
            if isOpen || number == 1 { endRow() }
            html += "</code></pre>".utf8
            return html
        }

        private mutating func open() {
            guard !isOpen else { return }
            isOpen = true
            html += "<span class=\"line".utf8
            if let severity = severityByLine[number] { html += " finding finding-\(severity.rawValue)".utf8 }
            html += "\" id=\"".utf8
            anchor()
            html += "\"><a class=\"ln\" href=\"#".utf8
            anchor()
            html += "\" aria-hidden=\"true\">".utf8
            digits()
            html += "</a>".utf8
        }

        private mutating func anchor() {
            html += idPrefix
            html.append(UInt8(ascii: "L"))
            digits()
        }

        private mutating func digits() {
            var value = number, divisor = 1
            while divisor <= value / 10 { divisor *= 10 }
            while divisor > 0 {
                html.append(UInt8(ascii: "0") + UInt8(value / divisor))
                value %= divisor
                divisor /= 10
            }
        }
    }

    /// The opening tag of a token kind's span, for the kinds that have a class.
    static func openTag(_ kind: Token.Kind) -> StaticString? {
        switch kind {
        case .keyword: "<span class=\"tok-keyword\">"
        case .flag: "<span class=\"tok-flag\">"
        case .string: "<span class=\"tok-string\">"
        case .variable: "<span class=\"tok-variable\">"
        case .comment: "<span class=\"tok-comment\">"
        case .directive: "<span class=\"tok-directive\">"
        case .heredocMarker: "<span class=\"tok-heredoc-marker\">"
        case .heredocBody: "<span class=\"tok-heredoc\">"
        case .continuation: "<span class=\"tok-continuation\">"
        case .operator: "<span class=\"tok-operator\">"
        case .punctuation: "<span class=\"tok-punctuation\">"
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
