import KBContent
import KBMarkdown
import KBRules

/// A dockerfile block of an article: the highlighted file, a caption that names its
/// example, the callout of a counterexample, and the other findings.
enum DockerfileBlockMarkup {
    /// `exampleDockerfile`: the included example's Dockerfile as a path from the knowledge
    /// base's root (`Examples/SLUG/Dockerfile`, or the one its `context:` builds).
    static func render(_ block: DockerfileBlock, index: Int, root: String, exampleDockerfile: String? = nil) -> RawHTML {
        let isCounterexample = !block.expected.isEmpty
        var html = "<figure class=\"dockerfile-block\(isCounterexample ? " counterexample" : "")\">\n"
        var caption: [String] = []
        if let title = block.title { caption.append("<span class=\"block-title\">\(HTML.escape(title))</span>") }
        if let slug = block.exampleSlug {
            caption.append("<a class=\"block-example\" href=\"\(root)examples/\(HTML.escape(slug)).html\">\(HTML.escape(exampleDockerfile ?? "Examples/\(slug)/Dockerfile"))</a>")
        }
        if block.isFragment { caption.append("<span class=\"block-fragment\">part of a Dockerfile</span>") }
        if !caption.isEmpty { html += "<figcaption>\(caption.joined(separator: " · "))</figcaption>\n" }
        html += DockerfileHighlighter.render(block.source, tokens: block.tokens, findings: block.findings, idPrefix: "b\(index)-").markup + "\n"
        if isCounterexample {
            // A counterexample that cannot work fails; one that works but is fragile gets a warning.
            let fails = block.findings.contains { block.expected.contains($0.rule) && $0.severity == .error }
            html += "<div class=\"callout\(fails ? " callout-fails" : "")\" role=\"note\"><p class=\"callout-title\">\(fails ? "This fails because…" : "What kb points out")</p><ul>\n"
            for id in block.expected {
                let description = RuleRegistry.rule(id).map { type(of: $0).description }
                let message = block.findings.first { $0.rule == id }?.message ?? description?.summary ?? ""
                let line = block.findings.first { $0.rule == id }.map { " (line \($0.line))" } ?? ""
                html += "<li><a href=\"\(root)rules/\(HTML.escape(id)).html\">\(HTML.escape(id)) \(HTML.escape(description?.name ?? ""))</a>\(line): \(HTML.escape(message))</li>\n"
            }
            html += "</ul></div>\n"
        }
        // Info and style findings are for the example's own page; here they would distract.
        let others = block.findings.filter { !block.expected.contains($0.rule) && $0.severity <= .warning }
        if !others.isEmpty {
            html += FindingsMarkup.render(others, root: root, linePrefix: "b\(index)-").markup
        }
        html += "</figure>"
        return RawHTML(trustedMarkup: html)
    }
}

/// A list of findings, each linking to its line and its rule.
enum FindingsMarkup {
    static func render(_ findings: [Diagnostic], root: String, linePrefix: String) -> RawHTML {
        var html = "<ul class=\"findings\">\n"
        for finding in findings {
            html += "<li class=\"finding-\(finding.severity.rawValue)\"><a href=\"#\(linePrefix)L\(finding.line)\">line \(finding.line)</a> "
            html += "<span class=\"severity\">\(finding.severity.rawValue)</span> "
            html += "<a href=\"\(root)rules/\(HTML.escape(finding.rule)).html\">\(HTML.escape(finding.rule))</a>: \(HTML.escape(finding.message))</li>\n"
        }
        html += "</ul>\n"
        return RawHTML(trustedMarkup: html)
    }
}
