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
        var lines: [String] = [""]
        for token in tokens {
            let text = token.text(in: source)
            if token.kind == .newline {
                lines.append("")
                continue
            }
            let cssClass = className(token.kind)
            func append(_ part: String) {
                let escaped = HTML.escape(part)
                guard !escaped.isEmpty else { return }
                guard let cssClass else { lines[lines.count - 1] += escaped; return }
                lines[lines.count - 1] += "<span class=\"" + cssClass + "\">" + escaped + "</span>"
            }
            // A token never crosses a line in practice; split defensively so rows stay rows.
            guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else {
                append(text)
                continue
            }
            let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() {
                if index > 0 { lines.append("") }
                append(String(part.hasSuffix("\r") ? part.dropLast() : part))
            }
        }
        if lines.count > 1, lines.last == "" { lines.removeLast() }
        var html = "<pre class=\"dockerfile\"><code>"
        for (index, line) in lines.enumerated() {
            let number = index + 1
            var classes = "line"
            if let severity = severityByLine[number] { classes += " finding finding-\(severity.rawValue)" }
            html += "<span class=\"\(classes)\" id=\"\(idPrefix)L\(number)\"><a class=\"ln\" href=\"#\(idPrefix)L\(number)\" aria-hidden=\"true\">\(number)</a>\(line)\n</span>"
        }
        html += "</code></pre>"
        return RawHTML(trustedMarkup: html)
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
