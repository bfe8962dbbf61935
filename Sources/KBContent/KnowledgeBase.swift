import Foundation
import KBMarkdown
import KBRules

/// Everything kb read from a knowledge-base root: articles, the other files of Content/,
/// and the problems found while reading them.
public final class KnowledgeBase {
    public let root: URL
    public let configuration: Configuration
    /// kb.yaml's `rules:`, resolved against the rule registry.
    public let ruleConfiguration: RuleConfiguration
    /// `Examples/*/`: empty when the knowledge base has none.
    public let examples: ExampleCatalog
    /// The root as the user named it, for messages: "" for the current folder.
    public let displayRoot: String
    /// Articles sorted by path.
    public let articles: [Article]
    /// Non-Markdown files under Content/ (images, downloads), as paths inside Content/.
    public let contentFiles: [String]
    /// Problems found while reading.
    public let diagnostics: [Diagnostic]
    /// Every file under Content/ as the walk found it, with its fingerprint.
    public let listing: ContentListing

    private let articlesByContentPath: [String: Article]

    init(
        root: URL, configuration: Configuration, ruleConfiguration: RuleConfiguration, examples: ExampleCatalog,
        displayRoot: String, articles: [Article], contentFiles: [String], diagnostics: [Diagnostic], listing: ContentListing
    ) {
        self.root = root
        self.configuration = configuration
        self.ruleConfiguration = ruleConfiguration
        self.examples = examples
        self.displayRoot = displayRoot
        self.articles = articles
        self.contentFiles = contentFiles
        self.diagnostics = diagnostics
        self.listing = listing
        var byPath: [String: Article] = [:]
        for article in articles { byPath[article.contentPath] = article }
        self.articlesByContentPath = byPath
    }

    public func article(atContentPath path: String) -> Article? { articlesByContentPath[path] }

    /// Articles in home-page order: `order` first (articles without one last), then title
    /// (lower-cased, once per title rather than once per comparison), then path.
    public var articlesInOrder: [Article] {
        let keyed = articles.map { (article: $0, title: KnowledgeBase.orderingTitle($0.title)) }
        return keyed.sorted { a, b in
            switch (a.article.frontMatter.order, b.article.frontMatter.order) {
            case let (x?, y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default:
                if a.article.title != b.article.title { return a.title < b.title }
                return a.article.path < b.article.path
            }
        }.map(\.article)
    }

    /// A title as the home page orders it: `localizedLowercase`, without a trip through ICU for
    /// an ASCII title where that gives the same (every language but Turkish and Azeri, whose
    /// `I` lower-cases to `ı`).
    static func orderingTitle(_ title: String) -> String {
        guard asciiLowercaseIsLocal, title.utf8.allSatisfy({ $0 < 0x80 }) else { return title.localizedLowercase }
        return String(decoding: title.utf8.map { $0 &- UInt8(ascii: "A") < 26 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    private static let asciiLowercaseIsLocal: Bool = {
        let language = Locale.current.language.languageCode?.identifier
        return language != "tr" && language != "az"
    }()

    /// A path from the root as the user should see it in a message.
    public func display(_ pathFromRoot: String) -> String {
        displayRoot.isEmpty ? pathFromRoot : displayRoot + "/" + pathFromRoot
    }
}

/// A knowledge base that cannot be read at all (exit code 2), as opposed to one with problems.
public struct KnowledgeBaseError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}
