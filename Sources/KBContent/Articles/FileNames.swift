import Foundation

/// File and folder names kb refuses to read under Content/: names that would break a
/// one-line report or hide what they are (control characters, line separators, bidirectional
/// overrides that make `txt.md` read as `dm.txt`).
public enum FileNameCheck {
    /// Why `name` is refused, or nil when it is fine.
    public static func problem(_ name: String) -> String? {
        guard let bad = name.unicodeScalars.first(where: isRefused) else { return nil }
        return "the name contains \(describe(bad)), which kb does not read: rename the file"
    }

    /// The path with every refused character written as `\u{…}`, so a message stays one line.
    public static func printable(_ path: String) -> String {
        var out = ""
        for scalar in path.unicodeScalars {
            if isRefused(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII's only refused characters are its controls (no look-up in Unicode's tables).
        if scalar.isASCII { return scalar.value < 0x20 || scalar.value == 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return bidiControls.contains(scalar.value)
        }
    }

    /// U+202A–U+202E and U+2066–U+2069: embeddings, overrides and isolates.
    static let bidiControls: Set<UInt32> = [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        let code = String(format: "U+%04X", scalar.value)
        switch scalar {
        case "\n": return "a line break (\(code))"
        case "\t": return "a tab (\(code))"
        default: return bidiControls.contains(scalar.value) ? "a bidirectional control (\(code))" : "a control character (\(code))"
        }
    }
}
