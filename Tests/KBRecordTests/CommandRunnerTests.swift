import Foundation
import Testing

@testable import KBRecord

@Suite("Running commands")
struct CommandRunnerTests {
    let runner = CommandRunner(terminationGrace: 1)
    let shell = URL(fileURLWithPath: "/bin/sh")

    @Test func capturesBothStreamsAndTheExitCode() throws {
        let result = try runner.run(shell, ["-c", "printf 'out\\n'; printf 'err\\n' >&2; exit 7"])
        #expect(result.stdoutText == "out\n")
        #expect(result.stderrText == "err\n")
        #expect(result.exitCode == 7)
        #expect(!result.timedOut)
    }

    @Test func standardInputIsEmpty() throws {
        let result = try runner.run(shell, ["-c", "cat; echo done"], timeout: 10)
        #expect(result.stdoutText == "done\n")
        #expect(!result.timedOut)
    }

    @Test func aSignalIsReportedAsTheShellDoes() throws {
        let result = try runner.run(shell, ["-c", "kill -KILL $$"])
        #expect(result.exitCode == 128 + 9)
    }

    @Test func aCommandPastItsTimeLimitIsStopped() throws {
        let started = Date()
        let result = try runner.run(URL(fileURLWithPath: "/bin/sleep"), ["30"], timeout: 0.5)
        #expect(result.timedOut)
        #expect(result.exitCode == 128 + 15)  // SIGTERM
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func aCommandIgnoringSIGTERMIsKilled() throws {
        let started = Date()
        let result = try runner.run(shell, ["-c", "trap '' TERM; echo ready; exec sleep 30"], timeout: 0.5)
        #expect(result.timedOut)
        #expect(result.exitCode == 128 + 9)  // SIGKILL after the grace period
        #expect(result.stdoutText == "ready\n")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func theTimeoutHookRunsBeforeTheCommandIsStopped() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("kb-timeout-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marker) }
        let path = marker.path
        let result = try runner.run(URL(fileURLWithPath: "/bin/sleep"), ["30"], timeout: 0.3) {
            _ = FileManager.default.createFile(atPath: path, contents: Data("stopped".utf8))
        }
        #expect(result.timedOut)
        #expect(FileManager.default.contents(atPath: marker.path) == Data("stopped".utf8))
    }

    @Test func outputBeyondTheLimitIsDropped() throws {
        let small = CommandRunner(outputLimit: 1000)
        let result = try small.run(shell, ["-c", "head -c 100000 /dev/zero | tr '\\0' x"], timeout: 30)
        #expect(result.stdout.count == 1000)
        #expect(result.exitCode == 0)
    }

    @Test func largeOutputOnBothStreamsDoesNotDeadlock() throws {
        let result = try runner.run(shell, ["-c", "head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2"], timeout: 30)
        #expect(result.stdout.count == 300_000)
        #expect(result.stderr.count == 300_000)
        #expect(!result.timedOut)
    }

    @Test func aMissingProgramCannotStart() {
        #expect(throws: CommandRunner.LaunchError.self) { try runner.run(URL(fileURLWithPath: "/nonexistent/engine"), []) }
    }

    @Test func whichSearchesPathInOrder() throws {
        let first = FileManager.default.temporaryDirectory.appendingPathComponent("kb-which-\(UUID().uuidString)")
        let second = first.appendingPathComponent("second")
        try FileManager.default.createDirectory(at: second, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: first) }
        for folder in [first, second] {
            _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("podman").path, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        }
        _ = FileManager.default.createFile(atPath: first.appendingPathComponent("buildah").path, contents: Data(), attributes: [.posixPermissions: 0o644])
        let environment = ["PATH": "\(first.path):\(second.path)"]
        #expect(CommandRunner.which("podman", environment: environment)?.path == first.appendingPathComponent("podman").path)
        #expect(CommandRunner.which("buildah", environment: environment) == nil)  // not executable
        #expect(CommandRunner.which("docker", environment: environment) == nil)
    }
}

@Suite("Messages from engine output")
struct EngineMessageTests {
    /// apt and dpkg write `\r\n` and the `\r` of progress counters; each is a line break.
    @Test func tailSplitsEveryKindOfLineBreak() {
        let log = "Get:1 http://deb.debian.org/debian bookworm InRelease\r\n(Reading database ... 5%\r(Reading database ... 100%\r\n"
            + "Setting up gcc\nE: Sub-process /usr/bin/dpkg returned an error code (1)\r\n"
        let result = CommandResult(exitCode: 100, stdout: Data(log.utf8), stderr: Data("Error: building at STEP \"RUN apt-get\"\n".utf8), timedOut: false, seconds: 1)
        #expect(result.tail(lines: 3) == """
                Setting up gcc
                E: Sub-process /usr/bin/dpkg returned an error code (1)
                Error: building at STEP "RUN apt-get"
            """)
        #expect(result.stderrSummary == "Error: building at STEP \"RUN apt-get\"")
        #expect(CommandResult.oneLine("a\r\nb\r\n\nc") == "a | b | c")
        #expect(CommandResult.oneLine(String(repeating: "x", count: 400)).count == 300)
    }
}
