// Renderings of a parsed Dockerfile that other tools produce: BuildKit's AST dump and the
// JSON of the Python `dockerfile` package (BuildKit's parser behind a C extension).

extension Dockerfile {
    /// BuildKit's AST dump (`Node.Dump()`), one `(instruction "arg" …)` line per
    /// instruction, without a final line break.
    public func dump() -> String {
        var out = ""
        for (i, instruction) in instructions.enumerated() {
            if i > 0 { out += "\n" }
            out += "(" + instruction.dump() + ")"
        }
        return out
    }

    /// An array of `{cmd, sub_cmd, json, original, start_line, end_line, flags, value,
    /// heredocs}` objects: the shape of the Python `dockerfile` package's commands, so the
    /// two can be compared. `cmd` and `sub_cmd` are lower-cased; `value` is BuildKit's
    /// argument list; for an instruction with heredocs, `original` has the bodies and
    /// terminators appended as that package does.
    public func commandsJSON() -> String {
        var out = "["
        for (i, instruction) in instructions.enumerated() {
            if i > 0 { out += "," }
            out += "\n  " + instruction.commandJSON()
        }
        out += instructions.isEmpty ? "]" : "\n]"
        return out
    }
}

extension Instruction {
    /// This instruction in BuildKit's dump format (without the outer parentheses).
    public func dump() -> String {
        var levels: [Instruction] = [self]
        levels.append(contentsOf: chain)
        var prefix = ""
        for level in levels.dropLast() {
            prefix += GoText.lowercase(level.keyword) + level.dumpFlags() + " ("
        }
        let innermost = levels[levels.count - 1]
        var inner = GoText.lowercase(innermost.keyword) + innermost.dumpFlags()
        for a in innermost.arguments { inner += " " + GoText.quote(a) }
        // BuildKit trims the result (it matters only for an empty keyword)
        let bytes = Array(inner.utf8)
        inner = GoText.string(bytes, GoText.trimSpace(bytes, 0, bytes.count))
        if levels.count == 1 { return inner }
        return prefix + inner + String(repeating: ")", count: levels.count - 1)
    }

    private func dumpFlags() -> String {
        guard !flags.isEmpty else { return "" }
        return " [" + flags.map { GoText.quote($0.buildkitText) }.joined(separator: " ") + "]"
    }

    /// One element of `Dockerfile.commandsJSON()`.
    public func commandJSON() -> String {
        let node = trigger ?? self
        var value = node.arguments
        if node.cmd == "onbuild" && !node.chain.isEmpty { value = [""] }
        var original = self.original
        let docs = trigger == nil ? heredocs : []
        if !docs.isEmpty {
            original += "\n"
            for h in docs { original += h.content + h.name + "\n" }
        }
        var o = "{"
        o += "\"cmd\": " + JSONText.quote(cmd)
        o += ", \"sub_cmd\": " + (trigger.map { JSONText.quote($0.cmd) } ?? "null")
        o += ", \"json\": " + (node.isJSONForm ? "true" : "false")
        o += ", \"original\": " + JSONText.quote(original)
        o += ", \"start_line\": \(range.start.line), \"end_line\": \(range.end.line)"
        o += ", \"flags\": [" + flags.map { JSONText.quote($0.buildkitText) }.joined(separator: ", ") + "]"
        o += ", \"value\": [" + value.map(JSONText.quote).joined(separator: ", ") + "]"
        o += ", \"heredocs\": [" + docs.map {
            "{\"name\": " + JSONText.quote($0.name) + ", \"content\": " + JSONText.quote($0.content) + "}"
        }.joined(separator: ", ") + "]"
        return o + "}"
    }
}

extension Flag {
    /// The flag as BuildKit's parser reports it: it reads flags byte by byte and widens
    /// every byte to a rune, so non-ASCII text comes out as Latin-1 mojibake (`é` → `Ã©`).
    var buildkitText: String {
        let raw = bytes.isEmpty ? Array(text.utf8) : bytes
        if raw.allSatisfy({ $0 < 0x80 }) { return text }
        var s = String.UnicodeScalarView()
        for b in raw { s.append(Unicode.Scalar(b)) }
        return String(s)
    }
}

enum JSONText {
    static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }
}
