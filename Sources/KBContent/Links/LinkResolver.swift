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
        func broken(_ check: ContentCheck, _ message: String) -> LinkTarget {
            .broken(check.at(knowledgeBase.display(article.path), line: link.line, column: link.column, message))
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
        let path = rawPath.utf8.contains(UInt8(ascii: "%")) ? (rawPath.removingPercentEncoding ?? rawPath) : rawPath

        if path.isEmpty {
            guard let fragment, !fragment.isEmpty else { return .samePage(fragment: nil) }
            guard article.hasAnchor(fragment) else {
                return broken(.brokenAnchor, "no heading on this page has the anchor #\(fragment)\(suggestion(fragment, in: article))")
            }
            return .samePage(fragment: fragment)
        }

        let base = path.hasPrefix("/") ? "" : article.path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(article.path[..<$0]) } ?? ""
        guard let resolved = LinkResolver.normalize(base.isEmpty ? path : base + "/" + path) else {
            return broken(.linkOutsideRoot, "link \(destination) leads outside the knowledge base")
        }

        if LinkResolver.isMarkdownPath(resolved) {
            guard resolved.hasPrefix("Content/") else {
                return broken(.brokenLink, "link \(destination) leads to \(resolved), which is not an article under Content/")
            }
            let contentPath = String(resolved.utf8.dropFirst(LinkResolver.contentPrefix))!
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
        if resolved.hasPrefix("Content/"), contentFiles.contains(String(resolved.utf8.dropFirst(LinkResolver.contentPrefix))!) {
            return .contentFile(path: String(resolved.utf8.dropFirst(LinkResolver.contentPrefix))!)
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
            if isPlain(fragment) { return page + "#" + fragment }
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

    /// The bytes of `Content/`, dropped from a path by offset rather than by Characters.
    static let contentPrefix = "Content/".utf8.count

    static func isExternal(_ destination: String) -> Bool {
        let bytes = destination.utf8
        if bytes.starts(with: "//".utf8) { return true }
        // A scheme is letters, digits, +, -, . before the first ':' and before any '/', '?' or '#'.
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let scheme = destination[..<colon]
        guard let first = scheme.first, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// `.md` in any case, at the end.
    static func isMarkdownPath(_ path: String) -> Bool {
        let bytes = Array(path.utf8.suffix(3))
        return bytes.count == 3 && bytes[0] == UInt8(ascii: ".") && bytes[1] | 0x20 == UInt8(ascii: "m") && bytes[2] | 0x20 == UInt8(ascii: "d")
    }

    /// Schemes that never become a link or an image on a page: script, embedded documents and
    /// the reader's own files.
    static let refusedSchemes: Set<String> = ["javascript", "vbscript", "data", "file"]

    /// The refused scheme of a destination, lower-cased, or nil. Browsers skip leading spaces
    /// and control characters and drop tabs and newlines anywhere, so this does too.
    static func refusedScheme(_ destination: String) -> String? {
        // Bytes, not scalars: a scheme is ASCII, and any other scalar (its first byte is 0x80
        // or more) means there is none. Runs for every link of every article.
        var scheme: [UInt8] = []
        var sawColon = false
        for byte in destination.utf8 {
            if byte == UInt8(ascii: ":") {
                sawColon = true
                break
            }
            if byte <= 0x20 || byte == 0x7F { continue }
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                scheme.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                scheme.append(byte + 32)
            default:
                return nil
            }
            if scheme.count > 16 { return nil }
        }
        guard sawColon || destination.utf8.contains(UInt8(ascii: ":")) else { return nil }
        let lower = String(decoding: scheme, as: UTF8.self)
        return refusedSchemes.contains(lower) ? lower : nil
    }

    /// A destination cut to a length that fits a message (a data: URL may be megabytes).
    static func shortened(_ destination: String) -> String {
        destination.count <= 80 ? destination : String(destination.prefix(77)) + "..."
    }

    static func splitFragment(_ destination: String) -> (path: String, fragment: String?) {
        // `?` and `#` are ASCII: searching the bytes finds the same places as Characters.
        var path = destination
        let bytes = destination.utf8
        if let query = bytes.firstIndex(of: UInt8(ascii: "?")), !bytes[..<query].contains(UInt8(ascii: "#")) {
            // A query string means nothing for a file; keep the fragment after it.
            let rest = bytes[query...]
            path = String(destination[..<query]) + (rest.firstIndex(of: UInt8(ascii: "#")).map { String(destination[$0...]) } ?? "")
        }
        guard let hash = path.utf8.firstIndex(of: UInt8(ascii: "#")) else { return (path, nil) }
        let fragment = String(path[path.utf8.index(after: hash)...])
        let decoded = fragment.utf8.contains(UInt8(ascii: "%")) ? (fragment.removingPercentEncoding ?? fragment) : fragment
        return (String(path[..<hash]), decoded)
    }

    /// Resolves `.` and `..`; nil when the path climbs above the root.
    static func normalize(_ path: String) -> String? {
        if isNormal(path) { return path }
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

    /// No empty, `.` or `..` component: what most paths are, and `normalize` leaves as is.
    static func isNormal(_ path: String) -> Bool {
        var length = 0
        var dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if length == 0 || dots == length { return false }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == UInt8(ascii: ".") && dots == length - 1 { dots += 1 }
            }
        }
        return length > 0 && !(dots == length && length <= 2)
    }

    /// A path for an `href`: `:` is encoded too, so that no page name reads as a scheme.
    public static func percentEncodePath(_ path: String) -> String {
        if isPlain(path) { return path }
        return path.addingPercentEncoding(withAllowedCharacters: pathAllowed) ?? path
    }

    private static let pathAllowed: CharacterSet = {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":;?#")
        return allowed
    }()

    /// ASCII letters, digits and `-._~/`: left as they are by every percent-encoding here,
    /// so the (slow) general encoder is skipped for the paths and anchors most sites have.
    static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                true
            default:
                false
            }
        }
    }

    private func suggestion(_ fragment: String, in article: Article) -> String {
        let lower = fragment.lowercased()
        if let close = article.anchors.first(where: { $0 == lower || $0.hasPrefix(lower) || lower.hasPrefix($0) }) {
            return " (did you mean #\(close)?)"
        }
        return ""
    }
}
