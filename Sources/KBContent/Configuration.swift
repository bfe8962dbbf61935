import Foundation
import KBRules
import Yams

/// `kb.yaml` at the knowledge-base root. Every key is optional.
///
/// ```yaml
/// title: Minimal container images
/// description: One sentence for feeds and search engines.
/// base_url: https://example.org/kb/     # enables sitemap.xml and atom.xml
/// fail_on: warning                       # error | warning | info | style | never
/// rules:                                 # by ID or name: a severity, or off
///   KB204: off
///   latest-tag: warning
/// ```
public struct Configuration: Sendable, Equatable {
    public static let fileName = "kb.yaml"
    public static let defaultTitle = "Minimal container images"

    public var title: String = Configuration.defaultTitle
    public var description: String?
    /// Absolute site address, always ending in `/`.
    public var baseURL: String?
    public var failOn: FailureThreshold?
    /// Rule ID or name → severity, or nil for `off`. Checked against the rule registry by the caller.
    public var rules: [RuleSetting] = []

    public struct RuleSetting: Sendable, Equatable {
        public let rule: String
        public let severity: Severity?
        public let line: Int

        public init(rule: String, severity: Severity?, line: Int) {
            self.rule = rule
            self.severity = severity
            self.line = line
        }
    }

    public init() {}

    /// Reads `ROOT/kb.yaml`; no file is the default configuration. A malformed file is a
    /// configuration error (exit 2), with every problem at its line.
    public static func load(root: URL, displayRoot: String = "") throws(Diagnostics) -> Configuration {
        let url = root.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return Configuration() }
        let shown = displayRoot.isEmpty ? fileName : displayRoot + "/" + fileName
        if let tooLarge = InputLimits.problem(url, limit: InputLimits.metadataBytes, kind: "kb.yaml files", shown: shown) {
            throw Diagnostics([ConfigurationCheck.at(shown, line: 1, tooLarge.message)])
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Diagnostics([ConfigurationCheck.at(shown, line: 1, "cannot read the file")])
        }
        guard case let .success(text) = TextDecoding.decode(data) else {
            throw Diagnostics([ConfigurationCheck.at(shown, line: 1, "not UTF-8 text")])
        }
        return try parse(text, file: shown)
    }

    public static func parse(_ text: String, file: String) throws(Diagnostics) -> Configuration {
        var configuration = Configuration()
        let node: Node?
        switch YAMLReading.compose(text) {
        case let .success(value): node = value
        case let .failure(problem):
            throw Diagnostics([ConfigurationCheck.at(file, line: problem.line, column: problem.column, problem.message)])
        }
        guard let node else { return configuration }
        guard let pairs = node.orderedPairs else {
            throw Diagnostics([ConfigurationCheck.at(file, line: node.line, "kb.yaml must be a mapping of keys to values, not \(node.kindName)")])
        }
        var problems: [Diagnostic] = []
        func fail(_ at: Node, _ message: String) {
            problems.append(ConfigurationCheck.at(file, line: at.line, column: at.column, message))
        }
        func scalar(_ key: String, _ value: Node) -> String? {
            guard case let .scalar(scalar) = value else {
                fail(value, "'\(key)' must be a single value, not \(value.kindName)")
                return nil
            }
            return scalar.string
        }
        for (key, keyNode, value) in pairs {
            switch key {
            case "title":
                if let text = scalar(key, value) { configuration.title = text }
            case "description":
                configuration.description = scalar(key, value)
            case "base_url":
                guard let text = scalar(key, value) else { continue }
                guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                    fail(value, "'base_url' must be an absolute http(s) address such as https://example.org/kb/, not '\(text)'")
                    continue
                }
                configuration.baseURL = text.hasSuffix("/") ? text : text + "/"
            case "fail_on":
                guard let text = scalar(key, value) else { continue }
                guard let threshold = FailureThreshold(rawValue: text) else {
                    fail(value, "'fail_on' must be one of error, warning, info, style, never, not '\(text)'")
                    continue
                }
                configuration.failOn = threshold
            case "rules":
                guard let rules = value.orderedPairs else {
                    fail(value, "'rules' must map rule IDs or names to a severity or off, not \(value.kindName)")
                    continue
                }
                for (rule, ruleNode, setting) in rules {
                    guard let text = scalar(rule, setting)?.lowercased() else { continue }
                    if ["off", "false", "no", "disable", "disabled"].contains(text) {
                        configuration.rules.append(RuleSetting(rule: rule, severity: nil, line: ruleNode.line))
                    } else if let severity = Severity(rawValue: text) {
                        configuration.rules.append(RuleSetting(rule: rule, severity: severity, line: ruleNode.line))
                    } else {
                        fail(setting, "rule \(rule): '\(text)' is not error, warning, info, style or off")
                    }
                }
            default:
                fail(keyNode, "unknown key '\(key)' (known keys: title, description, base_url, fail_on, rules)")
            }
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return configuration
    }
}

/// Problems in kb.yaml: configuration errors, which stop every command (exit 2).
public enum ConfigurationCheck {
    public static let id = "KC090"
    public static let name = "invalid-configuration"

    public static func at(_ file: String, line: Int, column: Int = 1, _ message: String) -> Diagnostic {
        Diagnostic(file: file, line: line, column: column, severity: .error, rule: id, name: name, message: message)
    }
}
