import Foundation
import KBRules
import KBTestSupport
import Testing

/// `kb lint`, `kb rules` and `kb explain` run as processes on real files, as a user or a CI
/// job runs them: what they print, in every format, and how they exit.
@Suite struct LintCommandTests {
    /// Two findings below the default threshold: an info and a warning.
    static let alpine = """
        FROM alpine:3.19
        RUN apk add curl
        USER 1000
        CMD curl https://example.org

        """
    static let alpineText = [
        "Dockerfile:2:5: info: apk add curl keeps the package indexes in /var/cache/apk, in a layer that ships: use apk add --no-cache [KB206 apk-without-no-cache]",
        "Dockerfile:4:5: warning: CMD in shell form runs under /bin/sh -c, which does not pass signals on, so the program is killed instead of stopped: write CMD [\"curl\", \"https://example.org\"] [KB303 json-form-recommended]",
    ]

    /// A glibc binary linked dynamically, copied into scratch: an error.
    static let dynamicInScratch = """
        FROM gcc:13 AS build
        COPY hello.c .
        RUN gcc -o /hello hello.c

        FROM scratch
        COPY --from=build /hello /hello
        USER 1000
        ENTRYPOINT ["/hello"]

        """
    static let dynamicMessage = "/hello (built in stage 'build' by gcc without -static) is linked dynamically against glibc, but scratch has no C library and no loader (/lib64/ld-linux-x86-64.so.2): the container will fail with \"no such file or directory\". Link it statically, or run it on an image with glibc."

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    /// (line, rule) of every finding in a JSON report.
    static func findings(_ json: String) throws -> [String] {
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        return objects.map { "\($0["line"]!):\($0["rule"]!)" }
    }

    // MARK: - Inputs

    @Test func lintsOneFileWithExactTextLines() throws {
        let folder = try TemporaryFolder(["Dockerfile": Self.alpine])
        let result = try KBBinary.run(["lint", "Dockerfile"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.lines(result.stdout) == Self.alpineText)
        #expect(result.stderr == "kb lint: 1 Dockerfile, 1 warning, 1 info\n")
    }

    @Test func errorFindingExitsOne() throws {
        let folder = try TemporaryFolder(["broken.Dockerfile": Self.dynamicInScratch])
        let result = try KBBinary.run(["lint", "broken.Dockerfile"], in: folder.url)
        #expect(result.status == 1)
        #expect(Self.lines(result.stdout) == [
            "broken.Dockerfile:6:1: error: \(Self.dynamicMessage) [KB101 dynamic-binary-in-empty-image]",
            "broken.Dockerfile:6:1: info: /hello (built by gcc in stage 'build', line 3) keeps its symbol table: link with -s, or run strip on it in the build stage [KB213 unstripped-binary]",
        ])
        #expect(result.stderr == "kb lint: 1 Dockerfile, 1 error, 1 info\n")
    }

    @Test func folderFindsDockerfilesByNameOnly() throws {
        // An untagged base: one warning (KB302) in each file, so each file shows in the report.
        let untagged = "FROM alpine\nUSER 1000\nCMD [\"true\"]\n"
        let folder = try TemporaryFolder([
            "project/Dockerfile": untagged,
            "project/app.Dockerfile": untagged,
            "project/Dockerfile.dev": untagged,
            "project/services/api/Dockerfile": untagged,
            "project/Containerfile": untagged,
            // Not Dockerfiles, though some have the word in their names.
            "project/Dockerfile.dockerignore": "node_modules\n",
            "project/app.Dockerfile.dockerignore": "*.log\n",
            "project/Dockerfile.md": "# Notes\n",
            "project/Dockerfile-old": "NOT A DOCKERFILE\n",
            "project/Dockerfile.txt": "NOT A DOCKERFILE\n",
            "project/notes.txt": "FROM nothing\n",
            "project/main.go": "package main\n",
            // Skipped folders.
            "project/.hidden/Dockerfile": "BROKEN\n",
            "project/node_modules/pkg/Dockerfile": "BROKEN\n",
        ])
        let run = try KBBinary.run(["lint", "--format", "json", "--fail-on", "warning", "project"], in: folder.url)
        #expect(run.status == 1, "\(run.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(objects.map { $0["file"] as? String } == [
            "project/Containerfile", "project/Dockerfile", "project/Dockerfile.dev", "project/app.Dockerfile",
            "project/services/api/Dockerfile",
        ])
        #expect(Set(objects.map { $0["rule"] as? String }) == ["KB302"])
        #expect(run.stderr == "kb lint: 5 Dockerfiles, 5 warnings\n")

        // The current folder (the default): paths relative to it.
        let here = try KBBinary.run(["lint"], in: folder.url.appendingPathComponent("project"))
        #expect(here.status == 0)
        #expect(Self.lines(here.stdout).map { String($0.prefix(while: { $0 != ":" })) } == [
            "Containerfile", "Dockerfile", "Dockerfile.dev", "app.Dockerfile", "services/api/Dockerfile",
        ])
        // A folder written with a trailing slash, and a file named directly, whatever its name.
        let slash = try KBBinary.run(["lint", "project/services/", "project/Dockerfile-old"], in: folder.url)
        #expect(Self.lines(slash.stdout).map { String($0.prefix(while: { $0 != ":" })) } == [
            "project/services/api/Dockerfile", "project/Dockerfile-old",
        ])
        #expect(slash.status == 1, "a file that is not a Dockerfile does not parse: \(slash.stdout)")
    }

    @Test func standardInputWithAndWithoutContext() throws {
        let dockerfile = """
            FROM golang:1.22 AS build
            WORKDIR /src
            COPY . .
            RUN go build -ldflags="-s -w" -o /app .

            FROM scratch
            COPY --from=build /app /app
            USER 10001
            ENTRYPOINT ["/app"]

            """
        let folder = try TemporaryFolder([
            "net/main.go": "package main\n\nimport (\n\t\"fmt\"\n\t\"net\"\n)\n\nfunc main() { fmt.Println(net.ParseIP(\"::1\")) }\n",
            "plain/main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n",
        ])
        // Imports net with cgo on (golang has gcc): dynamic, so scratch cannot run it.
        let net = try KBBinary.run(["lint", "--format", "json", "-", "--context", "net"], in: folder.url, stdin: dockerfile)
        #expect(net.status == 1)
        #expect(try Self.findings(net.stdout) == ["7:KB101", "7:KB103"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(net.stdout.utf8)) as? [[String: Any]])
        #expect(objects.allSatisfy { $0["file"] as? String == "-" && $0["severity"] as? String == "error" })

        // Nothing that needs cgo: the binary is static whatever CGO_ENABLED says.
        let plain = try KBBinary.run(["lint", "-", "--context", "plain"], in: folder.url, stdin: dockerfile)
        #expect(plain.status == 0)
        #expect(plain.stdout == "")
        #expect(plain.stderr == "kb lint: 1 Dockerfile, no problems\n")

        // A file's own folder is its build context by default.
        try folder.write("net/Dockerfile", dockerfile)
        let file = try KBBinary.run(["lint", "--format", "json", "net/Dockerfile"], in: folder.url)
        #expect(file.status == 1)
        #expect(try Self.findings(file.stdout) == ["7:KB101", "7:KB103"])
        // --context overrides it, for files as for standard input.
        let overridden = try KBBinary.run(["lint", "--context", "plain", "net/Dockerfile"], in: folder.url)
        #expect(overridden.status == 0)
        #expect(overridden.stdout == "")

        // No context: kb cannot see the imports, so it warns instead.
        let unknown = try KBBinary.run(["lint", "-"], in: folder.url, stdin: dockerfile)
        #expect(unknown.status == 0)
        #expect(Self.lines(unknown.stdout) == [
            "-:7:1: warning: /app (built in stage 'build' by go build with cgo on (the default with a C compiler present)): with cgo on, a program that imports net or os/user links against glibc, which scratch lacks. Set CGO_ENABLED=0 in the build stage to be sure the binary is static. [KB103 go-cgo-in-minimal-image]",
        ])
    }

    @Test func missingFileExitsTwoAfterLintingTheOthers() throws {
        let folder = try TemporaryFolder(["Dockerfile": Self.alpine])
        let result = try KBBinary.run(["lint", "Dockerfile", "nope/Dockerfile"], in: folder.url)
        #expect(result.status == 2)
        #expect(Self.lines(result.stdout) == Self.alpineText)
        #expect(Self.lines(result.stderr) == ["kb lint: nope/Dockerfile: no such file or folder", "kb lint: 1 Dockerfile, 1 warning, 1 info"])
    }

    @Test func aDockerfileOverTheLimitOrNotAFileExitsTwoAfterLintingTheOthers() throws {
        let huge = "FROM alpine:3.20\n" + String(repeating: "ENV A=b\n", count: 140_000)  // 1.07 MiB
        let folder = try TemporaryFolder(["Dockerfile": Self.alpine, "huge/Dockerfile": huge])
        #expect(mkfifo(folder.url.appendingPathComponent("fifo.Dockerfile").path, 0o644) == 0)
        let result = try KBBinary.run(["lint", "Dockerfile", "huge/Dockerfile", "fifo.Dockerfile"], in: folder.url)
        #expect(result.status == 2)
        #expect(Self.lines(result.stdout) == Self.alpineText)
        #expect(Self.lines(result.stderr) == [
            "kb lint: huge/Dockerfile: Dockerfiles larger than 1 MiB are not read (limit 1 MiB); this one is 1.1 MiB",
            "kb lint: fifo.Dockerfile: not a regular file (a named pipe, socket or device): not read",
            "kb lint: 1 Dockerfile, 1 warning, 1 info",
        ])
        let piped = try KBBinary.run(["lint", "-"], in: folder.url, stdin: huge)
        #expect(piped.status == 2)
        #expect(piped.stderr.hasPrefix("kb lint: -: Dockerfiles larger than 1 MiB are not read (limit 1 MiB); this one is over 1 MiB\n"), "\(piped.stderr)")
    }

    @Test func targetChoosesTheFinalStage() throws {
        let dockerfile = """
            FROM gcc:13 AS build
            COPY hello.c .
            RUN gcc -s -o /hello hello.c

            FROM scratch AS broken
            COPY --from=build /hello /hello
            USER 1000
            ENTRYPOINT ["/hello"]

            FROM debian:bookworm-slim AS runtime
            COPY --from=build /hello /usr/local/bin/hello
            USER 1000
            CMD ["hello"]

            """
        let folder = try TemporaryFolder(["Dockerfile": dockerfile])
        let last = try KBBinary.run(["lint", "Dockerfile"], in: folder.url)
        #expect(last.status == 0)
        #expect(last.stdout == "")

        let broken = try KBBinary.run(["lint", "--format", "json", "--target", "broken", "Dockerfile"], in: folder.url)
        #expect(broken.status == 1)
        #expect(try Self.findings(broken.stdout) == ["6:KB101"])

        let missing = try KBBinary.run(["lint", "--target", "tests", "Dockerfile"], in: folder.url)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("kb lint: Dockerfile: no stage named 'tests' (stages: build, broken, runtime)\n"))
    }

    // MARK: - Formats

    @Test func jsonReport() throws {
        let folder = try TemporaryFolder(["Dockerfile": Self.alpine])
        let result = try KBBinary.run(["lint", "--format", "json", "Dockerfile"], in: folder.url)
        #expect(result.status == 0)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 2)
        for object in objects {
            #expect(Set(object.keys) == ["file", "line", "column", "endLine", "endColumn", "severity", "rule", "name", "message"])
        }
        #expect(objects[0]["file"] as? String == "Dockerfile")
        #expect(objects[0]["line"] as? Int == 2)
        #expect(objects[0]["column"] as? Int == 5)
        #expect(objects[0]["endLine"] as? Int == 2)
        #expect(objects[0]["endColumn"] as? Int == 7)
        #expect(objects[0]["severity"] as? String == "info")
        #expect(objects[0]["rule"] as? String == "KB206")
        #expect(objects[0]["name"] as? String == "apk-without-no-cache")
        #expect(objects[0]["message"] as? String == "apk add curl keeps the package indexes in /var/cache/apk, in a layer that ships: use apk add --no-cache")
        #expect(objects[1]["rule"] as? String == "KB303")
        #expect(objects[1]["severity"] as? String == "warning")
        #expect(objects[1]["line"] as? Int == 4)
        #expect(objects[1]["endColumn"] as? Int == 28)
        // Decodes as the type the reporters share.
        let decoded = try JSONDecoder().decode([Diagnostic].self, from: Data(result.stdout.utf8))
        #expect(decoded.map(\.rule) == ["KB206", "KB303"])

        // No findings: an empty array, still valid JSON.
        try folder.write("clean/Dockerfile", "FROM alpine:3.19\nUSER 1000\nCMD [\"true\"]\n")
        let clean = try KBBinary.run(["lint", "--format", "json", "clean/Dockerfile"], in: folder.url)
        #expect(clean.status == 0)
        #expect(try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [Any] != nil)
        #expect(clean.stdout.filter { !$0.isWhitespace } == "[]")
    }

    @Test func githubAnnotations() throws {
        let folder = try TemporaryFolder(["Dockerfile": Self.alpine, "broken.Dockerfile": Self.dynamicInScratch])
        let result = try KBBinary.run(["lint", "--format", "github", "Dockerfile", "broken.Dockerfile"], in: folder.url)
        #expect(result.status == 1)
        #expect(Self.lines(result.stdout) == [
            "::notice file=Dockerfile,line=2,col=5,endLine=2,endColumn=7,title=KB206 apk-without-no-cache::apk add curl keeps the package indexes in /var/cache/apk, in a layer that ships: use apk add --no-cache",
            "::warning file=Dockerfile,line=4,col=5,endLine=4,endColumn=28,title=KB303 json-form-recommended::CMD in shell form runs under /bin/sh -c, which does not pass signals on, so the program is killed instead of stopped: write CMD [\"curl\", \"https://example.org\"]",
            "::error file=broken.Dockerfile,line=6,col=1,endLine=6,endColumn=31,title=KB101 dynamic-binary-in-empty-image::\(Self.dynamicMessage)",
            "::notice file=broken.Dockerfile,line=6,col=1,endLine=6,endColumn=31,title=KB213 unstripped-binary::/hello (built by gcc in stage 'build', line 3) keeps its symbol table: link with -s, or run strip on it in the build stage",
        ])
    }

    @Test func sarifReport() throws {
        let folder = try TemporaryFolder(["Dockerfile": Self.alpine, "broken.Dockerfile": Self.dynamicInScratch])
        let result = try KBBinary.run(["lint", "--format", "sarif", "Dockerfile", "broken.Dockerfile"], in: folder.url)
        #expect(result.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "kb")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == ["KB101", "KB206", "KB213", "KB303"])
        #expect(rules[0]["name"] as? String == "dynamic-binary-in-empty-image")
        #expect((rules[0]["defaultConfiguration"] as? [String: Any])?["level"] as? String == "error")
        #expect((rules[0]["shortDescription"] as? [String: Any])?["text"] as? String
            == "A dynamically linked binary is copied into an image without a C library.")
        #expect(rules[0]["helpUri"] as? String == "rules/KB101.html")

        let results = try #require(runs[0]["results"] as? [[String: Any]])
        #expect(results.map { $0["ruleId"] as? String } == ["KB206", "KB303", "KB101", "KB213"])
        #expect(results.map { $0["level"] as? String } == ["note", "warning", "error", "note"])
        for entry in results {
            let index = try #require(entry["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == entry["ruleId"] as? String)
        }
        let location = try #require((results[2]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "broken.Dockerfile")
        let region = try #require(location["region"] as? [String: Int])
        // SARIF's endColumn is one past the last character.
        #expect(region == ["startLine": 6, "startColumn": 1, "endLine": 6, "endColumn": 32])
        #expect((results[2]["message"] as? [String: Any])?["text"] as? String == Self.dynamicMessage)
    }

    // MARK: - Thresholds and configuration

    @Test(arguments: [
        ("error", Int32(0)), ("warning", 1), ("info", 1), ("style", 1), ("never", 0),
    ])
    func failOnLevels(level: String, status: Int32) throws {
        let folder = try TemporaryFolder(["Dockerfile": Self.alpine])
        let result = try KBBinary.run(["lint", "--fail-on", level, "Dockerfile"], in: folder.url)
        #expect(result.status == status)
        #expect(Self.lines(result.stdout) == Self.alpineText)
    }

    @Test func failOnThresholdsAroundOneInfo() throws {
        // Only an info finding: warning passes, info fails.
        let folder = try TemporaryFolder(["Dockerfile": "FROM alpine:3.19\nRUN apk add curl\nUSER 1000\nCMD [\"curl\"]\n"])
        #expect(try KBBinary.run(["lint", "--fail-on", "warning", "Dockerfile"], in: folder.url).status == 0)
        #expect(try KBBinary.run(["lint", "--fail-on", "info", "Dockerfile"], in: folder.url).status == 1)
        // An error fails every threshold but never.
        try folder.write("broken.Dockerfile", Self.dynamicInScratch)
        for level in ["error", "warning", "info", "style"] {
            #expect(try KBBinary.run(["lint", "--fail-on", level, "broken.Dockerfile"], in: folder.url).status == 1)
        }
        #expect(try KBBinary.run(["lint", "--fail-on", "never", "broken.Dockerfile"], in: folder.url).status == 0)
        // An unknown level is a bad invocation.
        let bad = try KBBinary.run(["lint", "--fail-on", "loud", "Dockerfile"], in: folder.url)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("The value 'loud' is invalid for '--fail-on <fail-on>'"))
    }

    @Test func kbYamlFailOnAndTheCommandLineWins() throws {
        let folder = try TemporaryFolder(["Dockerfile": Self.alpine, "kb.yaml": "fail_on: warning\n"])
        #expect(try KBBinary.run(["lint", "Dockerfile"], in: folder.url).status == 1)
        #expect(try KBBinary.run(["lint", "--fail-on", "error", "Dockerfile"], in: folder.url).status == 0)
    }

    @Test func kbYamlSeverityOverridesAndOff() throws {
        let folder = try TemporaryFolder([
            "Dockerfile": Self.alpine,
            "kb.yaml": "rules:\n  KB206: error\n  json-form-recommended: off\n",
        ])
        let result = try KBBinary.run(["lint", "Dockerfile"], in: folder.url)
        #expect(result.status == 1)
        #expect(Self.lines(result.stdout) == [
            "Dockerfile:2:5: error: apk add curl keeps the package indexes in /var/cache/apk, in a layer that ships: use apk add --no-cache [KB206 apk-without-no-cache]",
        ])
        #expect(result.stderr == "kb lint: 1 Dockerfile, 1 error\n")

        // Lowering an error to a warning lets the run pass.
        try folder.write("broken.Dockerfile", Self.dynamicInScratch)
        try folder.write("kb.yaml", "rules:\n  dynamic-binary-in-empty-image: warning\n  KB213: off\n")
        let lowered = try KBBinary.run(["lint", "--format", "json", "broken.Dockerfile"], in: folder.url)
        #expect(lowered.status == 0)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(lowered.stdout.utf8)) as? [[String: Any]])
        #expect(objects.map { "\($0["rule"]!) \($0["severity"]!)" } == ["KB101 warning"])
    }

    @Test func configOption() throws {
        let folder = try TemporaryFolder([
            "Dockerfile": Self.alpine,
            "kb.yaml": "rules:\n  KB303: error\n",
            "ci/strict.yaml": "fail_on: info\nrules:\n  KB303: off\n",
        ])
        // --config replaces ./kb.yaml.
        let strict = try KBBinary.run(["lint", "--config", "ci/strict.yaml", "Dockerfile"], in: folder.url)
        #expect(strict.status == 1)
        #expect(Self.lines(strict.stdout) == [Self.alpineText[0]])

        let missing = try KBBinary.run(["lint", "--config", "ci/none.yaml", "Dockerfile"], in: folder.url)
        #expect(missing.status == 2)
        #expect(missing.stderr == "kb: ci/none.yaml: no such configuration file\n")
        #expect(missing.stdout == "")
    }

    @Test func unknownRuleInKbYamlExitsTwoWithFileAndLine() throws {
        let folder = try TemporaryFolder([
            "Dockerfile": Self.alpine,
            "kb.yaml": "title: Test\nrules:\n  KB206: warning\n  KB999: off\n  dynamic-binary-in-scratch: error\n",
        ])
        let result = try KBBinary.run(["lint", "Dockerfile"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(Self.lines(result.stderr) == [
            "kb.yaml:4:1: error: unknown rule 'KB999'; `kb rules` lists them [KC090 invalid-configuration]",
            "kb.yaml:5:1: error: unknown rule 'dynamic-binary-in-scratch' (did you mean KB101 dynamic-binary-in-empty-image?); `kb rules` lists them [KC090 invalid-configuration]",
        ])
    }

    @Test func malformedKbYamlExitsTwo() throws {
        let folder = try TemporaryFolder(["Dockerfile": Self.alpine, "kb.yaml": "rules: [KB101\n"])
        let result = try KBBinary.run(["lint", "Dockerfile"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("kb.yaml:2:1: error: invalid YAML: "))
        #expect(result.stderr.hasSuffix(" [KC090 invalid-configuration]\n"))

        try folder.write("kb.yaml", "rules:\n  KB206: loud\nfail_on: sometimes\n")
        let values = try KBBinary.run(["lint", "Dockerfile"], in: folder.url)
        #expect(values.status == 2)
        #expect(Self.lines(values.stderr) == [
            "kb.yaml:2:10: error: rule KB206: 'loud' is not error, warning, info, style or off [KC090 invalid-configuration]",
            "kb.yaml:3:10: error: 'fail_on' must be one of error, warning, info, style, never, not 'sometimes' [KC090 invalid-configuration]",
        ])
    }

    // MARK: - Suppressions

    func lint(_ dockerfile: String) throws -> [String] {
        let folder = try TemporaryFolder(["Dockerfile": dockerfile])
        let result = try KBBinary.run(["lint", "--format", "json", "--fail-on", "never", "Dockerfile"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        return try Self.findings(result.stdout).filter { !$0.hasSuffix("KB309") }
    }

    @Test func unsuppressedBaseline() throws {
        let findings = try lint("""
            FROM debian:bookworm
            RUN apt-get install -y curl
            RUN apt-get install -y wget
            """)
        #expect(findings == ["2:KB205", "3:KB205"])
    }

    @Test func kbIgnoreAboveAnInstructionByIDAndByName() throws {
        let findings = try lint("""
            FROM debian:bookworm
            # kb-ignore=KB205
            RUN apt-get install -y curl
            # kb-ignore=apt-install-recommends
            RUN apt-get install -y wget
            RUN apt-get install -y vim
            # kb-ignore=KB204
            RUN apt-get install -y nano
            """)
        #expect(findings == ["6:KB205", "8:KB205"])
    }

    @Test func kbIgnoreInsideAContinuedInstruction() throws {
        let findings = try lint("""
            FROM debian:bookworm
            RUN apt-get update \\
                # kb-ignore=KB205,KB204
                && apt-get install -y curl
            RUN apt-get update && apt-get install -y wget
            """)
        #expect(findings == ["5:KB204", "5:KB205"])
    }

    @Test func kbIgnoreFileAnywhere() throws {
        let findings = try lint("""
            FROM debian:bookworm
            RUN apt-get install -y curl
            # kb-ignore-file=apt-install-recommends
            RUN apt-get update && apt-get install -y wget
            """)
        #expect(findings == ["4:KB204"])
    }

    @Test func kbIgnoreAtTheTopSeparatedByABlankLineIsFileWide() throws {
        let fileWide = try lint("""
            # syntax=docker/dockerfile:1
            # kb-ignore=KB205

            FROM debian:bookworm
            RUN apt-get install -y curl
            RUN apt-get install -y wget
            """)
        #expect(fileWide == [])
        // Touching the first instruction, it is only that instruction's.
        let attached = try lint("""
            # kb-ignore=KB302
            FROM debian
            RUN apt-get install -y curl
            FROM debian
            """)
        #expect(attached == ["3:KB205", "4:KB302"])
    }

    @Test func hadolintIgnoreThroughEquivalents() throws {
        let rule = try #require(RuleRegistry.rule("KB205"))
        #expect(type(of: rule).description.equivalents.contains("DL3015"))
        let findings = try lint("""
            FROM debian:bookworm
            # hadolint ignore=DL3015
            RUN apt-get install -y curl
            # hadolint ignore=DL3008,DL3009
            RUN apt-get install -y wget
            RUN apt-get install -y vim
            """)
        // DL3008 (pin versions) has no kb equivalent and DL3009 is KB204's: line 5 stays.
        #expect(findings == ["5:KB205", "6:KB205"])
    }

    @Test func hadolintGlobalIgnore() throws {
        let findings = try lint("""
            FROM debian:bookworm
            RUN apt-get update && apt-get install -y curl
            # hadolint global ignore=DL3015
            RUN apt-get install -y wget
            """)
        #expect(findings == ["2:KB204"])
        // Without `global`, the same comment covers only the next instruction.
        let local = try lint("""
            FROM debian:bookworm
            RUN apt-get update && apt-get install -y curl
            # hadolint ignore=DL3015
            RUN apt-get install -y wget
            """)
        #expect(local == ["2:KB204", "2:KB205"])
    }

    // MARK: - kb rules and kb explain

    @Test func rulesInEveryFormat() throws {
        let registry = RuleRegistry.descriptions
        #expect(registry.count >= 30)

        let text = try KBBinary.run(["rules"])
        #expect(text.status == 0)
        let lines = Self.lines(text.stdout)
        #expect(lines.count == registry.count)
        #expect(lines.map { String($0.prefix(5)) } == registry.map(\.id))
        let first = try #require(lines.first { $0.hasPrefix("KB101 ") })
        #expect(first.wholeMatch(of: /KB101  dynamic-binary-in-empty-image +error    A dynamically linked binary is copied into an image without a C library\./) != nil)

        let json = try KBBinary.run(["rules", "--format", "json"])
        #expect(json.status == 0)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == registry.count)
        #expect(objects.map { $0["id"] as? String } == registry.map(\.id))
        #expect(objects.map { $0["severity"] as? String } == registry.map(\.severity.rawValue))
        let kb205 = try #require(objects.first { $0["id"] as? String == "KB205" })
        #expect(kb205["name"] as? String == "apt-install-recommends")
        #expect(kb205["category"] as? String == "Image size")
        #expect(kb205["equivalents"] as? [String] == ["DL3015"])

        let markdown = try KBBinary.run(["rules", "--format", "markdown"])
        #expect(markdown.status == 0)
        let rows = Self.lines(markdown.stdout)
        #expect(rows.prefix(2) == ["| ID | name | severity | summary |", "|---|---|---|---|"])
        #expect(rows.count == registry.count + 2)
        #expect(rows.contains("| KB101 | dynamic-binary-in-empty-image | error | A dynamically linked binary is copied into an image without a C library. |"))
    }

    @Test func explainByIDOrName() throws {
        let byID = try KBBinary.run(["explain", "KB101"])
        let byName = try KBBinary.run(["explain", "dynamic-binary-in-empty-image"])
        let lowerCase = try KBBinary.run(["explain", "kb101"])
        #expect(byID.status == 0)
        #expect(byName.status == 0)
        #expect(byID.stdout == byName.stdout)
        #expect(byID.stdout == lowerCase.stdout)
        let lines = Self.lines(byID.stdout)
        #expect(lines.first == "KB101 dynamic-binary-in-empty-image (error, Minimal-image correctness)")
        #expect(lines.dropFirst().first == "A dynamically linked binary is copied into an image without a C library.")
        let description = RuleRegistry.descriptions.first { $0.id == "KB101" }!
        let paragraph = description.rationale.split(separator: "\n").joined(separator: "\n")
        #expect(byID.stdout.contains(paragraph))
        #expect(lines.filter { $0.hasPrefix("Triggers:") }.count == description.examples.filter(\.triggers).count)
        #expect(lines.filter { $0.hasPrefix("Does not trigger:") }.count == description.examples.filter { !$0.triggers }.count)
        // Examples are printed without their ↓ markers, indented.
        #expect(!byID.stdout.contains("↓"))
        #expect(lines.contains("    FROM scratch"))
    }

    @Test func explainUnknownRuleSuggests() throws {
        let result = try KBBinary.run(["explain", "KB999"])
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("kb explain: unknown rule 'KB999' (rule IDs run KB001–"))
        #expect(result.stderr.hasSuffix("); `kb rules` lists them\n"))
        // Every hundred's first and last ID is named.
        let ids = RuleRegistry.descriptions.map(\.id).sorted()
        for hundred in Set(ids.map { $0.prefix(3) }) {
            let group = ids.filter { $0.hasPrefix(hundred) }
            #expect(result.stderr.contains(group.count == 1 ? group[0] : "\(group.first!)–\(group.last!)"))
        }

        let nearMiss = try KBBinary.run(["explain", "dynamic-binary-in-scratch"])
        #expect(nearMiss.status == 2)
        #expect(nearMiss.stderr == "kb explain: unknown rule 'dynamic-binary-in-scratch' (did you mean KB101 dynamic-binary-in-empty-image?); `kb rules` lists them\n")
    }
}
