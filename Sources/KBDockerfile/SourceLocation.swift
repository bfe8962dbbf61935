/// A point in a Dockerfile's text.
///
/// `line` and `column` are 1-based; `column` counts Unicode scalars from the start of the
/// line (so it matches what an editor shows for the usual ASCII and accented text), while
/// `offset` is the 0-based UTF-8 byte offset into the source, for slicing the original text.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool { a.offset < b.offset }

    public var description: String { "\(line):\(column)" }
}

/// A span of a Dockerfile's text. `end` is exclusive: it is the position just after the
/// last character (on the same line as that character).
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    public var start: SourcePosition
    public var end: SourcePosition

    public init(start: SourcePosition, end: SourcePosition) {
        self.start = start
        self.end = end
    }

    /// The UTF-8 byte offsets of the span within the source.
    public var byteRange: Range<Int> { start.offset..<max(start.offset, end.offset) }

    /// The column of the last character, for reports whose end column is inclusive.
    public var lastColumn: Int { end.column > 1 ? end.column - 1 : end.column }

    /// The lines the span touches.
    public var lines: ClosedRange<Int> { start.line...max(start.line, end.line) }

    /// Whether the span includes the given UTF-8 offset.
    public func contains(offset: Int) -> Bool { byteRange.contains(offset) }

    public var description: String { "\(start)-\(end)" }
}
