import Foundation
import KBDockerfile

/// Typed readings of instructions, over the parser's BuildKit-shaped arguments.
extension Instruction {
    /// `FROM [--platform=…] image [AS name]`: the image text and the stage name.
    var fromParts: (image: String, name: String?) {
        let words = arguments
        guard let image = words.first else { return ("", nil) }
        if words.count >= 3, words[1].lowercased() == "as" { return (image, words[2]) }
        return (image, nil)
    }

    /// `COPY`/`ADD` sources and destination (the last argument).
    var copyParts: (sources: [String], destination: String)? {
        let words = arguments.filter { !$0.hasPrefix("<<") }
        guard let destination = words.last else { return nil }
        if !heredocs.isEmpty { return ([], destination) }
        guard words.count >= 2 else { return nil }
        return (Array(words.dropLast()), destination)
    }

    /// `ENV`/`LABEL` pairs (BuildKit gives key, raw value, separator triples) and `ARG`
    /// declarations (BuildKit gives `name` or `name=value` words).
    var keyValuePairs: [(key: String, rawValue: String?)] {
        switch kind {
        case .arg:
            return arguments.map { word in
                guard let eq = word.firstIndex(of: "=") else { return (word, nil) }
                return (String(word[..<eq]), String(word[word.index(after: eq)...]))
            }
        case .env, .label:
            var pairs: [(String, String?)] = []
            var index = 0
            while index + 1 < arguments.count {
                pairs.append((arguments[index], arguments[index + 1]))
                index += 3
            }
            return pairs
        default:
            return []
        }
    }

    /// The script a `RUN` runs: the shell text, the heredoc bodies, or the argv of the JSON form.
    var runScript: String {
        if !heredocs.isEmpty, let first = arguments.first, first.hasPrefix("<<") || arguments.joined().containsBytes("<<") {
            let shellPart = arguments.joined(separator: " ")
            // `RUN <<EOF` runs the body; `RUN cmd <<EOF` feeds it to cmd: both are worth reading.
            return ([shellPart] + heredocs.map(\.content)).joined(separator: "\n")
        }
        if isJSONForm { return arguments.map(ShellQuoting.quote).joined(separator: " ") }
        return arguments.joined(separator: " ")
    }
}

enum ShellQuoting {
    /// Bytes the shell command parser gives a meaning to (all ASCII).
    private static let special = Set(" \t\n'\"\\$;&|()#".utf8)

    /// Quotes a word so that the shell command parser reads it back as one word.
    static func quote(_ word: String) -> String {
        guard word.utf8.contains(where: special.contains) || word.isEmpty else { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
