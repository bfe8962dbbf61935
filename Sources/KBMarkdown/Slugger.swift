/// GitHub-style heading anchors: lower case, spaces to `-`, punctuation and symbols
/// dropped, letters and digits of every script kept; repeats get `-1`, `-2`, ...
///
/// One `Slugger` per page, fed the headings in document order.
public struct Slugger: Sendable {
    private var seen: [String: Int] = [:]

    public init() {}

    /// The slug of `text` alone, without de-duplication.
    public static func slug(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            if scalar == " " {
                out.append("-")
            } else if scalar == "-" || scalar == "_" {
                out.append(scalar)
            } else {
                switch scalar.properties.generalCategory {
                case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                     .nonspacingMark, .spacingMark, .enclosingMark,
                     .decimalNumber, .letterNumber, .otherNumber:
                    out.append(scalar)
                default:
                    break
                }
            }
        }
        return String(out)
    }

    /// The next unique slug for a heading on this page.
    public mutating func slug(for text: String) -> String {
        let base = Slugger.slug(text)
        var result = base
        while seen[result] != nil {
            seen[base, default: 0] += 1
            result = "\(base)-\(seen[base]!)"
        }
        seen[result] = 0
        return result
    }
}
