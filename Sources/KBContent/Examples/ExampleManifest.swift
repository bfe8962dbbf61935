import Foundation
import KBRules
import Yams

/// `Examples/SLUG/example.yaml`: what an example is and what running it must show.
public struct ExampleManifest: Sendable, Equatable {
    public var title: String
    public var summary: String?
    public var tags: [String]
    /// The build stage to build (`--target`); the last stage when nil.
    public var target: String?
    /// `context:`: the folder that is the build context, relative to the example's folder;
    /// nil for the example's folder itself.
    public var context: ManifestPath?
    /// `dockerfile:`: the Dockerfile's path inside the context; nil for `Dockerfile`.
    public var dockerfile: ManifestPath?
    /// Seconds the run may take before it is stopped and counted as timed out.
    public var timeout: Double
    public var run: RunExpectation
    /// Rule IDs a counterexample is there to trigger (`expect: [KB101]`): their findings in
    /// the example's Dockerfile are the point, not problems.
    public var expect: [String]

    public static let defaultTimeout: Double = 30
    /// The longest `timeout:` accepted, in seconds.
    public static let maximumTimeout: Double = 3600

    public init(
        title: String, summary: String? = nil, tags: [String] = [], target: String? = nil,
        timeout: Double = ExampleManifest.defaultTimeout, run: RunExpectation, expect: [String] = [],
        context: ManifestPath? = nil, dockerfile: ManifestPath? = nil
    ) {
        self.title = title
        self.summary = summary
        self.tags = tags
        self.target = target
        self.context = context
        self.dockerfile = dockerfile
        self.timeout = timeout
        self.run = run
        self.expect = expect
    }

    static let knownKeys: [String] = ["title", "summary", "tags", "context", "dockerfile", "target", "timeout", "run", "expect", "extra"]

    /// Parses the text of an `example.yaml`. `file` is the path shown in diagnostics.
    /// Every problem found is reported, not only the first; the manifest is nil when any is.
    /// `build` holds `context:` and `dockerfile:` when they are well-formed, even when other
    /// fields are not: where the Dockerfile is does not depend on them.
    public static func parse(_ text: String, file: String) -> (manifest: ExampleManifest?, diagnostics: [Diagnostic], build: BuildPaths) {
        let root: Node?
        switch YAMLReading.compose(text) {
        case let .success(node): root = node
        case let .failure(problem):
            return (nil, [ExampleCheck.malformedManifest.at(file, line: problem.line, column: problem.column, problem.message)], BuildPaths())
        }
        guard let root else {
            return (nil, [ExampleCheck.invalidManifestField.at(file, line: 1, "example.yaml is empty: it needs at least 'title:' and 'run:'")], BuildPaths())
        }
        guard let pairs = root.orderedPairs else {
            return (nil, [ExampleCheck.malformedManifest.at(
                file, line: root.line, column: root.column,
                "example.yaml must be a YAML mapping of keys to values, not \(root.kindName)")], BuildPaths())
        }

        var problems: [Diagnostic] = []
        func problem(_ node: Node, _ message: String) {
            problems.append(ExampleCheck.invalidManifestField.at(file, line: node.line, column: node.column, message))
        }

        var title: String?
        var summary: String?
        var tags: [String] = []
        var target: String?
        var timeout = defaultTimeout
        var run: RunExpectation?
        var sawRun = false
        var expect: [String] = []
        var build = BuildPaths()
        var buildProblems = false

        for (key, keyNode, value) in pairs {
            switch key {
            case "title":
                if let text = nonEmptyString(value) { title = text } else { problem(value, "'title' must be a non-empty text") }
            case "summary":
                if isNull(value) { break }
                if let text = plainString(value) { summary = text } else { problem(value, "'summary' must be a text, not \(value.kindName)") }
            case "tags":
                if isNull(value) { break }
                guard case let .sequence(sequence) = value else {
                    problem(value, "'tags' must be a list, like [c, scratch], not \(value.kindName)")
                    break
                }
                for element in sequence {
                    if let tag = nonEmptyString(element) { tags.append(tag) } else { problem(element, "each tag must be a non-empty text") }
                }
            case "context":
                switch ManifestPath.parse(value, key: "context") {
                case let .success(path): build.context = path
                case let .failure(failure): problem(value, failure.message); buildProblems = true
                }
            case "dockerfile":
                switch ManifestPath.parse(value, key: "dockerfile") {
                case let .success(path): build.dockerfile = path
                case let .failure(failure): problem(value, failure.message); buildProblems = true
                }
            case "target":
                if let text = nonEmptyString(value), !text.contains(where: \.isWhitespace) {
                    target = text
                } else {
                    problem(value, "'target' must be the name of a build stage (one word)")
                }
            case "timeout":
                if let seconds = number(value), seconds > 0, seconds <= maximumTimeout {
                    timeout = seconds
                } else {
                    problem(value, "'timeout' must be a number of seconds greater than 0 and at most \(Int(maximumTimeout))")
                }
            case "run":
                sawRun = true
                switch RunExpectation.parse(value, file: file) {
                case let .success(expectation): run = expectation
                case let .failure(failure): problems += failure.diagnostics
                }
            case "expect":
                let elements: [Node]
                switch value {
                case let .sequence(sequence): elements = Array(sequence)
                case .scalar: elements = [value]
                default: elements = []; problem(value, "'expect' must be a list of rule IDs, like [KB101]")
                }
                for element in elements {
                    guard let name = nonEmptyString(element), let rule = RuleRegistry.rule(name) else {
                        problem(element, "expect: '\(plainString(element) ?? "")' is not a rule\(RuleRegistry.suggestion(for: plainString(element) ?? "")); `kb rules` lists them")
                        continue
                    }
                    expect.append(type(of: rule).description.id)
                }
            case "extra":
                break  // free-form data for themes and tools
            default:
                let suggestion = ExampleManifest.closest(key, in: knownKeys).map { " (did you mean '\($0)'?)" } ?? ""
                problems.append(ExampleCheck.invalidManifestField.at(
                    file, line: keyNode.line, column: keyNode.column,
                    "unknown key '\(key)' in example.yaml\(suggestion); known keys: \(knownKeys.joined(separator: ", "))"))
            }
        }
        if title == nil && !pairs.contains(where: { $0.key == "title" }) {
            problems.append(ExampleCheck.invalidManifestField.at(file, line: 1, "example.yaml has no 'title:'"))
        }
        if !sawRun {
            problems.append(ExampleCheck.invalidManifestField.at(
                file, line: 1,
                "example.yaml has no 'run:': say what running the image prints (run: {stdout: \"…\"}) or that it fails (run: {fails: true, stderr_contains: \"…\"})"))
        }
        if buildProblems { build.isValid = false }
        guard problems.isEmpty, let title, let run else { return (nil, problems, build) }
        let manifest = ExampleManifest(
            title: title, summary: summary, tags: tags, target: target, timeout: timeout, run: run, expect: expect,
            context: build.context, dockerfile: build.dockerfile)
        return (manifest, [], build)
    }
}

/// A path written in example.yaml (`context:`, `dockerfile:`), cleaned, with where it is
/// written so that a problem found on disk is reported at its line.
public struct ManifestPath: Sendable, Equatable {
    /// `/`-separated, without `.` segments, repeated or trailing slashes; `.` for the folder itself.
    public let path: String
    /// As written, for messages.
    public let written: String
    public let line: Int
    public let column: Int

    public init(path: String, written: String? = nil, line: Int = 1, column: Int = 1) {
        self.path = path
        self.written = written ?? path
        self.line = line
        self.column = column
    }

    /// The path's segments (`..` kept), empty for `.`.
    public var segments: [String] { path == "." ? [] : path.split(separator: "/").map(String.init) }

    static func parse(_ node: Node, key: String) -> Result<ManifestPath, PathProblem> {
        let what = key == "context" ? "a folder relative to the example's folder, like ../.." : "a file's path inside the context, like Dockerfile or docker/Dockerfile.prod"
        guard case let .scalar(scalar) = node, !isNull(node),
              scalar.style != .plain || (node.bool == nil && node.int == nil && node.float == nil)
        else {
            return .failure(PathProblem("'\(key)' must be \(what), not \(node.kindName)"))
        }
        let written = scalar.string
        guard !written.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .failure(PathProblem("'\(key)' must be \(what), not an empty text"))
        }
        if written.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(PathProblem("'\(key)' must not hold control characters or line breaks"))
        }
        if written.hasPrefix("/") {
            return .failure(PathProblem("'\(key)' must be a relative path (\(what)), not the absolute path \(written)"))
        }
        var parts: [String] = []
        for part in written.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            parts.append(String(part))
        }
        if key == "dockerfile" {
            if parts.isEmpty || written.hasSuffix("/") {
                return .failure(PathProblem("'dockerfile' must name a file inside the context, not a folder"))
            }
            if parts.contains("..") {
                return .failure(PathProblem("'dockerfile' must be inside the context: '..' is not allowed in \(written)"))
            }
        }
        return .success(ManifestPath(path: parts.isEmpty ? "." : parts.joined(separator: "/"), written: written, line: node.line, column: node.column))
    }

    struct PathProblem: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}

/// `context:` and `dockerfile:` of an example.yaml.
public struct BuildPaths: Sendable, Equatable {
    public var context: ManifestPath?
    public var dockerfile: ManifestPath?
    /// False when one of them is written but malformed: the example then has no context.
    public var isValid = true

    public init(context: ManifestPath? = nil, dockerfile: ManifestPath? = nil) {
        self.context = context
        self.dockerfile = dockerfile
    }

    /// Neither key: the example's folder is the context and its Dockerfile is `Dockerfile`.
    public var isDefault: Bool { context == nil && dockerfile == nil && isValid }
}

/// What running an example's image must show.
public struct RunExpectation: Sendable, Equatable {
    /// The run must end with a non-zero exit code (a counterexample). Otherwise it must exit 0.
    public var fails: Bool
    /// Standard output, exactly.
    public var stdout: String?
    /// A text standard output must contain.
    public var stdoutContains: String?
    /// A text standard error must contain (the engine's own messages count: a binary that
    /// cannot start is reported by the engine, not by the program).
    public var stderrContains: String?

    public init(fails: Bool = false, stdout: String? = nil, stdoutContains: String? = nil, stderrContains: String? = nil) {
        self.fails = fails
        self.stdout = stdout
        self.stdoutContains = stdoutContains
        self.stderrContains = stderrContains
    }

    public static func prints(_ stdout: String) -> RunExpectation { RunExpectation(stdout: stdout) }
    public static func fails(stderrContains: String?) -> RunExpectation { RunExpectation(fails: true, stderrContains: stderrContains) }

    struct Failure: Error { let diagnostics: [Diagnostic] }

    static let knownKeys = ["stdout", "stdout_contains", "fails", "stderr_contains"]

    static func parse(_ node: Node, file: String) -> Result<RunExpectation, Failure> {
        guard let pairs = node.orderedPairs else {
            return .failure(Failure(diagnostics: [ExampleCheck.invalidManifestField.at(
                file, line: node.line, column: node.column,
                "'run' must be a mapping, like {stdout: \"Hello\\n\"} or {fails: true, stderr_contains: \"…\"}, not \(node.kindName)")]))
        }
        var problems: [Diagnostic] = []
        var expectation = RunExpectation()
        for (key, keyNode, value) in pairs {
            func text() -> String? {
                if let text = plainString(value) { return text }
                problems.append(ExampleCheck.invalidManifestField.at(
                    file, line: value.line, column: value.column, "'run.\(key)' must be a text, not \(value.kindName)"))
                return nil
            }
            switch key {
            case "stdout": expectation.stdout = text()
            case "stdout_contains": expectation.stdoutContains = text()
            case "stderr_contains": expectation.stderrContains = text()
            case "fails":
                if let flag = boolean(value) {
                    expectation.fails = flag
                } else {
                    problems.append(ExampleCheck.invalidManifestField.at(
                        file, line: value.line, column: value.column, "'run.fails' must be true or false"))
                }
            default:
                let suggestion = ExampleManifest.closest(key, in: knownKeys).map { " (did you mean '\($0)'?)" } ?? ""
                problems.append(ExampleCheck.invalidManifestField.at(
                    file, line: keyNode.line, column: keyNode.column,
                    "unknown key '\(key)' under 'run'\(suggestion); known keys: \(knownKeys.joined(separator: ", "))"))
            }
        }
        if problems.isEmpty {
            if !expectation.fails && expectation.stdout == nil && expectation.stdoutContains == nil {
                problems.append(ExampleCheck.invalidManifestField.at(
                    file, line: node.line, column: node.column,
                    "'run' must say what the image prints ('stdout' or 'stdout_contains') or that it fails ('fails: true')"))
            }
            if expectation.fails && expectation.stdout != nil {
                problems.append(ExampleCheck.invalidManifestField.at(
                    file, line: node.line, column: node.column,
                    "'run' cannot expect both an exact 'stdout' and 'fails: true'; use 'stdout_contains' with 'fails'"))
            }
        }
        return problems.isEmpty ? .success(expectation) : .failure(Failure(diagnostics: problems))
    }

    /// Whether a run shows what is expected, and if not, why not in one sentence.
    public func evaluate(_ run: RunRecord, timeout: Double? = nil) -> Verdict {
        if run.timedOut {
            let limit = timeout.map { " within \(RunExpectation.seconds($0))" } ?? " in time"
            return Verdict(matched: false, reason: "the container did not exit\(limit) and was stopped")
        }
        if fails {
            if run.exitCode == 0 {
                return Verdict(matched: false, reason: "exited with code 0, but the example expects it to fail")
            }
        } else if run.exitCode != 0 {
            let detail = RunExpectation.firstLine(of: run.stderr).map { ": \($0)" } ?? ""
            return Verdict(matched: false, reason: "exited with code \(run.exitCode) (expected 0)\(detail)")
        }
        if let stdout, run.stdout != stdout {
            return Verdict(
                matched: false,
                reason: "printed \(RunExpectation.quoted(run.stdout)) on stdout, expected \(RunExpectation.quoted(stdout))")
        }
        if let stdoutContains, !run.stdout.contains(stdoutContains) {
            return Verdict(
                matched: false,
                reason: "stdout \(RunExpectation.quoted(run.stdout)) does not contain \(RunExpectation.quoted(stdoutContains))")
        }
        if let stderrContains, !run.stderr.contains(stderrContains) {
            return Verdict(
                matched: false,
                reason: "stderr \(RunExpectation.quoted(run.stderr)) does not contain \(RunExpectation.quoted(stderrContains))")
        }
        return Verdict(matched: true, reason: fails ? "failed as expected (exit code \(run.exitCode))" : "printed what was expected")
    }

    public struct Verdict: Sendable, Equatable {
        public let matched: Bool
        public let reason: String
    }

    /// A text for a message: quoted, escaped, at most 120 characters.
    static func quoted(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            case "\"": escaped += "\\\""
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        if escaped.count > 120 { escaped = String(escaped.prefix(117)) + "…" }
        return "\"" + escaped + "\""
    }

    static func firstLine(of text: String) -> String? {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init)
        guard let line, !line.isEmpty else { return nil }
        return line.count > 160 ? String(line.prefix(157)) + "…" : line
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}

// MARK: - YAML value helpers

private func isNull(_ node: Node) -> Bool {
    guard case let .scalar(scalar) = node else { return false }
    return scalar.tag == Tag(.null) || (scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string))
}

/// A scalar's text as written (numbers and booleans included), nil for a list or mapping.
private func plainString(_ node: Node) -> String? {
    guard case let .scalar(scalar) = node else { return nil }
    return scalar.string
}

private func nonEmptyString(_ node: Node) -> String? {
    guard let text = plainString(node), !isNull(node) else { return nil }
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
}

private func number(_ node: Node) -> Double? {
    guard case let .scalar(scalar) = node, scalar.style == .plain else { return nil }
    return node.int.map(Double.init) ?? node.float
}

private func boolean(_ node: Node) -> Bool? {
    guard case let .scalar(scalar) = node, scalar.style == .plain else { return nil }
    switch scalar.string {
    case "true", "True", "TRUE": return true
    case "false", "False", "FALSE": return false
    default: return nil
    }
}

extension ExampleManifest {
    /// The known key nearest to a misspelt one (edit distance at most 2).
    static func closest(_ word: String, in candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, ca) in a.enumerated() {
                var current = [i + 1]
                for (j, cb) in b.enumerated() {
                    current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
                }
                previous = current
            }
            return previous[b.count]
        }
        let scored = candidates.map { ($0, distance(Array(word), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }
}
