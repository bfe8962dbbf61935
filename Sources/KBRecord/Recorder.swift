import Foundation
import KBContent
import KBRules

public struct RecordOptions: Sendable {
    /// Examples recorded at the same time.
    public var jobs: Int
    /// Seconds a build may take before it is stopped.
    public var buildTimeout: Double
    /// Keep the built images (tagged `localhost/kb-record-SLUG:latest`) and what their builds
    /// left behind, instead of deleting them.
    public var keepImages: Bool

    public init(jobs: Int = 1, buildTimeout: Double = 1800, keepImages: Bool = false) {
        self.jobs = max(1, jobs)
        self.buildTimeout = buildTimeout
        self.keepImages = keepImages
    }
}

/// The steps of recording one example, in order.
public enum RecordStep: String, Sendable, CaseIterable {
    case build, measure, run, write
}

/// What recording one example came to.
public struct ExampleOutcome: Sendable {
    public enum Result: Sendable {
        /// Built, measured, run and written to results.json; `matched` says whether it behaved
        /// as example.yaml expects.
        case recorded(Recording)
        /// A step failed (the build, the engine, the write): results.json was left as it was.
        case failed(step: RecordStep, message: String)
        /// The example's own files are not usable (no Dockerfile, a bad example.yaml, a link out
        /// of the knowledge base): nothing was built.
        case invalid([Diagnostic])
    }

    public let slug: String
    public let result: Result
    public let seconds: Double

    public init(slug: String, result: Result, seconds: Double) {
        self.slug = slug
        self.result = result
        self.seconds = seconds
    }

    public var recording: Recording? { if case let .recorded(r) = result { r } else { nil } }

    /// Recorded and behaving as expected.
    public var succeeded: Bool { recording?.matched ?? false }

    /// One line (or a few, for a failed build's log) for the person running kb record.
    public var report: String {
        switch result {
        case let .recorded(recording):
            let layers = recording.image.layers == 1 ? "1 layer" : "\(recording.image.layers) layers"
            let figures = "\(SizeFormat.bytes(recording.image.sizeBytes)) (\(recording.image.sizeBytes) bytes), \(layers), built in \(Seconds.format(recording.buildSeconds))"
            if recording.matched {
                let behaviour = recording.run.exitCode == 0 ? "ran as expected" : "failed as expected (exit code \(recording.run.exitCode))"
                return "\(slug): \(figures); \(behaviour)"
            }
            return "\(slug): \(figures); recorded, but it does not behave as example.yaml expects: \(recording.mismatch ?? "")"
        case let .failed(step, message):
            return "\(slug): not recorded, the \(step.rawValue) step failed: \(message)"
        case let .invalid(diagnostics):
            let problems = diagnostics.map { "\n    \($0.file):\($0.line):\($0.column): \($0.message) [\($0.rule) \($0.name)]" }
            return "\(slug): not recorded, its files have problems:" + problems.joined()
        }
    }
}

/// Every outcome of a `kb record` run.
public struct RecordSummary: Sendable {
    /// In the order the examples were given.
    public let outcomes: [ExampleOutcome]
    public let engine: EngineInfo
    public let seconds: Double

    public var recorded: Int { outcomes.filter { $0.recording != nil }.count }
    public var asExpected: Int { outcomes.filter(\.succeeded).count }
    public var unexpected: Int { outcomes.filter { $0.recording.map { !$0.matched } ?? false }.count }
    public var failed: Int { outcomes.filter { if case .failed = $0.result { true } else { false } }.count }
    public var invalid: Int { outcomes.filter { if case .invalid = $0.result { true } else { false } }.count }

    /// 0 every example recorded and as expected; 2 an example's files are unusable; else 1.
    public var exitCode: Int32 {
        if invalid > 0 { return 2 }
        return unexpected + failed > 0 ? 1 : 0
    }

    /// The closing line: counts, engine, time.
    public var line: String {
        var parts = ["\(recorded) of \(outcomes.count) recorded", "\(asExpected) as expected"]
        if unexpected > 0 { parts.append("\(unexpected) not as expected") }
        if failed > 0 { parts.append("\(failed) failed") }
        if invalid > 0 { parts.append("\(invalid) with unusable files") }
        return "kb record: " + parts.joined(separator: ", ") + " (\(engine.name) \(engine.version), \(Seconds.format(seconds)))"
    }
}

/// Told what the recorder is doing, from any thread.
public protocol RecordProgress: Sendable {
    /// The recording cannot start yet, and why.
    func waiting(_ reason: String)
    /// Something the person running kb record should know that is not about one example.
    func notice(_ text: String)
    func begin(total: Int)
    func step(_ slug: String, _ step: RecordStep)
    func finish(_ outcome: ExampleOutcome)
    func end()
}

extension RecordProgress {
    public func notice(_ text: String) {}
}

/// Builds, measures and runs examples with one engine and writes what happened to their
/// results.json.
public struct Recorder: Sendable {
    public let engine: any ContainerEngine
    public let engineInfo: EngineInfo
    public let options: RecordOptions
    public let progress: (any RecordProgress)?
    /// The time recordings are dated with.
    public let now: @Sendable () -> Date

    public init(
        engine: any ContainerEngine, engineInfo: EngineInfo, options: RecordOptions = RecordOptions(),
        progress: (any RecordProgress)? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.engine = engine
        self.engineInfo = engineInfo
        self.options = options
        self.progress = progress
        self.now = now
    }

    /// The image an example is built into.
    public static func imageTag(for slug: String) -> String { "localhost/kb-record-\(slug):latest" }

    /// Records every example, `options.jobs` at a time. One example's failure does not stop the
    /// others. Waits for another recording on this machine to finish first (`RecordLock`).
    public func record(_ examples: [Example]) -> RecordSummary {
        RecordLock.withLock(waiting: { progress?.waiting("another kb record is running on this machine; waiting for it to finish (\(RecordLock.path))") }) {
            recordHoldingLock(examples)
        }
    }

    private func recordHoldingLock(_ examples: [Example]) -> RecordSummary {
        let started = Date()
        // Run containers of recordings that were killed before they could remove them.
        let abandoned = engine.removeAbandonedRuns()
        if !abandoned.isEmpty {
            progress?.notice("removed \(abandoned.count) container(s) left by a kb record that was stopped: \(abandoned.joined(separator: ", "))")
        }
        // Builds leave their intermediate stages behind (images without a name, buildah's
        // working containers): those that appear during this run are removed at its end, not
        // during it, when another job may still use one.
        let leftoversBefore = options.keepImages ? BuildLeftovers() : engine.buildLeftovers()
        progress?.begin(total: examples.count)
        let outcomes = OutcomeList(count: examples.count)
        let next = Counter()
        let workers = min(options.jobs, max(1, examples.count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                while let index = next.take(below: examples.count) {
                    let outcome = record(examples[index])
                    outcomes.set(index, outcome)
                    progress?.finish(outcome)
                }
                group.leave()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        group.wait()
        if !options.keepImages {
            engine.remove(engine.buildLeftovers().subtracting(leftoversBefore))
        }
        progress?.end()
        return RecordSummary(outcomes: outcomes.all, engine: engineInfo, seconds: Date().timeIntervalSince(started))
    }

    /// Records one example: build, measure, run, compare, write.
    public func record(_ example: Example) -> ExampleOutcome {
        let started = Date()
        func outcome(_ result: ExampleOutcome.Result) -> ExampleOutcome {
            ExampleOutcome(slug: example.slug, result: result, seconds: Date().timeIntervalSince(started))
        }
        guard example.isRecordable, let manifest = example.manifest else {
            return outcome(.invalid(example.blockingDiagnostics))
        }
        AtomicFile.removeLeftovers(in: example.folder)
        // The digest is taken again now, so the recording describes what was built.
        guard let source = example.source else { return outcome(.invalid(example.blockingDiagnostics)) }
        let scanned = BuildContext.scan(source, root: example.root)
        guard let context = scanned.context else { return outcome(.invalid(scanned.diagnostics)) }

        let tag = Recorder.imageTag(for: example.slug)
        progress?.step(example.slug, .build)
        let build: BuildLog
        do {
            build = try engine.build(
                context: source.folder, dockerfile: source.dockerfile, tag: tag, target: manifest.target, timeout: options.buildTimeout)
        } catch {
            return outcome(.failed(step: .build, message: error.description))
        }
        defer { if !options.keepImages { engine.removeImage(tag) } }

        progress?.step(example.slug, .measure)
        let facts: ImageFacts
        do {
            facts = try engine.inspect(image: tag)
        } catch {
            return outcome(.failed(step: .measure, message: error.description))
        }

        progress?.step(example.slug, .run)
        let run: RunRecord
        do {
            run = try engine.run(image: tag, facts: facts, name: Recorder.containerName(for: example.slug), timeout: manifest.timeout)
        } catch {
            return outcome(.failed(step: .run, message: error.description))
        }
        let verdict = manifest.run.evaluate(run, timeout: manifest.timeout)

        progress?.step(example.slug, .write)
        let recording = Recording(
            date: Recorder.isoDate(now()), engine: engineInfo, platform: facts.platform, contextDigest: context.digest,
            target: manifest.target, image: ImageFigures(sizeBytes: facts.sizeBytes, layers: facts.layers),
            buildSeconds: build.seconds, run: run.trimmedForRecording(), matched: verdict.matched,
            mismatch: verdict.matched ? nil : verdict.reason)
        do {
            try write(recording, to: example)
        } catch {
            return outcome(.failed(step: .write, message: "\(error)"))
        }
        return outcome(.recorded(recording))
    }

    /// Adds the recording to the example's results.json (replacing the one from the same
    /// engine and platform), atomically.
    func write(_ recording: Recording, to example: Example) throws {
        var existing: ResultsFile?
        if let data = FileManager.default.contents(atPath: example.resultsURL.path) {
            existing = ResultsFile.parse(String(decoding: data, as: UTF8.self), file: example.shownResults).results
        }
        let updated = existing?.replacing(with: recording) ?? ResultsFile(recordings: [recording])
        try AtomicFile.write(Data(updated.json().utf8), to: example.resultsURL)
    }

    static func containerName(for slug: String) -> String {
        "kb-run-\(slug)-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }

    /// The process that named a run container (`kb-run-SLUG-PID-RANDOM`), or nil for a name
    /// kb did not make.
    static func runContainerOwner(_ name: String) -> pid_t? {
        guard name.hasPrefix("kb-run-") else { return nil }
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 5, let random = parts.last, !random.isEmpty,
              random.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLowercase) }),
              let pid = pid_t(parts[parts.count - 2]), pid > 0
        else { return nil }
        return pid
    }

    /// `2026-11-28T05:46:00Z`.
    public static func isoDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

private final class OutcomeList: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [ExampleOutcome?]

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ outcome: ExampleOutcome) {
        lock.lock()
        outcomes[index] = outcome
        lock.unlock()
    }

    var all: [ExampleOutcome] {
        lock.lock()
        defer { lock.unlock() }
        return outcomes.compactMap { $0 }
    }
}

enum Seconds {
    static func format(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        return "\(whole / 60) min \(whole % 60) s"
    }
}
