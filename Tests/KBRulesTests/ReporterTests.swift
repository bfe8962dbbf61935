import Foundation
@testable import KBRules
import Testing

@Suite struct ReporterTests {
    let findings = [
        Diagnostic(file: "Examples/a b/Dockerfile", line: 3, column: 1, endLine: 3, endColumn: 20, severity: .error, rule: "KB101", name: "dynamic-binary-in-scratch", message: "binary built with glibc, copied into scratch"),
        Diagnostic(file: "Content/x.md", line: 7, column: 5, severity: .info, rule: "KC010", name: "broken-link", message: "100% wrong: a, b\nnext"),
    ]

    @Test func text() {
        #expect(Reporter.text(findings) == """
            Examples/a b/Dockerfile:3:1: error: binary built with glibc, copied into scratch [KB101 dynamic-binary-in-scratch]
            Content/x.md:7:5: info: 100% wrong: a, b
            next [KC010 broken-link]

            """)
    }

    @Test func jsonRoundTrips() throws {
        let data = Data(Reporter.json(findings).utf8)
        #expect(try JSONDecoder().decode([Diagnostic].self, from: data) == findings)
        let objects = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(Set(objects[0].keys) == ["file", "line", "column", "endLine", "endColumn", "severity", "rule", "name", "message"])
    }

    @Test func githubAnnotationsEscapeTheirFields() {
        #expect(Reporter.github(findings) == """
            ::error file=Examples/a b/Dockerfile,line=3,col=1,endLine=3,endColumn=20,title=KB101 dynamic-binary-in-scratch::binary built with glibc, copied into scratch
            ::notice file=Content/x.md,line=7,col=5,endLine=7,endColumn=5,title=KC010 broken-link::100%25 wrong: a, b%0Anext

            """)
    }

    @Test func sarifDescribesRulesAndRegions() throws {
        let rules = [RuleDescriptor(id: "KB101", name: "dynamic-binary-in-scratch", summary: "A dynamic binary cannot run in scratch", severity: .error, helpURI: "rules/KB101.html")]
        let data = Data(Reporter.sarif(findings, rules: rules, toolVersion: "1.2.3").utf8)
        let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["version"] as? String == "1.2.3")
        let described = try #require(driver["rules"] as? [[String: Any]])
        #expect(described.map { $0["id"] as? String } == ["KB101", "KC010"])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["level"] as? String } == ["error", "note"])
        #expect(results.map { $0["ruleIndex"] as? Int } == [0, 1])
        let location = try #require((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "Examples/a%20b/Dockerfile")
        let region = try #require(location["region"] as? [String: Int])
        #expect(region == ["startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 21])
    }

    @Test func thresholds() {
        #expect(FailureThreshold.error.fails(.error))
        #expect(!FailureThreshold.error.fails(.warning))
        #expect(FailureThreshold.warning.fails(.error))
        #expect(FailureThreshold.style.fails(.info))
        #expect(!FailureThreshold.never.fails(.error))
    }
}
