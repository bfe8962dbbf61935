import KBMarkdown

/// One Markdown file of Content/, read and parsed.
public final class Article {
    /// Path from the knowledge-base root, with `/`: `Content/go/static.md`.
    public let path: String
    /// Path inside Content/: `go/static.md`.
    public let contentPath: String
    /// Page name: folders joined by `-`, without `.md`: `go-static`.
    public let slug: String
    public let frontMatter: FrontMatter
    public let document: MarkdownDocument
    /// Heading anchors in document order, GitHub-style and unique on the page.
    public let anchors: [String]
    /// The same anchors as a set: links look them up, and a page may have 100 000 headings.
    private let anchorSet: Set<String>

    init(path: String, contentPath: String, frontMatter: FrontMatter, document: MarkdownDocument) {
        self.path = path
        self.contentPath = contentPath
        self.slug = Article.slug(forContentPath: contentPath)
        self.frontMatter = frontMatter
        self.document = document
        var slugger = Slugger()
        self.anchors = document.headings.map { slugger.slug(for: $0.text) }
        self.anchorSet = Set(anchors)
    }

    /// Whether a heading of this article has the anchor `fragment`.
    public func hasAnchor(_ fragment: String) -> Bool { anchorSet.contains(fragment) }

    public var title: String { frontMatter.title }

    /// The page file of this article, relative to the site root.
    public var pagePath: String { "articles/\(slug).html" }

    static func slug(forContentPath path: String) -> String {
        var name = path
        if name.lowercased().hasSuffix(".md") { name.removeLast(3) }
        return name.split(separator: "/").joined(separator: "-")
    }

    /// The home page order: `order` first (articles without one last), then title.
    public static func homeOrder(_ a: Article, _ b: Article) -> Bool {
        switch (a.frontMatter.order, b.frontMatter.order) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default:
            if a.title != b.title { return a.title.localizedLowercase < b.title.localizedLowercase }
            return a.path < b.path
        }
    }
}
