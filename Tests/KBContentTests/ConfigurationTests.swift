import KBContent
import KBRules
import Testing

@Suite struct ConfigurationTests {
    func problems(_ text: String) -> [String] {
        do {
            _ = try Configuration.parse(text, file: "kb.yaml")
            return []
        } catch {
            return error.all.map { "\($0.line):\($0.column) \($0.message)" }
        }
    }

    @Test func readsEveryKey() throws {
        let configuration = try Configuration.parse("""
            title: My notes
            description: About images.
            base_url: https://example.org/kb
            fail_on: warning
            rules:
              KB204: off
              latest-tag: info
            """, file: "kb.yaml")
        #expect(configuration.title == "My notes")
        #expect(configuration.description == "About images.")
        #expect(configuration.baseURL == "https://example.org/kb/")
        #expect(configuration.failOn == .warning)
        #expect(configuration.rules == [
            .init(rule: "KB204", severity: nil, line: 6),
            .init(rule: "latest-tag", severity: .info, line: 7),
        ])
    }

    @Test func emptyFileIsTheDefault() throws {
        #expect(try Configuration.parse("", file: "kb.yaml") == Configuration())
    }

    @Test func everyProblemAtItsLine() {
        #expect(problems("base_url: /relative\nfail_on: sometimes\nrules:\n  KB101: loud\ncolour: blue\n") == [
            "1:11 'base_url' must be an absolute http(s) address such as https://example.org/kb/, not '/relative'",
            "2:10 'fail_on' must be one of error, warning, info, style, never, not 'sometimes'",
            "4:10 rule KB101: 'loud' is not error, warning, info, style or off",
            "5:1 unknown key 'colour' (known keys: title, description, base_url, fail_on, rules)",
        ])
        #expect(problems("- a\n") == ["1:1 kb.yaml must be a mapping of keys to values, not a list"])
        #expect(problems("title: [a\n").first?.hasPrefix("2:") == true || problems("title: [a\n").first?.hasPrefix("1:") == true)
    }
}
