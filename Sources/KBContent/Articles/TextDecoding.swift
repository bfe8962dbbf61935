import Foundation

/// Turns a file's bytes into text, or says why it is not text, at which line.
enum TextDecoding {
    enum Failure: Error, Equatable {
        /// A byte sequence that is not UTF-8, at a 1-based line and column (in bytes).
        case invalidUTF8(line: Int, column: Int)
        /// A NUL byte: a binary file, not Markdown.
        case binary(line: Int)
    }

    /// Decodes UTF-8, dropping a leading byte-order mark and normalising CRLF to LF.
    static func decode(_ data: Data) -> Result<String, Failure> {
        let bytes = [UInt8](data)
        if let failure = firstProblem(in: bytes) { return .failure(failure) }
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        let text = bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[(hasBOM ? 3 : 0)...]), as: UTF8.self)
        }
        // Searching bytes, not Characters: "\r\n" is one Character to Swift.
        guard bytes.contains(0x0D) else { return .success(text) }
        return .success(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n"))
    }

    /// Finds the first NUL byte or invalid UTF-8 sequence.
    static func firstProblem(in bytes: [UInt8]) -> Failure? {
        bytes.withUnsafeBufferPointer { firstProblem(in: $0) }
    }

    static func firstProblem(in bytes: UnsafeBufferPointer<UInt8>) -> Failure? {
        var line = 1
        var lineStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if b == 0 { return .binary(line: line) }
                if b == 0x0A { line += 1; lineStart = i + 1 }
                i += 1
                continue
            }
            let length: Int
            let minimum: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
            default: return .invalidUTF8(line: line, column: i - lineStart + 1)
            }
            guard i + length <= n else { return .invalidUTF8(line: line, column: i - lineStart + 1) }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return .invalidUTF8(line: line, column: i - lineStart + 1) }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) {
                return .invalidUTF8(line: line, column: i - lineStart + 1)
            }
            i += length
        }
        return nil
    }
}
