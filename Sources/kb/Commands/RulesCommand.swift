import ArgumentParser
import Foundation
import KBRules

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every rule with its severity and summary.",
        discussion: """
            Examples:
              kb rules
              kb rules --format markdown > RULES.md
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    @Option(name: .long, help: "text, json or markdown.")
    var format: Format = .text

    func run() throws {
        let rules = RuleRegistry.descriptions
        switch format {
        case .text:
            let width = rules.map(\.name.count).max() ?? 0
            for rule in rules {
                let name = rule.name.padding(toLength: width, withPad: " ", startingAt: 0)
                let severity = rule.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
                Output.standardOutput("\(rule.id)  \(name)  \(severity)  \(rule.summary)\n")
            }
        case .json:
            let objects = rules.map { rule -> [String: Any] in
                ["id": rule.id, "name": rule.name, "severity": rule.severity.rawValue, "category": rule.category.rawValue,
                 "summary": rule.summary, "equivalents": rule.equivalents]
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            Output.standardOutput(String(decoding: data, as: UTF8.self) + "\n")
        case .markdown:
            var text = "| ID | name | severity | summary |\n|---|---|---|---|\n"
            for rule in rules {
                text += "| \(rule.id) | \(rule.name) | \(rule.severity.rawValue) | \(rule.summary.replacingOccurrences(of: "|", with: "\\|")) |\n"
            }
            Output.standardOutput(text)
        }
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print a rule's rationale and examples.",
        discussion: """
            Examples:
              kb explain KB101
              kb explain dynamic-binary-in-empty-image
            """
    )

    @Argument(help: ArgumentHelp("A rule ID or name.", valueName: "RULE"))
    var rule: String

    func run() throws {
        guard let found = RuleRegistry.rule(rule) else {
            var hint = RuleRegistry.suggestion(for: rule)
            if hint.isEmpty { hint = " (rule IDs run \(Self.idRanges()))" }
            Output.standardError("kb explain: unknown rule '\(rule)'\(hint); `kb rules` lists them")
            throw KBExit.badInput
        }
        let description = type(of: found).description
        var text = "\(description.id) \(description.name) (\(description.severity.rawValue), \(description.category.rawValue))\n\n"
        text += description.summary + "\n\n" + description.rationale + "\n"
        if let article = description.article { text += "\nExplained in: Content/\(article)\n" }
        if !description.equivalents.isEmpty { text += "Covers: \(description.equivalents.joined(separator: ", "))\n" }
        for example in description.examples {
            text += "\n" + (example.triggers ? "Triggers:" : "Does not trigger:")
            if let note = example.note { text += " " + note }
            text += "\n" + example.source.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
        }
        Output.standardOutput(text)
    }

    /// `KB001–KB010, KB101–KB115, …`: the IDs that exist, by hundred.
    static func idRanges() -> String {
        let ids = RuleRegistry.descriptions.map(\.id).sorted()
        let groups = Dictionary(grouping: ids) { $0.dropFirst(2).prefix(1) }
        return groups.keys.sorted().map { key in
            let group = groups[key]!
            return group.count == 1 ? group[0] : "\(group.first!)–\(group.last!)"
        }.joined(separator: ", ")
    }
}
