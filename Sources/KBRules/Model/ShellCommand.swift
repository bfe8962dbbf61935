/// One simple command of a `RUN` line: `CGO_ENABLED=0 go build -o /app .` is the
/// assignment `CGO_ENABLED=0` and the words `go`, `build`, `-o`, `/app`, `.`.
public struct ShellCommand: Sendable, Hashable {
    /// Variables set for this command only.
    public var assignments: [(name: String, value: String)]
    /// The words, quotes removed (variables are left as written: `$HOME`).
    public var words: [String]

    public init(assignments: [(name: String, value: String)] = [], words: [String]) {
        self.assignments = assignments
        self.words = words
    }

    public var program: String? {
        guard let first = words.first else { return nil }
        // The name after the last slash: `/usr/bin/apt-get` → `apt-get` (rules ask often).
        guard let slash = first.utf8.lastIndex(of: UInt8(ascii: "/")) else { return first }
        let after = first.utf8.index(after: slash)
        if after != first.utf8.endIndex { return String(first[after...]) }
        // `bin/` names `bin`; `/` stays `/`.
        return String(first.split(separator: "/").last ?? Substring(first))
    }
    public var arguments: ArraySlice<String> { words.dropFirst() }

    /// The value of `-o X`, `-oX` or `--output X`/`--output=X`, whichever the tool uses.
    public func option(_ names: String...) -> String? {
        var index = words.startIndex + 1
        while index < words.endIndex {
            let word = words[index]
            for name in names {
                if word == name, index + 1 < words.endIndex { return words[index + 1] }
                if name.hasPrefix("--"), word.hasPrefix(name + "=") { return String(word.dropFirst(name.count + 1)) }
                if !name.hasPrefix("--"), name.count == 2, word.hasPrefix(name), word.count > 2 { return String(word.dropFirst(2)) }
            }
            index += 1
        }
        return nil
    }

    /// Whether a word equals one of these flags.
    public func has(_ flags: String...) -> Bool { words.dropFirst().contains { flags.contains($0) } }

    public static func == (a: ShellCommand, b: ShellCommand) -> Bool {
        a.words == b.words && a.assignments.map(\.name) == b.assignments.map(\.name) && a.assignments.map(\.value) == b.assignments.map(\.value)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(words) }
}

/// Splits shell text into simple commands: `a && b; c | d` is four. Good enough to read
/// what a Dockerfile's `RUN` does; it runs nothing and never fails (odd text gives odd
/// words, not an error).
public enum ShellCommandParser {
    public static func parse(_ text: String) -> [ShellCommand] {
        var commands: [ShellCommand] = []
        for words in split(text) {
            commands += unwrap(words)
        }
        return commands
    }

    /// `sudo`, `env`, `exec`, `time` and `sh -c "…"` wrap another command: look inside.
    private static func unwrap(_ words: [String]) -> [ShellCommand] {
        var assignments: [(name: String, value: String)] = []
        var rest = words[...]
        while let first = rest.first, let eq = first.firstIndex(of: "="), isName(first[..<eq]) {
            assignments.append((String(first[..<eq]), String(first[first.index(after: eq)...])))
            rest = rest.dropFirst()
        }
        while let first = rest.first, ["sudo", "exec", "time", "nohup", "command"].contains(first) || first == "env" {
            rest = rest.dropFirst()
            if first == "sudo" || first == "env" {
                // Their options, then more assignments.
                while let option = rest.first, option.hasPrefix("-") { rest = rest.dropFirst() }
                while let next = rest.first, let eq = next.firstIndex(of: "="), isName(next[..<eq]) {
                    assignments.append((String(next[..<eq]), String(next[next.index(after: eq)...])))
                    rest = rest.dropFirst()
                }
            }
        }
        if let first = rest.first, ["sh", "bash", "/bin/sh", "/bin/bash", "ash", "dash"].contains(first),
           let c = rest.firstIndex(of: "-c"), c + 1 < rest.endIndex {
            return parse(rest[c + 1]).map { inner in
                ShellCommand(assignments: assignments + inner.assignments, words: inner.words)
            }
        }
        guard !rest.isEmpty || !assignments.isEmpty else { return [] }
        return [ShellCommand(assignments: assignments, words: Array(rest))]
    }

    static func isName(_ text: Substring) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// The words of each simple command, quotes removed. Works on UTF-8 bytes as a shell
    /// does: every character with a meaning here is ASCII, and no byte of a longer UTF-8
    /// sequence is, so other characters pass through whole.
    static func split(_ text: String) -> [[String]] {
        var commands: [[String]] = []
        var words: [String] = []
        var word: [UInt8] = []
        var inWord = false
        let bytes = Array(text.utf8)
        var i = 0

        func endWord() {
            if inWord { words.append(String(decoding: word, as: UTF8.self)) }
            word.removeAll(keepingCapacity: true)
            inWord = false
        }
        func endCommand() {
            endWord()
            if !words.isEmpty { commands.append(words) }
            words = []
        }

        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                endWord()
            case UInt8(ascii: "\n"), UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "("), UInt8(ascii: ")"):
                endCommand()
            case UInt8(ascii: "\\"):
                if i + 1 < bytes.count {
                    if bytes[i + 1] == UInt8(ascii: "\n") { i += 1 } else { word.append(bytes[i + 1]); inWord = true; i += 1 }
                }
            case UInt8(ascii: "'"):
                inWord = true
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "'") { word.append(bytes[i]); i += 1 }
            case UInt8(ascii: "\""):
                inWord = true
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count,
                       [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "$"), UInt8(ascii: "`")].contains(bytes[i + 1]) {
                        i += 1
                    }
                    word.append(bytes[i])
                    i += 1
                }
            case UInt8(ascii: "#") where !inWord:
                // A comment runs to the end of the line.
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            case UInt8(ascii: "$") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "("):
                // Command substitution: kept inside the word, nesting counted from its `(`.
                var depth = 0
                inWord = true
                word.append(c)
                i += 1
                repeat {
                    if bytes[i] == UInt8(ascii: "(") { depth += 1 } else if bytes[i] == UInt8(ascii: ")") { depth -= 1 }
                    word.append(bytes[i])
                    i += 1
                } while i < bytes.count && depth > 0
                continue
            default:
                word.append(c)
                inWord = true
            }
            i += 1
        }
        endCommand()
        return commands
    }
}

extension StringProtocol {
    /// Whether the UTF-8 bytes of `needle` occur in this text: a byte search, for the hot
    /// paths where Foundation's `contains` (a locale-aware NSString search) is too slow.
    func containsBytes(_ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { pattern in
            guard let first = pattern.first else { return true }
            func search(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
                guard text.count >= pattern.count else { return false }
                var index = 0
                let last = text.count - pattern.count
                while index <= last {
                    if text[index] == first {
                        var offset = 1
                        while offset < pattern.count && text[index + offset] == pattern[offset] { offset += 1 }
                        if offset == pattern.count { return true }
                    }
                    index += 1
                }
                return false
            }
            if let found = utf8.withContiguousStorageIfAvailable(search) { return found }
            return Array(utf8).withUnsafeBufferPointer(search)
        }
    }
}
