// Typed views over an instruction's arguments, for the rules. They read what the parser
// produced; none of them parses the source again.

extension Instruction {
    /// For `FROM`: image, `--platform` and `AS` name.
    public var from: FromArguments? {
        guard cmd == "from", let image = arguments.first else { return nil }
        var name: String? = nil
        if arguments.count == 3, arguments[1].lowercased() == "as" { name = arguments[2] }
        return FromArguments(image: image, stageName: name, platform: flag("platform")?.value,
                             isWellFormed: arguments.count == 1 || name != nil)
    }

    /// For `COPY` and `ADD`: sources, destination and the common flags.
    public var copy: CopyArguments? {
        guard cmd == "copy" || cmd == "add" else { return nil }
        let destination = arguments.last
        let sources = arguments.count > 1 ? Array(arguments.dropLast()) : []
        var paths: [String] = []
        var inline: [Heredoc] = []
        for source in sources {
            if let spec = try? HeredocSpec.parse(source), let doc = heredocs.first(where: { $0.name == spec.name }) {
                inline.append(doc)
            } else {
                paths.append(source)
            }
        }
        return CopyArguments(
            sources: sources, sourcePaths: paths, inlineFiles: inline, destination: destination,
            from: flag("from")?.value, chown: flag("chown")?.value, chmod: flag("chmod")?.value,
            link: flag("link")?.boolValue ?? false)
    }

    /// For `ENV` and `LABEL` (both forms) and `ARG`: the pairs in order.
    public var keyValuePairs: [KeyValuePair] {
        switch cmd {
        case "env", "label":
            // BuildKit gives key, value, separator ("=" or "" for `ENV key value`) triples
            var pairs: [KeyValuePair] = []
            var i = 0
            while i + 1 < arguments.count {
                let separator = i + 2 < arguments.count ? arguments[i + 2] : ""
                pairs.append(KeyValuePair(key: arguments[i], rawValue: arguments[i + 1],
                                          usesEquals: separator == "=", escape: escape))
                i += 3
            }
            return pairs
        case "arg":
            return arguments.map { word in
                if let eq = word.firstIndex(of: "=") {
                    return KeyValuePair(key: String(word[..<eq]), rawValue: String(word[word.index(after: eq)...]),
                                        usesEquals: true, escape: escape)
                }
                return KeyValuePair(key: word, rawValue: nil, usesEquals: false, escape: escape)
            }
        default:
            return []
        }
    }

    /// For `RUN`, `CMD`, `ENTRYPOINT`, `SHELL` and `HEALTHCHECK CMD`: the command, as shell
    /// text or as an argument vector.
    public var command: InstructionCommand? {
        switch cmd {
        case "run", "cmd", "entrypoint", "shell":
            return isJSONForm ? .exec(arguments) : .shell(arguments.first ?? "")
        case "healthcheck":
            guard let type = arguments.first, type.uppercased() == "CMD" else { return nil }
            let rest = Array(arguments.dropFirst())
            return isJSONForm ? .exec(rest) : .shell(rest.first ?? "")
        default:
            return nil
        }
    }

    /// `--mount` flags of a `RUN`, each as its comma-separated `key=value` options.
    public var mounts: [[String: String]] {
        flags.filter { $0.name == "mount" }.map { $0.options }
    }
}

/// `FROM [--platform=…] image [AS name]`.
public struct FromArguments: Sendable, Hashable {
    /// The image reference as written (variables not expanded).
    public var image: String
    /// The stage name after `AS`, as written (BuildKit compares stage names lower-cased).
    public var stageName: String?
    public var platform: String?
    /// False when the arguments are neither `image` nor `image AS name`.
    public var isWellFormed: Bool
}

/// `COPY`/`ADD` arguments.
public struct CopyArguments: Sendable, Hashable {
    /// All sources as written, heredoc markers included.
    public var sources: [String]
    /// Sources that are paths or URLs (not heredocs).
    public var sourcePaths: [String]
    /// Sources given inline as heredocs (`COPY <<EOF /dest`).
    public var inlineFiles: [Heredoc]
    public var destination: String?
    /// `--from`: a stage name, a stage index or an image.
    public var from: String?
    public var chown: String?
    public var chmod: String?
    public var link: Bool
}

/// A key and value of `ENV`, `LABEL` or `ARG`.
public struct KeyValuePair: Sendable, Hashable {
    public var key: String
    /// The value as written, quotes and escapes included; nil for `ARG name`.
    public var rawValue: String?
    /// `key=value` rather than the legacy `key value` form.
    public var usesEquals: Bool
    var escape: UInt8

    /// The value with quotes and escapes processed and variables left as written.
    public var value: String? {
        guard let rawValue else { return nil }
        var lexer = ShellLexer(escapeToken: Unicode.Scalar(escape))
        lexer.skipUnsetEnv = true
        return (try? lexer.expand(rawValue)) ?? rawValue
    }

    /// The value with variables substituted from `environment` (BuildKit's expansion).
    public func value(expandingWith environment: ShellEnvironment) throws(ShellLexer.Error) -> String? {
        guard let rawValue else { return nil }
        return try ShellLexer(escapeToken: Unicode.Scalar(escape)).expand(rawValue, environment: environment)
    }
}

/// A command in shell form or exec (JSON) form.
public enum InstructionCommand: Sendable, Hashable {
    case shell(String)
    case exec([String])

    /// The shell text, or the argument vector joined with spaces.
    public var text: String {
        switch self {
        case .shell(let s): return s
        case .exec(let a): return a.joined(separator: " ")
        }
    }
}

extension Flag {
    /// The value split as `key=value,key2,…` (for `--mount`, `--secret` …); a bare key maps
    /// to an empty string.
    public var options: [String: String] {
        guard let value else { return [:] }
        var out: [String: String] = [:]
        for field in value.split(separator: ",", omittingEmptySubsequences: true) {
            if let eq = field.firstIndex(of: "=") {
                out[String(field[..<eq])] = String(field[field.index(after: eq)...])
            } else {
                out[String(field)] = ""
            }
        }
        return out
    }
}
