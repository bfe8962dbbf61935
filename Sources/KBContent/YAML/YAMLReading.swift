import Yams

/// Reading YAML with positions, shared by front matter, example.yaml, data files and kb.yaml.
public enum YAMLReading {
    /// A YAML problem with its 1-based place in the YAML text.
    public struct Problem: Error, Sendable, Equatable {
        public let line: Int
        public let column: Int
        public let message: String
    }

    /// Composes one YAML document into a node tree that keeps the marks (line, column) of
    /// every value. An empty document is `nil`.
    public static func compose(_ text: String) -> Result<Node?, Problem> {
        do {
            // UTF-8 named here: the default reads the whole environment on every call.
            return .success(try Yams.compose(yaml: text, .default, .default, .utf8))
        } catch let error as YamlError {
            return .failure(problem(from: error))
        } catch {
            return .failure(Problem(line: 1, column: 1, message: "\(error)"))
        }
    }

    static func problem(from error: YamlError) -> Problem {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = [context.map { "\($0.text)" }, problem].compactMap { $0 }.filter { !$0.isEmpty }
            return Problem(line: mark.line, column: mark.column, message: "invalid YAML: " + detail.joined(separator: " "))
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams sorts the keys with a comparison that orders no kind of key before another:
            // when a duplicate key is not a single value (Yams names it "<uncovertable>"), the
            // order, and the key whose place Yams gives, change from one reading to the next.
            // Then the problem is put at the start of the YAML, which does not change.
            let complex = "<uncovertable>"
            let names = duplicates.map { $0 == complex ? "(a key that is not a single value)" : $0 }.sorted()
            let stable = !duplicates.contains(complex)
            return Problem(
                line: stable ? context.mark.line : 1, column: stable ? context.mark.column : 1,
                message: "duplicate key \(names.joined(separator: ", ")) in YAML mapping")
        case let .reader(problem, _, _, _):
            return Problem(line: 1, column: 1, message: "invalid YAML: \(problem)")
        default:
            return Problem(line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }
}

extension Node {
    /// 1-based line of this value in its YAML text (1 when unknown).
    public var line: Int { mark?.line ?? 1 }
    public var column: Int { mark?.column ?? 1 }

    /// A short name for the kind of value, for error messages.
    public var kindName: String {
        switch self {
        case .scalar: "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The mapping's keys and values in document order, keys as strings.
    public var orderedPairs: [(key: String, keyNode: Node, value: Node)]? {
        guard case let .mapping(mapping) = self else { return nil }
        return mapping.map { (key: $0.key.scalar?.string ?? "\($0.key)", keyNode: $0.key, value: $0.value) }
    }
}
