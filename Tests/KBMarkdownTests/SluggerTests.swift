import KBMarkdown
import Testing

@Suite struct SluggerTests {
    @Test(arguments: [
        ("Hello World", "hello-world"),
        ("Static vs. dynamic linking", "static-vs-dynamic-linking"),
        ("What's in `scratch`?", "whats-in-scratch"),
        ("C++ & Go: (a) comparison!", "c--go-a-comparison"),
        ("snake_case and kebab-case", "snake_case-and-kebab-case"),
        ("  leading and trailing  ", "--leading-and-trailing--"),
        ("Über Straße", "über-straße"),
        ("Ünïcödé 日本語 テスト", "ünïcödé-日本語-テスト"),
        ("musl 1.2.4 — DNS over TCP", "musl-124--dns-over-tcp"),
        ("Emoji 🚀 rocket", "emoji--rocket"),
        ("CGO_ENABLED=0", "cgo_enabled0"),
        ("100% smaller", "100-smaller"),
    ])
    func slugLikeGitHub(_ input: String, _ expected: String) {
        #expect(Slugger.slug(input) == expected)
    }

    @Test func repeatedHeadingsGetNumberedSuffixes() {
        var slugger = Slugger()
        let slugs = ["Usage", "Usage", "Usage-1", "Usage"].map { slugger.slug(for: $0) }
        // "Usage-1" written by hand collides with the generated one, as on GitHub.
        #expect(slugs == ["usage", "usage-1", "usage-1-1", "usage-2"])
    }
}
