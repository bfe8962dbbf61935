import KBMarkdown
import KBRules

extension Article {
    /// A hash of everything of this article that other pages and checks use: its path, front
    /// matter (the home, tag and example pages, feeds, neighbours' links), anchors (other
    /// articles' links), where its links lead (its own link check), and which examples its
    /// blocks include and which rules they expect (example and rule pages, the examples'
    /// findings). An edit that keeps it changes no page but the article's own, and no
    /// finding but the article's own.
    ///
    /// Link and block positions are left out: the findings they carry are the article's own.
    public func outwardHash(_ check: ArticleCheck) -> UInt64 {
        Article.outwardHash(
            path: path, frontMatter: frontMatter, anchors: anchors, links: links,
            blocks: check.blocks.map { ($0.exampleSlug, $0.expected) }, expectedByExample: check.expectedByExample.mapValues { $0.sorted() })
    }

    /// The same hash of the article a build cache record describes, when the record holds
    /// the article's checks.
    public static func outwardHash(of record: ArticleRecord, path: String) -> UInt64? {
        guard let check = record.check else { return nil }
        return outwardHash(
            path: path, frontMatter: record.frontMatter, anchors: record.anchors, links: record.links,
            blocks: check.blocks.map { ($0.exampleSlug, $0.expected) }, expectedByExample: check.expectedByExample)
    }

    private static func outwardHash(
        path: String, frontMatter m: FrontMatter, anchors: [String], links: [Link], blocks: [(exampleSlug: String?, expected: [String])],
        expectedByExample: [String: [String]]
    ) -> UInt64 {
        var hash = StableHash()
        hash.combine(path)
        hash.combine(m.title)
        hash.combine(m.summary)
        hash.combine(m.tags)
        hash.combine(m.order.map { String($0) })
        hash.combine(m.date)
        hash.combine(m.draft)
        hash.combine(anchors)
        hash.combine(links.count)
        for link in links {
            hash.combine(link.destination)
            hash.combine(link.isImage)
        }
        hash.combine(blocks.count)
        for block in blocks {
            hash.combine(block.exampleSlug)
            hash.combine(block.expected)
        }
        for (slug, ids) in expectedByExample.sorted(by: { $0.key < $1.key }) {
            hash.combine(slug)
            hash.combine(ids)
        }
        return hash.value
    }
}

extension LinkResolver {
    /// An article's broken-link findings at its links' new places, when its links are the
    /// same (destinations, in order) but moved: `old` are the links the findings were made
    /// for. nil when the links differ, or a finding is not at one of the old links.
    public static func moved(_ problems: [Diagnostic], from old: [Link], to new: [Link]) -> [Diagnostic]? {
        guard old.count == new.count, zip(old, new).allSatisfy({ $0.destination == $1.destination && $0.isImage == $1.isImage }) else {
            return nil
        }
        var moved: [Diagnostic] = []
        var remaining = problems[...]
        for (before, after) in zip(old, new) {
            // Findings are in link order, one at most per link, at the link's place.
            guard let problem = remaining.first, problem.line == before.line, problem.column == before.column else { continue }
            remaining = remaining.dropFirst()
            var relocated = problem
            relocated.line = after.line
            relocated.column = after.column
            relocated.endLine = after.line + (problem.endLine - problem.line)
            relocated.endColumn = problem.endLine == problem.line ? after.column + (problem.endColumn - problem.column) : problem.endColumn
            moved.append(relocated)
        }
        return remaining.isEmpty ? moved : nil
    }
}
