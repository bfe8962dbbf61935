// libFuzzer entry point for the Dockerfile parser: `scripts/fuzz.sh parser`. Built by SwiftPM
// with -enable-testing (see Package.swift, KB_FUZZ), so it can check internal invariants too.
//
// Besides "does not crash", every input is checked for:
//   - tokens cover the source exactly (every byte in one token, in order);
//   - instruction, flag, comment and heredoc ranges lie inside the source, in order;
//   - parsing is deterministic, and the dump and JSON renderings do not trap;
//   - the shell lexer terminates on the input (with and without an environment).

@testable import KBDockerfile

@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let source = String(decoding: bytes, as: UTF8.self)
    let count = source.utf8.count

    // 1. tokens
    let tokens = DockerfileTokenizer.tokens(in: source)
    var expected = 0
    for t in tokens {
        guard t.range.lowerBound == expected, !t.range.isEmpty, t.line >= 1 else {
            fatalError("token coverage broken at \(expected): \(t)")
        }
        expected = t.range.upperBound
    }
    guard expected == count else { fatalError("tokens end at \(expected), source has \(count) bytes") }

    // 2. parse (twice: deterministic)
    let first = Result<Dockerfile, ParseError>(catching: { () throws(ParseError) -> Dockerfile in try DockerfileParser.parse(source) })
    let second = Result<Dockerfile, ParseError>(catching: { () throws(ParseError) -> Dockerfile in try DockerfileParser.parse(source) })
    switch (first, second) {
    case (.success(let a), .success(let b)):
        guard a == b else { fatalError("parse is not deterministic") }
        check(a, count: count)
        _ = a.dump()
        _ = a.commandsJSON()
    case (.failure(let a), .failure(let b)):
        guard a == b else { fatalError("errors differ between runs") }
        guard a.range.start.line >= 1, !a.message.isEmpty else { fatalError("bad error \(a)") }
    default:
        fatalError("parse succeeded once and failed once")
    }

    // 3. the fast path for heredoc lines agrees with the lexer
    for line in source.split(separator: "\n", omittingEmptySubsequences: false).prefix(64) {
        let l = Array(line.utf8)
        if let fast = try? HeredocSpec.findInPlainLine(l), let slow = try? HeredocSpec.findWithLexer(l) {
            guard fast.map(\.name) == slow.map(\.name), fast.map(\.expand) == slow.map(\.expand),
                  fast.map(\.chomp) == slow.map(\.chomp), fast.map(\.markerSpan) == slow.map(\.markerSpan)
            else { fatalError("heredoc fast path differs on \(line.debugDescription): \(fast) vs \(slow)") }
        }
        if let word = line.split(separator: " ").first, let fast = try? HeredocSpec.parse(String(word)),
           let slow = try? HeredocSpec.parseWithLexer(String(word)) {
            guard fast == slow else { fatalError("heredoc word fast path differs on \(word.debugDescription)") }
        }
    }

    // 4. the shell lexer on the raw text, in both escape modes
    let env = ShellEnvironment([("A", "a b*c"), ("B", ""), ("C", "x\ny")])
    var raw = ShellLexer()
    raw.rawQuotes = true
    raw.rawEscapes = true
    raw.skipUnsetEnv = true
    if count <= 4096 {
        _ = try? ShellLexer().process(source, environment: env)
        _ = try? ShellLexer(escapeToken: "`").process(source, environment: env)
        _ = try? raw.process(source)
    }
    return 0
}

private func check(_ df: Dockerfile, count: Int) {
    func inside(_ r: SourceRange, _ what: String) {
        guard r.start.offset >= 0, r.start.offset <= r.end.offset, r.end.offset <= count,
              r.start.line >= 1, r.start.line <= r.end.line, r.start.column >= 1, r.end.column >= 1
        else { fatalError("\(what) range out of bounds: \(r)") }
    }
    var previousEnd = 0
    for i in df.instructions {
        inside(i.range, "instruction")
        guard i.range.start.offset >= previousEnd else { fatalError("instructions overlap") }
        previousEnd = i.range.end.offset
        inside(i.keywordRange, "keyword")
        if let a = i.argumentsRange { inside(a, "arguments") }
        for f in i.flags {
            inside(f.range, "flag")
            guard f.range.start.offset >= i.range.start.offset, f.range.end.offset <= i.range.end.offset
            else { fatalError("flag outside its instruction") }
        }
        for h in i.heredocs {
            inside(h.bodyRange, "heredoc body")
            inside(h.terminatorRange, "heredoc terminator")
            if let m = h.markerRange { inside(m, "heredoc marker") }
        }
        _ = i.from
        _ = i.copy
        _ = i.keyValuePairs.map(\.value)
        _ = i.command
        var t = i.trigger
        var depth = 0
        while let n = t, depth < 64 {
            inside(n.range, "trigger")
            t = n.trigger
            depth += 1
        }
        _ = i.sourceRange(ofOriginal: 0..<i.original.utf8.count)
    }
    for c in df.comments { inside(c.range, "comment") }
    for d in df.directives { inside(d.range, "directive") }
    for w in df.warnings { inside(w.range, "warning") }
}
