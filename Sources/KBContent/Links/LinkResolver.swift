import Foundation
import KBMarkdown
import KBRules

/// Where a link written in an article leads.
public enum LinkTarget: Sendable, Equatable {
    /// A URL with a scheme (`https:`, `mailto:`) or a protocol-relative `//host` address.
    case external
    /// `#anchor` on the same page (nil: an empty `#`).
    case samePage(fragment: String?)
    /// Another article's page, optionally at a heading.
    case article(slug: String, fragment: String?)
    /// A file under Content/ published as is (an image, a download).
    case contentFile(path: String)
    /// A rule's page: `kb:rule/KB101` (or the rule's name).
    case rule(id: String)
    /// An example's page: `kb:example/SLUG`, or a link into `Examples/SLUG/`.
    case example(slug: String)
    /// A link kb cannot follow.
    case broken(Diagnostic)
}

/// Resolves article links against the knowledge base: `other.md#anchor` to the other page,
/// `img/x.png` to a published file. Used by `kb check` to report and by the site to rewrite.
public struct LinkResolver {
    private let knowledgeBase: KnowledgeBase
    private let contentFiles: Set<String>

    public init(_ knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
        self.contentFiles = Set(knowledgeBase.contentFiles)
    }

    public func resolve(_ link: Link, in article: Article) -> LinkTarget {
        let destination = link.destination
        let file = knowledgeBase.display(article.path)
        func broken(_ check: ContentCheck, _ message: String) -> LinkTarget {
            .broken(check.at(file, line: link.line, column: link.column, message))
        }

        if destination.hasPrefix("kb:") {
            return resolveKB(destination, broken: broken)
        }
        if let scheme = LinkResolver.refusedScheme(destination) {
            return broken(.unsafeLink, "\(link.isImage ? "image" : "link") \(LinkResolver.shortened(destination)): kb publishes no \(scheme): addresses (they run code, embed documents or point into the reader's own disk); link a page or a file under Content/")
        }
        if LinkResolver.isExternal(destination) {
            if link.isImage {
                return broken(.remoteImage, "image \(destination) is fetched from the network; copy it under Content/ so the site reads offline")
            }
            return .external
        }
        let (rawPath, fragment) = LinkResolver.splitFragment(destination)
        let path = rawPath.removingPercentEncoding ?? rawPath

        if path.isEmpty {
            guard let fragment, !fragment.isEmpty else { return .samePage(fragment: nil) }
            guard article.hasAnchor(fragment) else {
                return broken(.brokenAnchor, "no heading on this page has the anchor #\(fragment)\(suggestion(fragment, in: article))")
            }
            return .samePage(fragment: fragment)
        }

        let base = path.hasPrefix("/") ? "" : (article.path as NSString).deletingLastPathComponent
        guard let resolved = LinkResolver.normalize(base.isEmpty ? path : base + "/" + path) else {
            return broken(.linkOutsideRoot, "link \(destination) leads outside the knowledge base")
        }

        if resolved.lowercased().hasSuffix(".md") {
            guard resolved.hasPrefix("Content/") else {
                return broken(.brokenLink, "link \(destination) leads to \(resolved), which is not an article under Content/")
            }
            let contentPath = String(resolved.dropFirst("Content/".count))
            guard let target = knowledgeBase.article(atContentPath: contentPath) else {
                return broken(.brokenLink, "link \(destination): there is no article \(resolved)")
            }
            if let fragment, !fragment.isEmpty, !target.hasAnchor(fragment) {
                return broken(.brokenAnchor, "link \(destination): \(resolved) has no heading with the anchor #\(fragment)\(suggestion(fragment, in: target))")
            }
            return .article(slug: target.slug, fragment: fragment)
        }

        if resolved.hasPrefix("Examples/") {
            let slug = String(resolved.dropFirst("Examples/".count).split(separator: "/").first ?? "")
            guard knowledgeBase.examples[slug] != nil else {
                return broken(.brokenLink, "link \(destination): there is no example Examples/\(slug)/")
            }
            return .example(slug: slug)
        }
        if resolved.hasPrefix("Content/"), contentFiles.contains(String(resolved.dropFirst("Content/".count))) {
            return .contentFile(path: String(resolved.dropFirst("Content/".count)))
        }
        return broken(.brokenLink, "link \(destination) leads to \(resolved), which is not a file under Content/")
    }

    /// `kb:rule/ID` and `kb:example/SLUG`: links to pages kb makes, checked like the others.
    private func resolveKB(_ destination: String, broken: (ContentCheck, String) -> LinkTarget) -> LinkTarget {
        let rest = destination.dropFirst("kb:".count)
        let parts = rest.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            return broken(.brokenLink, "link \(destination): kb links are kb:rule/ID or kb:example/SLUG")
        }
        switch parts[0] {
        case "rule":
            guard let rule = RuleRegistry.rule(parts[1]) else {
                return broken(.brokenLink, "link \(destination): no such rule\(RuleRegistry.suggestion(for: parts[1]))")
            }
            return .rule(id: type(of: rule).description.id)
        case "example":
            guard knowledgeBase.examples[parts[1]] != nil else {
                return broken(.brokenLink, "link \(destination): there is no example Examples/\(parts[1])/")
            }
            return .example(slug: parts[1])
        default:
            return broken(.brokenLink, "link \(destination): kb links are kb:rule/ID or kb:example/SLUG")
        }
    }

    /// The `href` for a resolved target on an article page (which lives in `articles/`).
    public static func href(for target: LinkTarget, original: String) -> String {
        switch target {
        case .external, .samePage, .broken:
            // cmark drops most of these itself (not data:image/png); kb's own rule is stricter.
            return refusedScheme(original) == nil ? original : ""
        case let .article(slug, fragment):
            let page = percentEncodePath(slug) + ".html"
            guard let fragment, !fragment.isEmpty else { return page }
            return page + "#" + (fragment.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed) ?? fragment)
        case let .contentFile(path):
            return "../files/" + percentEncodePath(path)
        case let .rule(id):
            return "../rules/\(id).html"
        case let .example(slug):
            return "../examples/\(percentEncodePath(slug)).html"
        }
    }

    // MARK: - Pieces

    static func isExternal(_ destination: String) -> Bool {
        if destination.hasPrefix("//") { return true }
        // A scheme is letters, digits, +, -, . before the first ':' and before any '/', '?' or '#'.
        guard let colon = destination.firstIndex(of: ":") else { return false }
        let scheme = destination[..<colon]
        guard let first = scheme.first, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// Schemes that never become a link or an image on a page: script, embedded documents and
    /// the reader's own files.
    static let refusedSchemes: Set<String> = ["javascript", "vbscript", "data", "file"]

    /// The refused scheme of a destination, lower-cased, or nil. Browsers skip leading spaces
    /// and control characters and drop tabs and newlines anywhere, so this does too.
    static func refusedScheme(_ destination: String) -> String? {
        var scheme = ""
        for scalar in destination.unicodeScalars {
            if scalar == ":" { break }
            if scalar.value <= 0x20 || scalar.value == 0x7F { continue }
            guard scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "+-.".unicodeScalars.contains(scalar) else { return nil }
            scheme.unicodeScalars.append(scalar)
            if scheme.count > 16 { return nil }
        }
        let lower = scheme.lowercased()
        return refusedSchemes.contains(lower) && destination.contains(":") ? lower : nil
    }

    /// A destination cut to a length that fits a message (a data: URL may be megabytes).
    static func shortened(_ destination: String) -> String {
        destination.count <= 80 ? destination : String(destination.prefix(77)) + "..."
    }

    static func splitFragment(_ destination: String) -> (path: String, fragment: String?) {
        var path = destination
        if let query = path.firstIndex(of: "?"), !path[..<query].contains("#") {
            // A query string means nothing for a file; keep the fragment after it.
            let rest = path[query...]
            path = String(path[..<query]) + (rest.firstIndex(of: "#").map { String(rest[$0...]) } ?? "")
        }
        guard let hash = path.firstIndex(of: "#") else { return (path, nil) }
        let fragment = String(path[path.index(after: hash)...])
        return (String(path[..<hash]), fragment.removingPercentEncoding ?? fragment)
    }

    /// Resolves `.` and `..`; nil when the path climbs above the root.
    static func normalize(_ path: String) -> String? {
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(component)
            }
        }
        return parts.joined(separator: "/")
    }

    /// A path for an `href`: `:` is encoded too, so that no page name reads as a scheme.
    public static func percentEncodePath(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":;?#")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    private func suggestion(_ fragment: String, in article: Article) -> String {
        let lower = fragment.lowercased()
        if let close = article.anchors.first(where: { $0 == lower || $0.hasPrefix(lower) || lower.hasPrefix($0) }) {
            return " (did you mean #\(close)?)"
        }
        return ""
    }
}
