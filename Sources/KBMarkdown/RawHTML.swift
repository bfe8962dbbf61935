/// HTML that kb produced itself and vouches for: the only way raw markup reaches a page.
/// Everything else goes through `HTML.escape`.
public struct RawHTML: Sendable, Hashable, CustomStringConvertible {
    public let markup: String

    /// Wraps markup built by kb's own escaping code. The name is long on purpose: every
    /// call site is a place where injection could happen, and should be easy to find.
    public init(trustedMarkup markup: String) { self.markup = markup }

    public var description: String { markup }
}

public enum HTML {
    /// Escapes text for an element body or a double-quoted attribute value.
    public static func escape(_ text: String) -> String {
        var needs = false
        for byte in text.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 {
            needs = true
            break
        }
        guard needs else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
