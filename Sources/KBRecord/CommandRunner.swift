import Foundation

/// What a finished command did.
public struct CommandResult: Sendable, Equatable {
    /// The exit code, or 128 + the signal number when a signal ended it (as a shell reports).
    public var exitCode: Int
    public var stdout: Data
    public var stderr: Data
    /// The command was stopped because it ran past its time limit.
    public var timedOut: Bool
    public var seconds: Double

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs external commands (the container engines) with a time limit, capturing their output.
/// Blocking: call it from a thread that may wait.
public struct CommandRunner: Sendable {
    /// The environment commands run with: kb's own, so DOCKER_HOST, BUILDX_BUILDER,
    /// CONTAINERS_STORAGE_CONF and BUILDAH_ISOLATION reach the engine.
    public var environment: [String: String]
    /// How much of each output stream is kept; the rest is read and dropped.
    public var outputLimit: Int
    /// After a time limit, how long a command has between SIGTERM and SIGKILL.
    public var terminationGrace: Double

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, outputLimit: Int = 4 << 20, terminationGrace: Double = 10) {
        self.environment = environment
        self.outputLimit = outputLimit
        self.terminationGrace = terminationGrace
    }

    public struct LaunchError: Error, CustomStringConvertible, Sendable {
        public let executable: String
        public let reason: String
        public var description: String { "cannot start \(executable): \(reason)" }
    }

    /// Runs `executable` with `arguments`; standard input is empty. With a `timeout`, the command
    /// gets SIGTERM when it is over, then SIGKILL after `terminationGrace`; `onTimeout` runs
    /// first (an engine uses it to stop the container the command started).
    public func run(
        _ executable: URL, _ arguments: [String], timeout: Double? = nil, onTimeout: (@Sendable () -> Void)? = nil
    ) throws(LaunchError) -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe

        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        let stdoutReader = StreamReader(stdoutPipe.fileHandleForReading, limit: outputLimit)
        let stderrReader = StreamReader(stderrPipe.fileHandleForReading, limit: outputLimit)

        let started = Date()
        if let error = CommandRunner.launch(process) {
            throw LaunchError(executable: executable.path, reason: error.localizedDescription)
        }
        // The parent's copies of the write ends must close, or the readers never see the end.
        try? stdoutPipe.fileHandleForWriting.close()
        try? stderrPipe.fileHandleForWriting.close()
        stdoutReader.start()
        stderrReader.start()

        var timedOut = false
        if let timeout {
            if exited.wait(timeout: .now() + max(0, timeout)) == .timedOut {
                timedOut = true
                onTimeout?()
                process.terminate()  // SIGTERM
                if exited.wait(timeout: .now() + terminationGrace) == .timedOut {
                    kill(process.processIdentifier, SIGKILL)
                    exited.wait()
                }
            }
        } else {
            exited.wait()
        }
        // Output still held open by a process the command left behind is given a moment, not forever.
        let outputDeadline = DispatchTime.now() + (timedOut ? 2 : 30)
        let stdout = stdoutReader.finish(by: outputDeadline)
        let stderr = stderrReader.finish(by: outputDeadline)
        let seconds = Date().timeIntervalSince(started)

        let status = Int(process.terminationStatus)
        let exitCode = process.terminationReason == .uncaughtSignal ? 128 + status : status
        return CommandResult(exitCode: exitCode, stdout: stdout, stderr: stderr, timedOut: timedOut, seconds: seconds)
    }

    /// Starts `process` from a thread that blocks no signals. A child inherits the signal mask
    /// of the thread that spawns it, and Dispatch's worker threads block SIGTERM: a command
    /// started from one could not be stopped at its time limit but by SIGKILL.
    private static func launch(_ process: Process) -> Error? {
        let box = LaunchBox(process)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            do {
                try box.process.run()
            } catch {
                box.error = error
            }
            done.signal()
        }
        thread.start()
        done.wait()
        return box.error
    }

    /// Finds `name` in the PATH of `environment`, as a shell would.
    public static func which(_ name: String, environment: [String: String]) -> URL? {
        if name.contains("/") {
            return FileManager.default.isExecutableFile(atPath: name) ? URL(fileURLWithPath: name) : nil
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return candidate
            }
        }
        return nil
    }
}

private final class LaunchBox: @unchecked Sendable {
    let process: Process
    var error: Error?
    init(_ process: Process) { self.process = process }
}

/// Reads one pipe to its end on a thread of its own, keeping at most `limit` bytes.
private final class StreamReader: @unchecked Sendable {
    private let handle: FileHandle
    private let limit: Int
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle, limit: Int) {
        self.handle = handle
        self.limit = limit
    }

    func start() {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                if data.count < limit { data.append(chunk.prefix(limit - data.count)) }
                lock.unlock()
            }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// What was read, once the stream ended or the deadline passed.
    func finish(by deadline: DispatchTime) -> Data {
        _ = done.wait(timeout: deadline)
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}
