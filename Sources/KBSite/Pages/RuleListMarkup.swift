import KBMarkdown
import KBRules

/// A ```` ```kb-rules ```` block: every rule, linked to its page, so that a guide to the
/// rules can never miss one.
enum RuleListMarkup {
    static func render(root: String) -> RawHTML {
        var html = "<div class=\"rule-list\">\n"
        for category in RuleDescription.Category.allCases {
            let rules = RuleRegistry.descriptions.filter { $0.category == category }
            guard !rules.isEmpty else { continue }
            html += "<table class=\"rules-table\">\n<caption>\(HTML.escape(category.rawValue))</caption>\n"
            html += "<thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Severity</th><th scope=\"col\">Finds</th></tr></thead>\n<tbody>\n"
            for rule in rules {
                html += "<tr><th scope=\"row\"><a href=\"\(root)rules/\(rule.id).html\">\(rule.id)</a> <span class=\"rule-name\">\(HTML.escape(rule.name))</span></th>"
                html += "<td><span class=\"badge badge-\(rule.severity.rawValue)\">\(rule.severity.rawValue)</span></td><td>\(HTML.escape(rule.summary))</td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        html += "</div>"
        return RawHTML(trustedMarkup: html)
    }
}
