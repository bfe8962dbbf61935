import Foundation
import KBMarkdown

/// One Markdown file of Content/, read and parsed.
///
/// What other pages and checks need of an article (front matter, headings, links) is kept
/// as values; the parsed document is there for its own page and checks. An article that the
/// build cache restored unchanged has no document until one is asked for: then the file is
/// read and parsed again.
public final class Article: @unchecked Sendable {
    /// Path from the knowledge-base root, with `/`: `Content/go/static.md`.
    public let path: String
    /// Path inside Content/: `go/static.md`.
    public let contentPath: String
    /// Page name: folders joined by `-`, without `.md`: `go-static`.
    public let slug: String
    public let frontMatter: FrontMatter
    public let headings: [Heading]
    public let links: [Link]
    /// Heading anchors in document order, GitHub-style and unique on the page.
    public let anchors: [String]
    /// The same anchors as a set, made when a link first looks one up and the article has
    /// many (a page may have 100 000 headings); under `lock`.
    private var anchorSet: Set<String>?
    /// Lines before the Markdown body (the front matter and its fences).
    public let bodyLineOffset: Int
    /// The file as read: its identity on disk, and a hash of its bytes.
    public let fingerprint: FileFingerprint
    public let contentHash: UInt64

    private let lock = NSLock()
    private var parsed: MarkdownDocument?
    private let reparse: @Sendable () -> MarkdownDocument

    init(path: String, contentPath: String, frontMatter: FrontMatter, document: MarkdownDocument, fingerprint: FileFingerprint, contentHash: UInt64) {
        self.path = path
        self.contentPath = contentPath
        self.slug = Article.slug(forContentPath: contentPath)
        self.frontMatter = frontMatter
        self.headings = document.headings
        self.links = document.links
        self.bodyLineOffset = document.lineOffset
        self.fingerprint = fingerprint
        self.contentHash = contentHash
        self.parsed = document
        self.reparse = { document }
        var slugger = Slugger()
        self.anchors = document.headings.map { slugger.slug(for: $0.text) }
    }

    /// An article restored from the build cache; `reparse` reads and parses the file when its
    /// document is needed.
    init(path: String, contentPath: String, record: ArticleRecord, reparse: @escaping @Sendable () -> MarkdownDocument) {
        self.path = path
        self.contentPath = contentPath
        self.slug = Article.slug(forContentPath: contentPath)
        self.frontMatter = record.frontMatter
        self.headings = record.headings
        self.links = record.links
        self.bodyLineOffset = record.bodyLineOffset
        self.fingerprint = record.fingerprint
        self.contentHash = record.contentHash
        self.reparse = reparse
        self.anchors = record.anchors
    }

    /// The parsed Markdown: code blocks, inline code, and what the page renders.
    public var document: MarkdownDocument {
        lock.lock()
        defer { lock.unlock() }
        if let parsed { return parsed }
        let document = reparse()
        parsed = document
        return document
    }

    /// Whether a heading of this article has the anchor `fragment`.
    public func hasAnchor(_ fragment: String) -> Bool {
        if anchors.count <= 32 { return anchors.contains(fragment) }
        lock.lock()
        defer { lock.unlock() }
        if anchorSet == nil { anchorSet = Set(anchors) }
        return anchorSet!.contains(fragment)
    }

    public var title: String { frontMatter.title }

    /// The page file of this article, relative to the site root.
    public var pagePath: String { "articles/\(slug).html" }

    /// What the build cache keeps of this article.
    var record: ArticleRecord {
        ArticleRecord(
            fingerprint: fingerprint, contentHash: contentHash, frontMatter: frontMatter,
            headings: headings, anchors: anchors, links: links, bodyLineOffset: bodyLineOffset)
    }

    static func slug(forContentPath path: String) -> String {
        var name = path
        if name.lowercased().hasSuffix(".md") { name.removeLast(3) }
        return name.split(separator: "/").joined(separator: "-")
    }
}

/// A file's identity on disk: when none of it changed, neither did the file (a write always
/// changes ctime, which no program can set back).
public struct FileFingerprint: Sendable, Hashable {
    public var device: UInt64 = 0
    public var inode: UInt64 = 0
    public var size: Int = -1
    public var modified: Int = 0
    public var changed: Int = 0

    public init() {}

    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The fingerprint in what `stat` or `lstat` said of a file.
    public init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int(info.st_size)
        modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        changed = Int(info.st_ctim.tv_sec) * 1_000_000_000 + Int(info.st_ctim.tv_nsec)
    }
}
