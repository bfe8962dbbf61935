// libFuzzer entry point for the first steps an article's bytes go through:
// `scripts/fuzz.sh front-matter`. Built by SwiftPM with -enable-testing (Package.swift, KB_FUZZ).
//
// Besides "does not crash", every input is checked for:
//   - TextDecoding accepts exactly the NUL-free valid UTF-8 (Swift's own validator decides),
//     its text has no carriage return, and a failure points at the first bad byte, by line
//     and column;
//   - FrontMatterParser.split is deterministic, and its pieces add up to the text: the body is
//     the text's tail, and its lines plus bodyLineOffset are the text's lines;
//   - FrontMatterParser.parse is deterministic, its diagnostics lie inside the front matter
//     (line 1 up to the closing fence, column >= 1), and what it accepts survives a round trip
//     through YAML written by Yams.

import Foundation
import Yams

@testable import KBContent
@testable import KBRules

@_cdecl("LLVMFuzzerTestOneInput")
public func frontMatterFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let text = checkDecoding(bytes) else { return 0 }
    checkSplitAndParse(text)
    return 0
}

private func newlines<S: StringProtocol>(_ text: S) -> Int { text.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }

/// The decoded text, when TextDecoding accepts the bytes.
private func checkDecoding(_ bytes: [UInt8]) -> String? {
    let decoded = TextDecoding.decode(Data(bytes))
    let valid = !bytes.contains(0) && String(validating: bytes, as: UTF8.self) != nil
    switch decoded {
    case let .success(text):
        guard valid else { fatalError("TextDecoding accepted bytes that are not NUL-free UTF-8: \(bytes.prefix(64))") }
        guard !text.utf8.contains(0x0D) else { fatalError("decoded text still has a carriage return") }
        guard TextDecoding.decode(Data(text.utf8)) == .success(text) || text.hasPrefix("\u{FEFF}") else {
            fatalError("decoding is not idempotent on \(text.debugDescription)")
        }
        return text
    case let .failure(failure):
        guard !valid else { fatalError("TextDecoding refused valid NUL-free UTF-8 (\(failure)): \(bytes.prefix(64))") }
        let (line, column): (Int, Int)
        switch failure {
        case let .binary(l): (line, column) = (l, 0)
        case let .invalidUTF8(l, c): (line, column) = (l, c)
        }
        // Where the first problem is, counted here independently.
        var offset = 0
        var lineStarts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
        guard line >= 1, line <= lineStarts.count else { fatalError("\(failure): line outside 1...\(lineStarts.count)") }
        switch failure {
        case .binary:
            guard let nul = bytes.firstIndex(of: 0) else { fatalError("\(failure) but no NUL byte") }
            offset = nul
            guard lineStarts.lastIndex(where: { $0 <= nul }) == line - 1 else { fatalError("\(failure): the first NUL is elsewhere") }
        case .invalidUTF8:
            offset = lineStarts[line - 1] + column - 1
            guard column >= 1, offset < bytes.count else { fatalError("\(failure): column outside the line") }
            var iterator = bytes[offset...].makeIterator()
            var decoder = UTF8()
            if case .scalarValue = decoder.decode(&iterator) { fatalError("\(failure): a valid scalar starts there") }
        }
        // Everything before the problem is fine.
        let prefix = Array(bytes[..<offset])
        guard !prefix.contains(0), String(validating: prefix, as: UTF8.self) != nil else {
            fatalError("\(failure) is not the first problem")
        }
        return nil
    }
}

private func checkSplitAndParse(_ text: String) {
    let file = "Content/fuzz.md"
    let first = FrontMatterParser.split(text, file: file)
    let second = FrontMatterParser.split(text, file: file)
    switch (first, second) {
    case let (.failure(a), .failure(b)):
        guard a == b, a.line == 1, a.file == file else { fatalError("split failures differ or are not at line 1: \(a) \(b)") }
        return
    case let (.success(a), .success(b)):
        guard a.yaml == b.yaml, a.body == b.body, a.bodyLineOffset == b.bodyLineOffset else { fatalError("split is not deterministic") }
    default:
        fatalError("split succeeded once and failed once")
    }
    guard case let .success(split) = first else { return }
    guard text.hasPrefix("---"), text.hasSuffix(split.body) else { fatalError("split pieces are not the text's") }
    let lines = newlines(text)
    let bodyLines = newlines(split.body)
    guard lines - split.bodyLineOffset == bodyLines || (split.body.isEmpty && lines == split.bodyLineOffset - 1) else {
        fatalError("body line offset \(split.bodyLineOffset) + \(bodyLines) body newlines != \(lines) newlines")
    }

    let parsed = FrontMatterParser.parse(split, file: file)
    let again = FrontMatterParser.parse(split, file: file)
    switch (parsed, again) {
    case let (.success(a), .success(b)):
        guard a == b else { fatalError("parse is not deterministic") }
        checkAccepted(a)
    case let (.failure(a), .failure(b)):
        guard a.all == b.all, !a.all.isEmpty else { fatalError("parse failures differ between runs: \(a.all) then \(b.all)") }
        for d in a.all {
            guard d.file == file, d.line >= 1, d.line <= split.bodyLineOffset, d.column >= 1 else {
                fatalError("diagnostic outside the front matter (lines 1...\(split.bodyLineOffset)): \(d)")
            }
        }
    default:
        fatalError("parse succeeded once and failed once")
    }
}

/// What parse accepted is written back as YAML and must read the same.
private func checkAccepted(_ matter: FrontMatter) {
    guard !matter.title.isEmpty, matter.title.trimmingSpaces() == matter.title else { fatalError("accepted title \(matter.title.debugDescription)") }
    if let date = matter.date, !FrontMatterParser.isISODate(date) { fatalError("accepted date \(date.debugDescription)") }
    var mapping: [(Node, Node)] = [("title", Node(matter.title))]
    if let summary = matter.summary { mapping.append(("summary", Node(summary))) }
    if !matter.tags.isEmpty { mapping.append(("tags", Node(matter.tags.map { Node($0) }))) }
    if let order = matter.order { mapping.append(("order", Node(String(order), Tag(.int)))) }
    if let date = matter.date { mapping.append(("date", Node(date))) }
    if matter.draft { mapping.append(("draft", Node("true", Tag(.bool)))) }
    let yaml: String
    do {
        yaml = try Yams.serialize(node: Node(mapping))
    } catch {
        return  // Yams cannot write it (a string it has no style for): nothing to compare
    }
    let text = "---\n" + yaml + "---\nbody\n"
    guard case let .success(split) = FrontMatterParser.split(text, file: "round-trip.md") else {
        fatalError("written front matter does not split: \(text.debugDescription)")
    }
    switch FrontMatterParser.parse(split, file: "round-trip.md") {
    case let .success(reread):
        guard reread == matter else { fatalError("round trip changed \(matter) into \(reread) via \(yaml.debugDescription)") }
    case let .failure(problems):
        fatalError("written front matter is refused: \(problems.all.map(\.message)) in \(yaml.debugDescription)")
    }
}
