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
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 32)
        escape(ArraySlice(text.utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Escapes UTF-8 bytes onto `out`. Byte by byte: the five characters are ASCII, and in
    /// UTF-8 an ASCII byte is never part of another character, so this is the same as
    /// escaping scalar by scalar.
    public static func escape(_ bytes: ArraySlice<UInt8>, into out: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case 0x26: out += "&amp;".utf8
            case 0x3C: out += "&lt;".utf8
            case 0x3E: out += "&gt;".utf8
            case 0x22: out += "&quot;".utf8
            case 0x27: out += "&#39;".utf8
            default: out.append(byte)
            }
        }
    }
}
