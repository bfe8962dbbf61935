/// Every rule kb has, by category; each category's list lives beside its rules
/// (`Rules/*/*Rules.swift`). A rule that is written but not listed does not run, and
/// the registry test fails; two rules with one ID or name fail it too.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = syntaxRules + minimalImageRules + imageSizeRules + practiceRules

    /// A rule by ID (`KB101`, any case) or name (`dynamic-binary-in-empty-image`).
    public static func rule(_ idOrName: String) -> (any Rule)? {
        let key = idOrName.lowercased()
        return all.first { $0.description.id.lowercased() == key || $0.description.name == key }.map { $0.init() }
    }

    public static var descriptions: [RuleDescription] { all.map { $0.description } }

    /// What the linter needs of each rule for every file, read once (a description is a
    /// large value: copying it per rule and file shows in profiles).
    struct Entry: Sendable {
        let type: any Rule.Type
        let id: String
        let name: String
        let severity: Severity
        let scope: RuleDescription.Scope
    }

    static let entries: [Entry] = all.map { rule in
        let description = rule.description
        return Entry(type: rule, id: description.id, name: description.name, severity: description.severity, scope: description.scope)
    }

    /// The kb rules that cover a hadolint or BuildKit check.
    static func rules(equivalentTo code: String) -> [String] {
        all.filter { $0.description.equivalents.contains(code) }.map { $0.description.id }
    }

    /// " (did you mean KB101?)" for a near miss.
    public static func suggestion(for text: String) -> String {
        let key = text.lowercased()
        let candidates = all.map { $0.description }.filter { description in
            let id = description.id.lowercased()
            return id.hasPrefix(key.prefix(4)) && abs(id.count - key.count) <= 1
                || description.name.hasPrefix(key.prefix(6)) && key.count >= 6
        }
        guard let best = candidates.first else { return "" }
        return " (did you mean \(best.id) \(best.name)?)"
    }
}
