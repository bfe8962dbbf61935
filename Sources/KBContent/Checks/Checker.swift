import KBRules

/// Step 5 of a build: cross-checks what was loaded. `kb check` stops here; `kb build`
/// goes on to render when nothing at or above the threshold was found.
public enum Checker {
    public static func check(_ knowledgeBase: KnowledgeBase) -> [Diagnostic] {
        var diagnostics = knowledgeBase.diagnostics
        diagnostics += checkLinks(knowledgeBase)
        return diagnostics.sorted()
    }

    static func checkLinks(_ knowledgeBase: KnowledgeBase) -> [Diagnostic] {
        let resolver = LinkResolver(knowledgeBase)
        var problems: [Diagnostic] = []
        for article in knowledgeBase.articles {
            for link in article.document.links {
                if case let .broken(problem) = resolver.resolve(link, in: article) { problems.append(problem) }
            }
        }
        return problems
    }
}
