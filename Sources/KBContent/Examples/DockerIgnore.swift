/// The patterns of a `.dockerignore`, matched the way Docker matches them: one pattern a
/// line, `#` comments, `!` re-includes, `*` and `?` within one path segment, `**` across
/// segments, `[a-z]` classes, `\` escapes. A pattern that matches a folder matches everything
/// in it, and the last pattern that matches a path decides.
public struct DockerIgnore: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public let pattern: String
        /// A `!` rule: paths it matches are kept.
        public let keeps: Bool
        let segments: [String]
    }

    public let rules: [Rule]

    public init(_ text: String) {
        var rules: [Rule] = []
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            var keeps = false
            if line.hasPrefix("!") {
                keeps = true
                line = String(line.dropFirst()).trimmingWhitespace()
            }
            let cleaned = DockerIgnore.clean(line)
            if cleaned.isEmpty { continue }
            rules.append(Rule(pattern: cleaned, keeps: keeps, segments: cleaned.split(separator: "/").map(String.init)))
        }
        self.rules = rules
    }

    /// Whether the path (relative to the context, `/`-separated) is left out of the context.
    public func excludes(_ path: String) -> Bool {
        let segments = path.split(separator: "/").map(String.init)
        var excluded = false
        for rule in rules where DockerIgnore.matchesOrParentMatches(rule.segments, segments) {
            excluded = !rule.keeps
        }
        return excluded
    }

    /// Whether a `!` pattern could keep a path strictly below the folder `path`: when not, and
    /// the folder is left out, nothing in it is part of the context and it need not be read.
    ///
    /// Why that is enough: a path below the folder is matched (itself or through a parent) by
    /// every pattern that matches the folder or one of its parents, and the last match decides.
    /// If the folder is left out, the last pattern that matches it leaves out; a `!` pattern can
    /// only overturn that for a path below when it matches a path below the folder itself.
    ///
    /// BuildKit (fsutil) makes the same decision more coarsely: it skips a left-out folder only
    /// when every `!` pattern is a plain path (no `*`, `?`, `[`, `\`) and none starts with the
    /// folder's path, and reads every left-out folder otherwise. Here each `!` pattern is matched
    /// segment by segment against the folder's path: with `*` then `!Sources`, `.build/` is not
    /// read; `!*/keep.txt` makes kb look into each left-out top-level folder, but not below.
    /// A segment holding `**` may match anything below, so it always makes kb look.
    public func mayKeepSomethingBelow(_ path: String) -> Bool {
        let folder = path.split(separator: "/").map(String.init)
        return rules.contains { $0.keeps && DockerIgnore.mayMatchBelow($0.segments[...], folder[...]) }
    }

    static func mayMatchBelow(_ pattern: ArraySlice<String>, _ folder: ArraySlice<String>) -> Bool {
        // Used up at (or above) the folder: the pattern matches the folder or a parent, which
        // the folder's own verdict already took into account.
        guard let first = pattern.first else { return false }
        // `**` spans any number of segments: it may match anything below.
        if first.contains("**") { return true }
        // The folder's path is used up and the pattern goes on: it may match inside it.
        guard let segment = folder.first else { return true }
        return glob(Array(first.unicodeScalars)[...], Array(segment.unicodeScalars)[...])
            && mayMatchBelow(pattern.dropFirst(), folder.dropFirst())
    }

    /// Like Go's filepath.Clean on a pattern, with a leading `/` dropped: the context is the root.
    static func clean(_ pattern: String) -> String {
        var parts: [Substring] = []
        for part in pattern.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty && parts.last != ".." { parts.removeLast() }
                continue  // above the root is the root
            }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    static func matchesOrParentMatches(_ pattern: [String], _ path: [String]) -> Bool {
        guard !path.isEmpty else { return false }
        for length in stride(from: path.count, through: 1, by: -1) where matchSegments(pattern[...], path[0..<length]) {
            return true
        }
        return false
    }

    /// Matches whole segments; `**` stands for zero or more segments.
    static func matchSegments(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            var candidate = path
            while true {
                if matchSegments(rest, candidate) { return true }
                guard !candidate.isEmpty else { return false }
                candidate = candidate.dropFirst()
            }
        }
        guard let segment = path.first else { return false }
        if first.contains("**") {
            // `a**b` inside one segment: Docker treats ** as "anything, slashes included".
            let joined = path.joined(separator: "/")
            let restPattern = ([first] + pattern.dropFirst()).joined(separator: "/")
            return glob(Array(restPattern.unicodeScalars)[...], Array(joined.unicodeScalars)[...])
        }
        return glob(Array(first.unicodeScalars)[...], Array(segment.unicodeScalars)[...])
            && matchSegments(pattern.dropFirst(), path.dropFirst())
    }

    /// Glob matching: `*` and `?` never match `/`, `**` matches anything; `[class]`, `\` escapes.
    static func glob(_ p: ArraySlice<Unicode.Scalar>, _ s: ArraySlice<Unicode.Scalar>) -> Bool {
        var p = p
        var s = s
        while let c = p.first {
            switch c {
            case "*":
                var rest = p.dropFirst()
                var star = false
                while rest.first == "*" { rest = rest.dropFirst(); star = true }
                var candidate = s
                while true {
                    if glob(rest, candidate) { return true }
                    guard let next = candidate.first, star || next != "/" else { return false }
                    candidate = candidate.dropFirst()
                }
            case "?":
                guard let next = s.first, next != "/" else { return false }
                p = p.dropFirst()
                s = s.dropFirst()
            case "[":
                guard let next = s.first, let (matched, rest) = matchClass(p.dropFirst(), next), matched else { return false }
                p = rest
                s = s.dropFirst()
            case "\\":
                let escaped = p.dropFirst()
                guard let literal = escaped.first, s.first == literal else { return false }
                p = escaped.dropFirst()
                s = s.dropFirst()
            default:
                guard s.first == c else { return false }
                p = p.dropFirst()
                s = s.dropFirst()
            }
        }
        return s.isEmpty
    }

    /// A `[...]` class (after the `[`): whether `c` is in it, and the pattern after the `]`.
    /// A class with no closing `]` matches nothing, as in Go.
    static func matchClass(_ p: ArraySlice<Unicode.Scalar>, _ c: Unicode.Scalar) -> (Bool, ArraySlice<Unicode.Scalar>)? {
        var p = p
        var negated = false
        if p.first == "^" || p.first == "!" {
            negated = true
            p = p.dropFirst()
        }
        var matched = false
        var first = true
        while let lo = p.first {
            if lo == "]" && !first { return (matched != negated, p.dropFirst()) }
            first = false
            var low = lo
            p = p.dropFirst()
            if low == "\\", let escaped = p.first {
                low = escaped
                p = p.dropFirst()
            }
            var high = low
            if p.first == "-", let h = p.dropFirst().first, h != "]" {
                high = h
                p = p.dropFirst(2)
                if high == "\\", let escaped = p.first {
                    high = escaped
                    p = p.dropFirst()
                }
            }
            if low.value <= c.value && c.value <= high.value { matched = true }
        }
        return nil
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
