import KBDockerfile

enum TokenCoverage {
    /// The source rebuilt from the tokens' byte ranges, in order.
    static func reassemble(_ tokens: [Token], _ source: String) -> String {
        let bytes = Array(source.utf8)
        var out: [UInt8] = []
        for t in tokens where t.range.upperBound <= bytes.count && t.range.lowerBound >= 0 {
            out.append(contentsOf: bytes[t.range])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Every byte in exactly one token: ranges are non-empty, sorted and touching.
    static func isContiguous(_ tokens: [Token], byteCount: Int) -> Bool {
        var expected = 0
        for t in tokens {
            if t.range.lowerBound != expected || t.range.isEmpty { return false }
            expected = t.range.upperBound
        }
        return expected == byteCount
    }
}

/// Parses or records the error as a test failure with its message.
func parse(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Dockerfile {
    try DockerfileParser.parse(source)
}

import Testing
