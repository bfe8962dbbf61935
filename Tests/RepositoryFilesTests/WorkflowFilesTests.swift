import Foundation
import Testing
import Yams

/// The repository's CI workflow and pre-commit hook definition, parsed as YAML.
@Suite struct WorkflowFilesTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load(_ path: String) throws -> Any {
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        return try #require(try Yams.load(yaml: text))
    }

    /// The `run:` and `uses:` of every step of the workflow's only job.
    static func steps() throws -> [[String: Any]] {
        let workflow = try #require(try load(".github/workflows/kb.yml") as? [String: Any])
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        let job = try #require(jobs.values.first as? [String: Any])
        return try #require(job["steps"] as? [[String: Any]])
    }

    @Test func workflowRunsOnPushAndPullRequest() throws {
        let workflow = try #require(try Self.load(".github/workflows/kb.yml") as? [String: Any])
        #expect(workflow["name"] as? String == "kb")
        // YAML 1.1 reads a bare `on` as true; Yams follows YAML 1.2 and keeps the string.
        let triggers = try #require((workflow["on"] ?? workflow["true"]) as? [String: Any])
        #expect(triggers.keys.contains("push"))
        #expect(triggers.keys.contains("pull_request"))
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        #expect(jobs.count == 1)
        let job = try #require(jobs["site"] as? [String: Any])
        #expect(job["runs-on"] as? String == "ubuntu-latest")
        let permissions = try #require(job["permissions"] as? [String: String])
        #expect(permissions["security-events"] == "write")
    }

    @Test func workflowBuildsChecksLintsAndPublishes() throws {
        let steps = try Self.steps()
        let runs = steps.compactMap { $0["run"] as? String }
        let uses = steps.compactMap { $0["uses"] as? String }
        func index(ofRun fragment: String) -> Int? { steps.firstIndex { ($0["run"] as? String)?.contains(fragment) == true } }

        #expect(uses.first == "actions/checkout@v4")
        let build = try #require(index(ofRun: "make release"))
        let check = try #require(index(ofRun: "kb check --format github"))
        let lint = try #require(index(ofRun: "kb lint --format sarif Examples > kb-lint.sarif"))
        let site = try #require(index(ofRun: "kb build"))
        #expect(build < check && check < lint && lint < site)
        #expect(runs.contains { $0.contains("|| test $? -eq 1") }, "findings must not stop the SARIF upload")

        let upload = try #require(steps.first { ($0["uses"] as? String)?.hasPrefix("github/codeql-action/upload-sarif@") == true })
        #expect((upload["with"] as? [String: Any])?["sarif_file"] as? String == "kb-lint.sarif")
        let artifact = try #require(steps.first { ($0["uses"] as? String)?.hasPrefix("actions/upload-artifact@") == true })
        let with = try #require(artifact["with"] as? [String: Any])
        #expect(with["path"] as? String == "Site/")
        #expect(with["name"] as? String == "site")
        #expect(steps.firstIndex { ($0["uses"] as? String)?.hasPrefix("actions/upload-artifact@") == true }! > site)
    }

    @Test func preCommitHookLintsDockerfiles() throws {
        let hooks = try #require(try Self.load(".pre-commit-hooks.yaml") as? [[String: Any]])
        let hook = try #require(hooks.first { $0["id"] as? String == "kb-lint" })
        #expect(hook["language"] as? String == "system")
        #expect(hook["entry"] as? String == "kb lint")
        #expect(hook["name"] as? String == "kb lint")
        let pattern = try #require(hook["files"] as? String)
        let regex = try NSRegularExpression(pattern: pattern)
        func matches(_ path: String) -> Bool {
            regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
        }
        for path in ["Dockerfile", "Examples/c-single-stage/Dockerfile", "docker/Dockerfile.dev", "Containerfile", "build/Dockerfile-alpine", "app.dockerfile", "web.Dockerfile"] {
            #expect(matches(path), "\(path) should be linted")
        }
        for path in ["README.md", "Dockerfiles/notes.txt", "docs/Dockerfile.md/x", "MyDockerfileHelper.swift", "Dockerfile/README"] {
            #expect(!matches(path), "\(path) should not be linted")
        }
    }
}
