import KBRules

/// `Examples/SLUG/results.json`: the recordings `kb record` made of an example, or a figure
/// cited from elsewhere. Schema: `Schemas/results.schema.json`; reference: docs/formats.md.
public struct ResultsFile: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// One recording per engine and platform, sorted by engine name then platform.
        case recordings([Recording])
        case cited(CitedRecord)
    }

    public var content: Content

    public init(recordings: [Recording]) { content = .recordings(ResultsFile.sorted(recordings)) }
    public init(cited: CitedRecord) { content = .cited(cited) }

    public var recordings: [Recording] { if case let .recordings(r) = content { r } else { [] } }
    public var cited: CitedRecord? { if case let .cited(c) = content { c } else { nil } }

    /// The file with `recording` in place of the one from the same engine and platform.
    /// A cited record is replaced by the recording.
    public func replacing(with recording: Recording) -> ResultsFile {
        let others = recordings.filter { $0.engine.name != recording.engine.name || $0.platform != recording.platform }
        return ResultsFile(recordings: others + [recording])
    }

    /// The file's text: pretty JSON with sorted keys and a trailing newline.
    public func json() -> String { jsonValue.prettyPrinted() }

    /// The name of the file in an example's folder.
    public static let fileName = "results.json"

    private static func sorted(_ recordings: [Recording]) -> [Recording] {
        recordings.sorted { ($0.engine.name, $0.platform, $0.date) < ($1.engine.name, $1.platform, $1.date) }
    }
}

/// One build-and-run of an example by `kb record`.
public struct Recording: Sendable, Equatable {
    /// When it was recorded: ISO 8601 in UTC, to the second (`2026-11-28T05:46:00Z`).
    public var date: String
    public var engine: EngineInfo
    /// The image's platform, `os/architecture[/variant]` (`linux/amd64`).
    public var platform: String
    /// `sha256:` and 64 hex digits: the build context that was recorded (see `BuildContext`).
    public var contextDigest: String
    /// The build stage built, when example.yaml names one.
    public var target: String?
    public var image: ImageFigures
    /// Wall-clock seconds the build took (rounded to the millisecond when made).
    public var buildSeconds: Double
    public var run: RunRecord
    /// Whether the run showed what example.yaml expects.
    public var matched: Bool
    /// Why the run did not match, when it did not.
    public var mismatch: String?

    public init(
        date: String, engine: EngineInfo, platform: String, contextDigest: String, target: String? = nil,
        image: ImageFigures, buildSeconds: Double, run: RunRecord, matched: Bool, mismatch: String? = nil
    ) {
        self.date = date
        self.engine = engine
        self.platform = platform
        self.contextDigest = contextDigest
        self.target = target
        self.image = image
        self.buildSeconds = Recording.milliseconds(buildSeconds)
        self.run = run
        self.matched = matched
        self.mismatch = mismatch
    }
}

public struct EngineInfo: Sendable, Equatable, Hashable {
    /// `docker`, `podman` or `buildah`.
    public var name: String
    public var version: String
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

public struct ImageFigures: Sendable, Equatable {
    /// The image's size in bytes as its engine reports it (uncompressed layers).
    public var sizeBytes: Int
    public var layers: Int
    public init(sizeBytes: Int, layers: Int) {
        self.sizeBytes = sizeBytes
        self.layers = layers
    }
}

/// What running an image did.
public struct RunRecord: Sendable, Equatable {
    public var exitCode: Int
    public var stdout: String
    public var stderr: String
    /// The run was stopped at the example's timeout.
    public var timedOut: Bool
    /// Wall-clock seconds the run took (to the millisecond).
    public var seconds: Double

    public init(exitCode: Int, stdout: String, stderr: String, timedOut: Bool = false, seconds: Double = 0) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
        self.seconds = Recording.milliseconds(seconds)
    }

    /// Output longer than this many UTF-8 bytes is cut when recorded.
    public static let recordedOutputLimit = 16_384

    /// The same run with its output cut to `recordedOutputLimit`, saying how much was left out.
    public func trimmedForRecording() -> RunRecord {
        var copy = self
        copy.stdout = RunRecord.trim(stdout)
        copy.stderr = RunRecord.trim(stderr)
        return copy
    }

    static func trim(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count > recordedOutputLimit else { return text }
        var cut = recordedOutputLimit
        while cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }  // not inside a UTF-8 sequence
        return String(decoding: bytes[..<cut], as: UTF8.self) + "\n[kb: \(bytes.count - cut) more bytes not recorded]\n"
    }
}

/// A figure taken from elsewhere, with its source, for an example kb cannot build here.
public struct CitedRecord: Sendable, Equatable {
    public var sizeBytes: Int
    public var source: Source
    public var note: String?

    public struct Source: Sendable, Equatable {
        public var title: String
        public var url: String
        /// `YYYY-MM-DD`, or a full ISO 8601 date and time.
        public var date: String
        public init(title: String, url: String, date: String) {
            self.title = title
            self.url = url
            self.date = date
        }
    }

    public init(sizeBytes: Int, source: Source, note: String? = nil) {
        self.sizeBytes = sizeBytes
        self.source = source
        self.note = note
    }
}

// MARK: - Writing

extension ResultsFile {
    var jsonValue: JSONValue {
        switch content {
        case let .recordings(recordings): .object(["recordings": .array(recordings.map(\.jsonValue))])
        case let .cited(cited): .object(["cited": cited.jsonValue])
        }
    }
}

extension Recording {
    var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "date": .string(date),
            "engine": .object(["name": .string(engine.name), "version": .string(engine.version)]),
            "platform": .string(platform),
            "context_digest": .string(contextDigest),
            "image": .object(["size_bytes": .integer(image.sizeBytes), "layers": .integer(image.layers)]),
            "build_seconds": .double(Recording.milliseconds(buildSeconds)),
            "run": .object([
                "exit_code": .integer(run.exitCode),
                "stdout": .string(run.stdout),
                "stderr": .string(run.stderr),
                "timed_out": .bool(run.timedOut),
                "seconds": .double(Recording.milliseconds(run.seconds)),
            ]),
            "matched": .bool(matched),
        ]
        if let target { object["target"] = .string(target) }
        if let mismatch { object["mismatch"] = .string(mismatch) }
        return .object(object)
    }

    static func milliseconds(_ seconds: Double) -> Double { (max(0, seconds) * 1000).rounded() / 1000 }
}

extension CitedRecord {
    var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "size_bytes": .integer(sizeBytes),
            "source": .object(["title": .string(source.title), "url": .string(source.url), "date": .string(source.date)]),
        ]
        if let note { object["note"] = .string(note) }
        return .object(object)
    }
}

// MARK: - Reading

extension ResultsFile {
    /// Parses the text of a results.json. `file` is the path shown in diagnostics. Every
    /// problem found is reported; the file is nil when there is any.
    public static func parse(_ text: String, file: String) -> (results: ResultsFile?, diagnostics: [Diagnostic]) {
        let root: JSONNode
        do {
            root = try JSONNode.parse(text)
        } catch {
            return (nil, [ExampleCheck.malformedResults.at(file, line: error.line, column: error.column, "invalid JSON: \(error.message)")])
        }
        var reader = ResultsReader(file: file)
        let results = reader.read(root)
        return reader.problems.isEmpty ? (results, []) : (nil, reader.problems)
    }
}

/// Checks a parsed results.json against the schema, collecting every problem with its place.
private struct ResultsReader {
    let file: String
    var problems: [Diagnostic] = []

    mutating func problem(_ node: JSONNode, _ message: String) {
        problems.append(ExampleCheck.invalidResults.at(file, line: node.line, column: node.column, message))
    }

    mutating func read(_ root: JSONNode) -> ResultsFile? {
        guard let object = fields(root, "results.json", required: [], optional: ["recordings", "cited"]) else { return nil }
        switch (object["recordings"], object["cited"]) {
        case (nil, nil):
            problem(root, "results.json must hold 'recordings' (written by kb record) or 'cited' (a figure from elsewhere)")
            return nil
        case (.some, .some):
            problem(root, "results.json holds either 'recordings' or 'cited', not both")
            return nil
        case let (.some(list), nil):
            guard let elements = list.elements else {
                problem(list, "'recordings' must be a list, not \(list.kindName)")
                return nil
            }
            if elements.isEmpty { problem(list, "'recordings' is empty: record the example with kb record, or delete the file") }
            var recordings: [Recording] = []
            var seen: Set<String> = []
            for (index, element) in elements.enumerated() {
                guard let recording = readRecording(element, at: "recordings[\(index)]") else { continue }
                if !seen.insert(recording.engine.name + " " + recording.platform).inserted {
                    problem(element, "recordings[\(index)]: a second recording by \(recording.engine.name) on \(recording.platform); keep one per engine and platform")
                }
                recordings.append(recording)
            }
            return ResultsFile(recordings: recordings)
        case let (nil, .some(cited)):
            return readCited(cited).map { ResultsFile(cited: $0) }
        }
    }

    mutating func readRecording(_ node: JSONNode, at path: String) -> Recording? {
        let required = ["date", "engine", "platform", "context_digest", "image", "build_seconds", "run", "matched"]
        guard let f = fields(node, path, required: required, optional: ["target", "mismatch"]) else { return nil }
        let date = string(f["date"]!, "\(path).date", pattern: .dateTime)
        let engine = readEngine(f["engine"]!, at: "\(path).engine")
        let platform = string(f["platform"]!, "\(path).platform", pattern: .platform)
        let digest = string(f["context_digest"]!, "\(path).context_digest", pattern: .digest)
        let target = f["target"].flatMap { string($0, "\(path).target") }
        let image = readImage(f["image"]!, at: "\(path).image")
        let buildSeconds = seconds(f["build_seconds"]!, "\(path).build_seconds")
        let run = readRun(f["run"]!, at: "\(path).run")
        let matched = flag(f["matched"]!, "\(path).matched")
        let mismatch = f["mismatch"].flatMap { string($0, "\(path).mismatch") }
        guard let date, let engine, let platform, let digest, let image, let buildSeconds, let run, let matched else { return nil }
        return Recording(
            date: date, engine: engine, platform: platform, contextDigest: digest, target: target, image: image,
            buildSeconds: buildSeconds, run: run, matched: matched, mismatch: mismatch)
    }

    mutating func readEngine(_ node: JSONNode, at path: String) -> EngineInfo? {
        guard let f = fields(node, path, required: ["name", "version"], optional: []) else { return nil }
        let name = string(f["name"]!, "\(path).name")
        let version = string(f["version"]!, "\(path).version")
        guard let name, let version else { return nil }
        return EngineInfo(name: name, version: version)
    }

    mutating func readImage(_ node: JSONNode, at path: String) -> ImageFigures? {
        guard let f = fields(node, path, required: ["size_bytes", "layers"], optional: []) else { return nil }
        let size = count(f["size_bytes"]!, "\(path).size_bytes", minimum: 0)
        let layers = count(f["layers"]!, "\(path).layers", minimum: 0)
        guard let size, let layers else { return nil }
        return ImageFigures(sizeBytes: size, layers: layers)
    }

    mutating func readRun(_ node: JSONNode, at path: String) -> RunRecord? {
        let required = ["exit_code", "stdout", "stderr", "timed_out", "seconds"]
        guard let f = fields(node, path, required: required, optional: []) else { return nil }
        let exitCode = count(f["exit_code"]!, "\(path).exit_code", minimum: 0)
        let stdout = string(f["stdout"]!, "\(path).stdout", allowEmpty: true)
        let stderr = string(f["stderr"]!, "\(path).stderr", allowEmpty: true)
        let timedOut = flag(f["timed_out"]!, "\(path).timed_out")
        let seconds = seconds(f["seconds"]!, "\(path).seconds")
        guard let exitCode, let stdout, let stderr, let timedOut, let seconds else { return nil }
        return RunRecord(exitCode: exitCode, stdout: stdout, stderr: stderr, timedOut: timedOut, seconds: seconds)
    }

    mutating func readCited(_ node: JSONNode) -> CitedRecord? {
        guard let f = fields(node, "cited", required: ["size_bytes", "source"], optional: ["note"]) else { return nil }
        let size = count(f["size_bytes"]!, "cited.size_bytes", minimum: 0)
        let note = f["note"].flatMap { string($0, "cited.note") }
        var source: CitedRecord.Source?
        if let s = fields(f["source"]!, "cited.source", required: ["title", "url", "date"], optional: []) {
            let title = string(s["title"]!, "cited.source.title")
            let url = string(s["url"]!, "cited.source.url", pattern: .url)
            let date = string(s["date"]!, "cited.source.date", pattern: .dateOrDateTime)
            if let title, let url, let date { source = CitedRecord.Source(title: title, url: url, date: date) }
        }
        guard let size, let source else { return nil }
        return CitedRecord(sizeBytes: size, source: source, note: note)
    }

    // MARK: field helpers

    mutating func fields(_ node: JSONNode, _ path: String, required: [String], optional: [String]) -> [String: JSONNode]? {
        guard let members = node.members else {
            problem(node, "\(path) must be an object, not \(node.kindName)")
            return nil
        }
        var result: [String: JSONNode] = [:]
        var ok = true
        for member in members {
            if required.contains(member.key) || optional.contains(member.key) {
                result[member.key] = member.value
            } else {
                let known = (required + optional).sorted().joined(separator: ", ")
                problems.append(ExampleCheck.invalidResults.at(
                    file, line: member.keyLine, column: member.keyColumn,
                    "unknown key '\(member.key)' in \(path); known keys: \(known)"))
                ok = false
            }
        }
        for key in required where result[key] == nil {
            problem(node, "\(path) has no '\(key)'")
            ok = false
        }
        return ok ? result : nil
    }

    enum Pattern {
        case dateTime, dateOrDateTime, digest, platform, url

        func matches(_ text: String) -> Bool {
            let b = Array(text.utf8)
            func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { $0 < b.count && (48...57).contains(b[$0]) } }
            func at(_ i: Int, _ c: Character) -> Bool { i < b.count && b[i] == c.asciiValue! }
            let isDate = b.count >= 10 && digits(0..<4) && at(4, "-") && digits(5..<7) && at(7, "-") && digits(8..<10)
            // YYYY-MM-DDTHH:MM:SSZ, the only form kb writes.
            let isDateTime = b.count == 20 && isDate && at(10, "T") && digits(11..<13) && at(13, ":") && digits(14..<16)
                && at(16, ":") && digits(17..<19) && at(19, "Z")
            switch self {
            case .dateTime: return isDateTime
            case .dateOrDateTime: return (isDate && b.count == 10) || isDateTime
            case .digest:
                return b.count == 71 && text.hasPrefix("sha256:")
                    && b[7...].allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
            case .platform:
                let parts = text.split(separator: "/", omittingEmptySubsequences: false)
                return (2...3).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && !$0.contains(" ") }
            case .url: return text.hasPrefix("https://") || text.hasPrefix("http://")
            }
        }

        var explanation: String {
            switch self {
            case .dateTime: "an ISO 8601 date and time in UTC, like 2026-11-28T05:46:00Z"
            case .dateOrDateTime: "a date like 2020-02-01 (or a date and time like 2020-02-01T12:00:00Z)"
            case .digest: "'sha256:' and 64 lower-case hex digits"
            case .platform: "os/architecture, like linux/amd64"
            case .url: "an http:// or https:// address"
            }
        }
    }

    mutating func string(_ node: JSONNode, _ path: String, allowEmpty: Bool = false, pattern: Pattern? = nil) -> String? {
        guard let text = node.string else {
            problem(node, "\(path) must be a string, not \(node.kindName)")
            return nil
        }
        if !allowEmpty && text.isEmpty {
            problem(node, "\(path) is empty")
            return nil
        }
        if let pattern, !pattern.matches(text) {
            problem(node, "\(path) must be \(pattern.explanation), not \"\(text)\"")
            return nil
        }
        return text
    }

    mutating func count(_ node: JSONNode, _ path: String, minimum: Int) -> Int? {
        guard let value = node.integer, value >= minimum else {
            problem(node, "\(path) must be a whole number\(minimum >= 0 ? " (0 or more)" : ""), not \(node.kindName == "a number" ? "\(node.double.map { "\($0)" } ?? "that")" : node.kindName)")
            return nil
        }
        return value
    }

    mutating func seconds(_ node: JSONNode, _ path: String) -> Double? {
        guard let value = node.double, value >= 0, value.isFinite else {
            problem(node, "\(path) must be a number of seconds (0 or more), not \(node.kindName)")
            return nil
        }
        return value
    }

    mutating func flag(_ node: JSONNode, _ path: String) -> Bool? {
        guard let value = node.bool else {
            problem(node, "\(path) must be true or false, not \(node.kindName)")
            return nil
        }
        return value
    }
}
