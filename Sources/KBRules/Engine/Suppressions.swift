import KBDockerfile

/// `# kb-ignore=KB101,dynamic-binary-in-empty-image` on the lines above an instruction
/// silences those rules there; `# kb-ignore-file=…` (or a `kb-ignore` comment at the top
/// of the file, separated from the first instruction by a blank line) silences them in the
/// whole file. hadolint's `# hadolint ignore=DL3008` and `# hadolint global ignore=…` are
/// honoured for the rules that cover those checks.
struct Suppressions {
    /// Rule IDs silenced everywhere.
    private(set) var fileWide: Set<String> = []
    /// Rule IDs silenced on a range of lines (an instruction's lines).
    private(set) var byLines: [(lines: ClosedRange<Int>, rules: Set<String>)] = []

    init(_ dockerfile: Dockerfile) {
        for comment in dockerfile.comments {
            if let rules = Suppressions.rules(in: comment.text, marker: "kb-ignore-file") ?? Suppressions.hadolint(comment.text, global: true) {
                fileWide.formUnion(rules)
            }
        }
        let firstLine = dockerfile.instructions.first?.range.start.line ?? Int.max
        var attached: Set<Int> = []
        for instruction in dockerfile.instructions {
            var rules: Set<String> = []
            for comment in dockerfile.comments(above: instruction) + dockerfile.comments(inside: instruction) {
                attached.insert(comment.line)
                if let found = Suppressions.rules(in: comment.text, marker: "kb-ignore") ?? Suppressions.hadolint(comment.text, global: false) {
                    rules.formUnion(found)
                }
            }
            if !rules.isEmpty { byLines.append((instruction.range.lines, rules)) }
        }
        // A kb-ignore above everything, not touching the first instruction, is file-wide.
        for comment in dockerfile.comments where comment.line < firstLine && !attached.contains(comment.line) {
            if let rules = Suppressions.rules(in: comment.text, marker: "kb-ignore") { fileWide.formUnion(rules) }
        }
    }

    func suppresses(_ rule: String, atLine line: Int) -> Bool {
        if fileWide.contains(rule) || fileWide.contains("all") { return true }
        return byLines.contains { $0.lines.contains(line) && ($0.rules.contains(rule) || $0.rules.contains("all")) }
    }

    /// The rule IDs in `kb-ignore=KB101,name` (names resolved), or nil without the marker.
    static func rules(in text: String, marker: String) -> Set<String>? {
        let trimmed = text.drop(while: { $0 == " " })
        guard trimmed.hasPrefix(marker) else { return nil }
        let rest = trimmed.dropFirst(marker.count).drop(while: { $0 == " " })
        guard rest.first == "=" || rest.first == ":" else { return nil }
        return ids(rest.dropFirst())
    }

    /// `hadolint ignore=DL3008,DL3015` → the kb rules that cover them.
    static func hadolint(_ text: String, global: Bool) -> Set<String>? {
        guard text.hasPrefix("hadolint") else { return nil }
        let words = text.split(separator: " ")
        guard words.first == "hadolint" else { return nil }
        let isGlobal = words.count > 1 && words[1] == "global"
        guard isGlobal == global else { return nil }
        guard let setting = words.first(where: { $0.hasPrefix("ignore=") }) else { return nil }
        let codes = setting.dropFirst("ignore=".count).split(separator: ",").map { String($0).trimmingCharacters(in: " ") }
        return Set(codes.flatMap { RuleRegistry.rules(equivalentTo: $0) })
    }

    private static func ids(_ list: Substring) -> Set<String> {
        Set(list.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { token -> String? in
            let text = String(token)
            if text.lowercased() == "all" { return "all" }
            return RuleRegistry.rule(text).map { type(of: $0).description.id } ?? text.uppercased()
        })
    }
}

extension String {
    func trimmingCharacters(in characters: String) -> String {
        String(self.drop(while: { characters.contains($0) }).reversed().drop(while: { characters.contains($0) }).reversed())
    }
}
