import Foundation
import KBContent
import Testing

@testable import KBRecord

@Suite("Writing results.json atomically")
struct AtomicWriteTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kb-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() }

    @Test func writesAndReplaces() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("results.json")
        try AtomicFile.write(Data("first\n".utf8), to: file)
        #expect(FileManager.default.contents(atPath: file.path) == Data("first\n".utf8))
        try AtomicFile.write(Data("second\n".utf8), to: file)
        #expect(FileManager.default.contents(atPath: file.path) == Data("second\n".utf8))
        #expect(try names() == ["results.json"])
    }

    struct Interrupted: Error {}

    /// The write stops half-way (as when kb is killed): the previous file is intact and no
    /// temporary file is left behind.
    @Test func anInterruptedWriteLeavesThePreviousFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("results.json")
        let previous = Data("{\"recordings\": \"previous\"}\n".utf8)
        try previous.write(to: file)
        var sawHalf = false
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(Data(String(repeating: "new ", count: 10_000).utf8), to: file) {
                // Half the new bytes are on disk, in a temporary file beside results.json.
                let temporary = try names().filter { $0.hasPrefix(BuildContext.temporaryPrefix) }
                sawHalf = temporary.count == 1
                    && (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(temporary[0]).path)[.size] as? Int) == 20_000
                throw Interrupted()
            }
        }
        #expect(sawHalf)
        #expect(FileManager.default.contents(atPath: file.path) == previous)
        #expect(try names() == ["results.json"])
    }

    /// A temporary file left by a process that was killed outright is not part of the build
    /// context, and the recorder removes it before recording.
    @Test func leftoversOfAKilledWriteAreIgnoredThenRemoved() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let example = folder.appendingPathComponent("Examples/demo")
        try FileManager.default.createDirectory(at: example, withIntermediateDirectories: true)
        try Data("FROM scratch\n".utf8).write(to: example.appendingPathComponent("Dockerfile"))
        let before = BuildContext.scan(folder: example, root: folder, shownFolder: "Examples/demo").context?.digest
        try Data("{\"recor".utf8).write(to: example.appendingPathComponent(".kb-tmp-results.json-4242-zz"))
        #expect(BuildContext.scan(folder: example, root: folder, shownFolder: "Examples/demo").context?.digest == before)
        AtomicFile.removeLeftovers(in: example)
        #expect(try FileManager.default.contentsOfDirectory(atPath: example.path) == ["Dockerfile"])
    }

    @Test func aMissingFolderIsAnError() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("gone/results.json")
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write(Data("x".utf8), to: file) }
    }

    /// The recorder keeps other engines' recordings and replaces a results.json it cannot read.
    @Test func recordingsAreMergedIntoTheExistingFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = folder
        let exampleFolder = root.appendingPathComponent("Examples/demo")
        try FileManager.default.createDirectory(at: exampleFolder, withIntermediateDirectories: true)
        try Data("FROM scratch\n".utf8).write(to: exampleFolder.appendingPathComponent("Dockerfile"))
        try Data("title: Demo\nrun: {stdout: \"hi\\n\"}\n".utf8).write(to: exampleFolder.appendingPathComponent("example.yaml"))
        let docker = RecorderFixtures.recording(engine: "docker", date: "2026-01-01T00:00:00Z")
        try Data(ResultsFile(recordings: [docker]).json().utf8).write(to: exampleFolder.appendingPathComponent("results.json"))

        let example = try #require(try ExampleCatalog.load(root: root)["demo"])
        let recorder = Recorder(
            engine: BuildahEngine(executable: URL(fileURLWithPath: "/usr/bin/buildah"), runner: CommandRunner()),
            engineInfo: EngineInfo(name: "buildah", version: "1.28.2"))
        let buildah = RecorderFixtures.recording(engine: "buildah", date: "2026-02-01T00:00:00Z")
        try recorder.write(buildah, to: example)
        let merged = try String(contentsOf: example.resultsURL, encoding: .utf8)
        #expect(merged == ResultsFile(recordings: [buildah, docker]).json())

        try Data("{ not json".utf8).write(to: example.resultsURL)
        try recorder.write(buildah, to: example)
        #expect(try String(contentsOf: example.resultsURL, encoding: .utf8) == ResultsFile(recordings: [buildah]).json())
    }
}

enum RecorderFixtures {
    static func recording(engine: String, date: String) -> Recording {
        Recording(
            date: date, engine: EngineInfo(name: engine, version: "1"), platform: "linux/amd64",
            contextDigest: "sha256:" + String(repeating: "0", count: 64), image: ImageFigures(sizeBytes: 1, layers: 1),
            buildSeconds: 1, run: RunRecord(exitCode: 0, stdout: "hi\n", stderr: ""), matched: true)
    }
}

@Suite("One recording at a time")
struct RecordLockTests {
    /// Another process holds the lock (flock(1) here, as a second kb record would): the
    /// recording says it waits, and goes on as soon as the other lets go.
    @Test func waitsForAnotherProcess() throws {
        guard let flockTool = CommandRunner.which("flock", environment: ProcessInfo.processInfo.environment) else {
            try Test.cancel("flock(1) is not installed")
        }
        let holder = Process()
        holder.executableURL = flockTool
        holder.arguments = [RecordLock.path, "-c", "echo locked; read line"]
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        // Synchronise on what it prints, not on time.
        var printed = Data()
        while !printed.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed.append(chunk)
        }
        #expect(String(decoding: printed, as: UTF8.self) == "locked\n")

        let events = Events()
        let ran = RecordLock.withLock(waiting: {
            events.append("waiting")
            // Let the other process go: it ends when its input closes.
            try? input.fileHandleForWriting.close()
        }) {
            events.append("ran")
            return true
        }
        holder.waitUntilExit()
        #expect(ran)
        #expect(events.all == ["waiting", "ran"])
        // Free again, and re-entrant within a process.
        let nested = RecordLock.withLock { RecordLock.withLock { 42 } }
        #expect(nested == 42)
    }

    final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func append(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
    }
}
