/// A fenced code block's info string: the language, then `key=value` attributes (values
/// may be quoted) and bare flags: `dockerfile example=go-static expect=KB101 title="Wrong"`.
public struct CodeBlockInfo: Sendable, Equatable {
    public var language: String
    public var attributes: [String: String]
    /// Bare words: `fragment`.
    public var flags: Set<String>

    public init(language: String, attributes: [String: String] = [:], flags: Set<String> = []) {
        self.language = language
        self.attributes = attributes
        self.flags = flags
    }

    public enum Problem: Error, Equatable {
        case unterminatedQuote(attribute: String)
        case duplicate(attribute: String)
        case emptyName
    }

    /// Parses an info string; a malformed one is a problem to report, never a crash.
    public static func parse(_ info: String) -> Result<CodeBlockInfo, Problem> {
        var scanner = Substring(info)
        func skipSpaces() { scanner = scanner.drop(while: { $0 == " " || $0 == "\t" }) }
        skipSpaces()
        let language = scanner.prefix(while: { $0 != " " && $0 != "\t" })
        scanner = scanner.dropFirst(language.count)
        var result = CodeBlockInfo(language: language.lowercased())
        while true {
            skipSpaces()
            guard !scanner.isEmpty else { break }
            let name = scanner.prefix(while: { $0 != "=" && $0 != " " && $0 != "\t" })
            scanner = scanner.dropFirst(name.count)
            guard !name.isEmpty else { return .failure(.emptyName) }
            let key = name.lowercased()
            guard scanner.first == "=" else {
                result.flags.insert(key)
                continue
            }
            scanner = scanner.dropFirst()
            var value = ""
            if let quote = scanner.first, quote == "\"" || quote == "'" {
                scanner = scanner.dropFirst()
                var closed = false
                while let character = scanner.first {
                    scanner = scanner.dropFirst()
                    if character == "\\", let next = scanner.first, next == quote || next == "\\" {
                        value.append(next)
                        scanner = scanner.dropFirst()
                    } else if character == quote {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { return .failure(.unterminatedQuote(attribute: key)) }
            } else {
                value = String(scanner.prefix(while: { $0 != " " && $0 != "\t" }))
                scanner = scanner.dropFirst(value.count)
            }
            guard result.attributes[key] == nil else { return .failure(.duplicate(attribute: key)) }
            result.attributes[key] = value
        }
        return .success(result)
    }

    public var isDockerfile: Bool { ["dockerfile", "containerfile", "docker"].contains(language) }
}
