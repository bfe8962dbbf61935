import Foundation
@testable import KBSite
import Testing

/// The built-in theme meets WCAG 2.1 AA contrast (4.5:1 for body text) in light and dark
/// mode, for every text colour on every background it is used on.
@Suite struct ThemeContrastTests {
    /// `--name: #rrggbb` declarations of one `:root` block, light first, then dark.
    static func palettes() throws -> (light: [String: String], dark: [String: String]) {
        let css = String(decoding: try #require(Theme.builtIn.assets["style.css"]), as: UTF8.self)
        var light: [String: String] = [:], dark: [String: String] = [:]
        var inDark = false
        for line in css.split(separator: "\n") {
            if line.contains("prefers-color-scheme: dark") { inDark = true }
            if line.hasPrefix("}") && !line.hasPrefix("} ") { /* end of a block at column 0 */ }
            for match in line.matches(of: /--([a-z-]+):\s*(#[0-9a-fA-F]{6})/) {
                if inDark { dark[String(match.1)] = String(match.2) } else { light[String(match.1)] = String(match.2) }
            }
            if inDark && line.trimmingCharacters(in: .whitespaces) == "}" && !line.hasPrefix(" ") { inDark = false }
        }
        return (light, dark)
    }

    static func luminance(_ hex: String) -> Double {
        let value = Int(hex.dropFirst(), radix: 16)!
        let channels = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF].map { Double($0) / 255 }
        let linear = channels.map { $0 <= 0.03928 ? $0 / 12.92 : pow(($0 + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    }

    static func contrast(_ a: String, _ b: String) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    static let pairs: [(text: String, background: String)] = [
        ("text", "background"), ("text", "surface"), ("muted", "background"), ("muted", "surface"),
        ("link", "background"), ("link", "surface"), ("error", "background"), ("warning-text", "background"),
        ("syntax-keyword", "surface"), ("syntax-flag", "surface"), ("syntax-string", "surface"),
        ("syntax-variable", "surface"), ("syntax-punctuation", "surface"), ("text", "error-bg"),
        ("text", "warning-bg"), ("text", "info-bg"),
    ]

    @Test func everyTextColourMeetsAA() throws {
        let (light, dark) = try Self.palettes()
        for (mode, palette) in [("light", light), ("dark", dark)] {
            for pair in Self.pairs {
                let text = try #require(palette[pair.text], "\(mode): --\(pair.text) is not defined")
                let background = try #require(palette[pair.background], "\(mode): --\(pair.background) is not defined")
                let ratio = Self.contrast(text, background)
                #expect(ratio >= 4.5, "\(mode): --\(pair.text) \(text) on --\(pair.background) \(background) is \(String(format: "%.2f", ratio)):1")
            }
        }
    }

    @Test func contrastArithmeticMatchesTheStandard() {
        #expect(abs(Self.contrast("#000000", "#ffffff") - 21) < 0.01)
        #expect(abs(Self.contrast("#767676", "#ffffff") - 4.54) < 0.01)
    }
}
