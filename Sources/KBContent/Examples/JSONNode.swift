/// A JSON value read with the line and column of every value, so a wrong field in
/// `results.json` is reported where it is, and a writer that prints JSON the same way every
/// time (sorted keys, two-space indent, trailing newline). Foundation's JSONSerialization
/// keeps neither positions nor a stable layout across platforms.
public struct JSONNode: Sendable, Equatable {
    public indirect enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        /// The number as written, so integers of any size and decimals survive unchanged.
        case number(String)
        case string(String)
        case array([JSONNode])
        /// Members in document order (duplicate keys are refused by the parser).
        case object([Member])
    }

    public struct Member: Sendable, Equatable {
        public let key: String
        public let keyLine: Int
        public let keyColumn: Int
        public let value: JSONNode
    }

    public let value: Value
    /// 1-based line and column (in characters) of the value's first character.
    public let line: Int
    public let column: Int

    public var members: [Member]? { if case let .object(m) = value { m } else { nil } }
    public var elements: [JSONNode]? { if case let .array(a) = value { a } else { nil } }
    public var string: String? { if case let .string(s) = value { s } else { nil } }
    public var bool: Bool? { if case let .bool(b) = value { b } else { nil } }

    /// The value as a whole number (no fraction, no exponent), if it is one.
    public var integer: Int? {
        guard case let .number(text) = value, !text.contains("."), !text.lowercased().contains("e") else { return nil }
        return Int(text)
    }

    public var double: Double? { if case let .number(text) = value { Double(text) } else { nil } }

    public func member(_ key: String) -> JSONNode? { members?.first { $0.key == key }?.value }

    /// A short name for the kind of value, for error messages.
    public var kindName: String {
        switch value {
        case .null: "null"
        case .bool: "true or false"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }

    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let column: Int
        public let message: String
        public var description: String { "\(line):\(column): \(message)" }
    }

    /// Parses one JSON text (RFC 8259). Nesting deeper than 200 levels is refused.
    public static func parse(_ text: String) throws(SyntaxError) -> JSONNode {
        var parser = JSONParser(Array(text.unicodeScalars))
        parser.skipWhitespace()
        let node = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if !parser.atEnd { throw parser.error("unexpected text after the JSON value") }
        return node
    }
}

private struct JSONParser {
    let scalars: [Unicode.Scalar]
    var index = 0
    var line = 1
    var column = 1

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var atEnd: Bool { index >= scalars.count }
    var current: Unicode.Scalar? { atEnd ? nil : scalars[index] }

    func error(_ message: String) -> JSONNode.SyntaxError {
        JSONNode.SyntaxError(line: line, column: column, message: message)
    }

    mutating func advance() {
        if scalars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
        index += 1
    }

    mutating func skipWhitespace() {
        while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { advance() }
    }

    mutating func expect(_ word: String) throws(JSONNode.SyntaxError) {
        for scalar in word.unicodeScalars {
            guard current == scalar else { throw error("expected '\(word)'") }
            advance()
        }
    }

    mutating func parseValue(depth: Int) throws(JSONNode.SyntaxError) -> JSONNode {
        guard depth < 200 else { throw error("JSON nested too deeply") }
        let (startLine, startColumn) = (line, column)
        guard let c = current else { throw error("unexpected end of the file: a value was expected") }
        let value: JSONNode.Value
        switch c {
        case "{": value = try parseObject(depth: depth)
        case "[": value = try parseArray(depth: depth)
        case "\"": value = .string(try parseString())
        case "t": try expect("true"); value = .bool(true)
        case "f": try expect("false"); value = .bool(false)
        case "n": try expect("null"); value = .null
        case "-", "0"..."9": value = .number(try parseNumber())
        default: throw error("unexpected character '\(c.escaped(asASCII: true))': a value was expected")
        }
        return JSONNode(value: value, line: startLine, column: startColumn)
    }

    mutating func parseObject(depth: Int) throws(JSONNode.SyntaxError) -> JSONNode.Value {
        advance()  // {
        var members: [JSONNode.Member] = []
        var seen: Set<String> = []
        skipWhitespace()
        if current == "}" { advance(); return .object([]) }
        while true {
            skipWhitespace()
            guard current == "\"" else { throw error("expected a quoted key") }
            let (keyLine, keyColumn) = (line, column)
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw JSONNode.SyntaxError(line: keyLine, column: keyColumn, message: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            guard current == ":" else { throw error("expected ':' after the key \"\(key)\"") }
            advance()
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            members.append(JSONNode.Member(key: key, keyLine: keyLine, keyColumn: keyColumn, value: value))
            skipWhitespace()
            if current == "," { advance(); continue }
            if current == "}" { advance(); return .object(members) }
            throw error(atEnd ? "unexpected end of the file: '}' was expected" : "expected ',' or '}'")
        }
    }

    mutating func parseArray(depth: Int) throws(JSONNode.SyntaxError) -> JSONNode.Value {
        advance()  // [
        var elements: [JSONNode] = []
        skipWhitespace()
        if current == "]" { advance(); return .array([]) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if current == "," { advance(); continue }
            if current == "]" { advance(); return .array(elements) }
            throw error(atEnd ? "unexpected end of the file: ']' was expected" : "expected ',' or ']'")
        }
    }

    mutating func parseString() throws(JSONNode.SyntaxError) -> String {
        advance()  // "
        var out = String.UnicodeScalarView()
        while true {
            guard let c = current else { throw error("unexpected end of the file inside a string") }
            switch c {
            case "\"":
                advance()
                return String(out)
            case "\\":
                advance()
                guard let escape = current else { throw error("unexpected end of the file inside a string") }
                switch escape {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "/": out.append("/")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    advance()
                    let first = try parseHex4()
                    if (0xD800...0xDBFF).contains(first) {
                        guard current == "\\" else { throw error("a lone UTF-16 surrogate in \\u escape") }
                        advance()
                        guard current == "u" else { throw error("a lone UTF-16 surrogate in \\u escape") }
                        advance()
                        let second = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(second) else { throw error("a lone UTF-16 surrogate in \\u escape") }
                        let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                        out.append(Unicode.Scalar(combined)!)
                    } else if let scalar = Unicode.Scalar(first) {
                        out.append(scalar)
                    } else {
                        throw error("a lone UTF-16 surrogate in \\u escape")
                    }
                    continue  // parseHex4 already advanced past the digits
                default:
                    throw error("unknown escape '\\\(escape)' in a string")
                }
                advance()
            default:
                if c.value < 0x20 { throw error("a control character inside a string (write it as an escape)") }
                out.append(c)
                advance()
            }
        }
    }

    mutating func parseHex4() throws(JSONNode.SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = current, let digit = hexDigit(c) else {
                throw error("expected four hexadecimal digits after \\u")
            }
            value = value << 4 | digit
            advance()
        }
        return value
    }

    func hexDigit(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": c.value - 48
        case "a"..."f": c.value - 97 + 10
        case "A"..."F": c.value - 65 + 10
        default: nil
        }
    }

    mutating func parseNumber() throws(JSONNode.SyntaxError) -> String {
        let start = index
        if current == "-" { advance() }
        guard let first = current, ("0"..."9").contains(first) else { throw error("expected a digit") }
        if first == "0" {
            advance()
        } else {
            while let c = current, ("0"..."9").contains(c) { advance() }
        }
        if current == "." {
            advance()
            guard let c = current, ("0"..."9").contains(c) else { throw error("expected a digit after '.'") }
            while let c = current, ("0"..."9").contains(c) { advance() }
        }
        if current == "e" || current == "E" {
            advance()
            if current == "+" || current == "-" { advance() }
            guard let c = current, ("0"..."9").contains(c) else { throw error("expected a digit in the exponent") }
            while let c = current, ("0"..."9").contains(c) { advance() }
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<index])
        return String(text)
    }
}

/// A JSON value to write. Objects are written with their keys sorted (by UTF-8 bytes), so the
/// same value always gives the same bytes.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    /// Written with Swift's shortest round-trip form (`12.5`, `0.001`).
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Pretty JSON: two-space indent, `"key": value`, sorted keys, a trailing newline.
    public func prettyPrinted() -> String {
        var out = ""
        write(to: &out, indent: 0)
        out += "\n"
        return out
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .integer(i): out += String(i)
        case let .double(d):
            if d.isFinite {
                out += d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) + ".0" : "\(d)"
            } else {
                out += "null"
            }
        case let .string(s): JSONValue.writeString(s, to: &out)
        case let .array(elements):
            if elements.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, element) in elements.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                element.write(to: &out, indent: indent + 1)
                out += i == elements.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case let .object(members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            let keys = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (i, key) in keys.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                JSONValue.writeString(key, to: &out)
                out += ": "
                members[key]!.write(to: &out, indent: indent + 1)
                out += i == keys.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
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
    }
}
