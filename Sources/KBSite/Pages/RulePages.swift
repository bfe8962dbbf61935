import KBContent
import KBMarkdown
import KBRules

/// `rules/index.html` and `rules/ID.html`: one page per rule, from its declaration.
enum RulePages {
    /// Writes the rule pages to `output` and returns their search entries.
    static func render(_ context: SiteContext, to output: SiteOutput) throws -> [SearchIndex.Entry] {
        let descriptions = RuleRegistry.descriptions
        var entries: [SearchIndex.Entry] = []
        var index = context.base(depth: 1)
        index["categories"] = RuleDescription.Category.allCases.compactMap { category -> [String: Any]? in
            let rules = descriptions.filter { $0.category == category }
            guard !rules.isEmpty else { return nil }
            return ["name": category.rawValue, "rules": rules.map { ["id": $0.id, "name": $0.name, "severity": $0.severity.rawValue, "summary": $0.summary] }]
        }
        try output.write(try context.page("rules", index, at: "rules/index.html"))

        let explainers = articlesExpecting(context)
        let linter = Linter()
        for description in descriptions {
            var articles: [[String: String]] = []
            if let reference = description.article {
                let path = String(reference.split(separator: "#").first ?? "")
                let anchor = reference.contains("#") ? "#" + String(reference.split(separator: "#").last!) : ""
                if let article = context.knowledgeBase.article(atContentPath: path) {
                    articles.append(["title": article.title, "href": "../\(article.pagePath)\(anchor)"])
                }
            }
            for article in explainers[description.id] ?? [] where !articles.contains(where: { $0["title"] == article.title }) {
                articles.append(["title": article.title, "href": "../\(article.pagePath)"])
            }
            let path = "rules/\(description.id).html"
            let render = {
                var values = context.base(depth: 1)
                values["description"] = description.summary
                var examples: [[String: Any]] = []
                for (number, example) in description.examples.enumerated() {
                    let result = linter.lint(
                        example.source, file: "Dockerfile",
                        context: example.context.isEmpty ? nil : BuildContextFiles(files: example.context),
                        options: .init(target: example.target, onlyRules: [description.id]))
                    var values: [String: Any] = [
                        "triggers": example.triggers,
                        "dockerfile": DockerfileHighlighter.render(example.source, findings: result.diagnostics, idPrefix: "e\(number + 1)-").markup,
                        "findings": result.diagnostics.map { ["line": $0.line, "message": $0.message] },
                    ]
                    if let note = example.note { values["note"] = note }
                    examples.append(values)
                }
                values["rule"] = [
                    "id": description.id, "name": description.name, "severity": description.severity.rawValue,
                    "category": description.category.rawValue, "summary": description.summary,
                    "rationale": MarkdownDocument(description.rationale).renderHTML(),
                    "equivalents": description.equivalents.joined(separator: ", "), "hasEquivalents": !description.equivalents.isEmpty,
                    "examples": examples, "articles": articles, "hasArticles": !articles.isEmpty,
                ] as [String: Any]
                return try context.page("rule", values, at: path)
            }
            if output.reusesPages, let signature = context.pageSignature {
                // A rule's page is its declaration (part of kb) and the articles that explain it.
                var key = StableHash()
                key.combine(signature)
                key.combine(description.id)
                for article in articles {
                    key.combine(article["title"] ?? "")
                    key.combine(article["href"] ?? "")
                }
                try output.page(path, key: key.value, render: render)
            } else {
                try output.write(try render())
            }
            entries.append(SearchIndex.Entry(
                title: "\(description.id) \(description.name)", url: "rules/\(description.id).html", kind: "rule",
                summary: description.summary, headings: [], tags: [description.category.rawValue] + description.equivalents,
                text: description.rationale))
        }
        return entries
    }

    /// Articles whose counterexamples expect a rule.
    static func articlesExpecting(_ context: SiteContext) -> [String: [Article]] {
        var found: [String: [Article]] = [:]
        for block in context.checked.dockerfileBlocks {
            guard let article = context.article(at: block.articlePath) else { continue }
            for id in block.expected where !(found[id]?.contains { $0 === article } ?? false) {
                found[id, default: []].append(article)
            }
        }
        return found
    }
}
