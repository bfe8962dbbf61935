import Foundation
@testable import KBContent
import KBTestSupport
import Testing

/// The home page's order lower-cases titles without ICU when they are ASCII; it must agree
/// with `localizedLowercase`, which it stands in for.
@Suite struct OrderingTitleTests {
    @Test func agreesWithLocalizedLowercase() {
        var random = SplitMix(seed: 5)
        let alphabet = Array("AZaz09 -_.:/?!@[]`{}~IiÉéİıΣσ日本ü\u{0301}")
        var titles = ["", "A", "Go", "ZZ top", "I", "İstanbul", "SIGMA Σ", "Alpine @ 3.20", "[Draft] Notes", "`code`"]
        for _ in 0..<2_000 {
            titles.append(String((0..<Int(random.next() % 24)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }))
        }
        for title in titles {
            #expect(KnowledgeBase.orderingTitle(title) == title.localizedLowercase, "\(title.debugDescription)")
        }
    }
}
