import Foundation
import KBContent

/// The container engines kb can record with.
public enum EngineKind: String, CaseIterable, Sendable {
    case docker, podman, buildah
}

/// A container engine: builds an example's context into an image, measures it, runs it.
/// Every call blocks until the engine is done.
public protocol ContainerEngine: Sendable {
    var kind: EngineKind { get }
    /// The engine's program.
    var executable: URL { get }
    /// Runs the engine's commands, with the environment they see.
    var runner: CommandRunner { get }
    /// Name and version. Throws when the engine cannot be used (no daemon, say).
    func identify() throws(EngineError) -> EngineInfo
    /// Builds `context` with `dockerfile` into the image `tag`, stopping at stage `target`.
    func build(context: URL, dockerfile: URL, tag: String, target: String?, timeout: Double) throws(EngineError) -> BuildLog
    /// Size, layers, platform and command of a built image.
    func inspect(image: String) throws(EngineError) -> ImageFacts
    /// Runs the image's command to its end (or to `timeout`), capturing what it printed.
    /// `name` names the container, so a run that hangs can be stopped.
    func run(image: String, facts: ImageFacts, name: String, timeout: Double) throws(EngineError) -> RunRecord
    /// Deletes the image; failures are ignored (it is only tidying up).
    func removeImage(_ image: String)
    /// What builds leave behind: images without a name (intermediate stages) and, with
    /// buildah, the working containers of build stages.
    func buildLeftovers() -> BuildLeftovers
    /// Deletes them; failures are ignored.
    func remove(_ leftovers: BuildLeftovers)
    /// Deletes the run containers of recordings whose kb process is gone (killed before it
    /// could remove them) and returns their names. Failures are ignored.
    func removeAbandonedRuns() -> [String]
}

extension ContainerEngine {
    /// docker and podman remove a `run --rm` container themselves when it ends, even if kb
    /// was killed meanwhile: nothing is left to find.
    public func removeAbandonedRuns() -> [String] { [] }
}

/// Images and containers, by ID, that builds left behind.
public struct BuildLeftovers: Sendable, Equatable {
    public var images: Set<String>
    public var containers: Set<String>

    public init(images: Set<String> = [], containers: Set<String> = []) {
        self.images = images
        self.containers = containers
    }

    public var isEmpty: Bool { images.isEmpty && containers.isEmpty }

    /// Those that are not in `earlier`: what appeared since.
    public func subtracting(_ earlier: BuildLeftovers) -> BuildLeftovers {
        BuildLeftovers(images: images.subtracting(earlier.images), containers: containers.subtracting(earlier.containers))
    }
}

/// What a build printed and how long it took.
public struct BuildLog: Sendable, Equatable {
    public var seconds: Double
    public var output: String
}

/// Why an engine could not do what kb asked, in words for the person reading the message.
public enum EngineError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No engine on PATH answered. `tried` says, for each engine looked for, what happened.
    case notFound(lookedFor: [String], path: String, tried: [String])
    /// The engine exists but cannot be used here (a docker client with no daemon, say).
    case unusable(engine: String, reason: String)
    case launchFailed(String)
    /// The build exited non-zero; `log` is the end of what it printed.
    case buildFailed(exitCode: Int, log: String)
    /// A step ran past its time limit and was stopped.
    case timedOut(step: String, seconds: Double)
    case commandFailed(command: String, exitCode: Int, stderr: String)
    case unexpectedOutput(EngineOutput.Unexpected)
    /// The machine does not let the engine start containers (resource limits, cgroups).
    case runRefused(engine: String, reason: String)

    public var description: String {
        switch self {
        case let .notFound(lookedFor, path, tried):
            let names = EngineError.list(lookedFor)
            let detail = tried.isEmpty ? "" : " (" + tried.joined(separator: "; ") + ")"
            return "no usable container engine: looked for \(names) on PATH=\(path)\(detail). Install one, or name one with --engine"
        case let .unusable(engine, reason):
            return "\(engine) cannot be used: \(reason)"
        case let .launchFailed(reason):
            return reason
        case let .buildFailed(exitCode, log):
            let tail = log.isEmpty ? "" : ":\n" + log
            return "the build failed (exit code \(exitCode))\(tail)"
        case let .timedOut(step, seconds):
            return "\(step) did not finish within \(Int(seconds.rounded())) s and was stopped"
        case let .commandFailed(command, exitCode, stderr):
            let detail = stderr.isEmpty ? "" : ": " + stderr
            return "`\(command)` failed (exit code \(exitCode))\(detail)"
        case let .unexpectedOutput(problem):
            return problem.description
        case let .runRefused(engine, reason):
            return "\(engine) cannot run containers on this machine: \(reason)"
        }
    }

    static func list(_ names: [String]) -> String {
        switch names.count {
        case 0: return "nothing"
        case 1: return names[0]
        default: return names.dropLast().joined(separator: ", ") + " and " + names.last!
        }
    }
}

extension CommandResult {
    /// The last `lines` lines of stdout then stderr (where engines print their errors), each
    /// at most 200 characters, indented, for an error message. Any line break counts: build
    /// logs mix `\n`, `\r\n` and the `\r` of progress counters.
    func tail(lines: Int = 15) -> String {
        let all = (stdoutText + "\n" + stderrText).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return all.suffix(lines).map { "    " + ($0.count > 200 ? String($0.prefix(199)) + "…" : $0) }.joined(separator: "\n")
    }

    /// stderr on one line, shortened, for an error message.
    var stderrSummary: String { CommandResult.oneLine(stderrText) }

    static func oneLine(_ text: String, limit: Int = 300) -> String {
        var line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " | ")
        if line.count > limit { line = String(line.prefix(limit - 1)) + "…" }
        return line
    }
}

/// Recognises an OCI runtime that the machine forbids from starting containers, as opposed
/// to a program in the container that fails: the first says nothing about the example.
enum RuntimeRefusal {
    static func reason(in stderr: String) -> String? {
        let lines = stderr.split(whereSeparator: \.isNewline).map(String.init)
        if let line = lines.first(where: { $0.contains("setrlimit") || $0.contains("error setting rlimit") }) {
            return "the OCI runtime may not set the container's resource limits here (\(line.trimmingCharacters(in: .whitespaces)))"
        }
        if let line = lines.first(where: { $0.contains("cgroups in hybrid mode not supported") }) {
            return "the OCI runtime does not support this machine's cgroup setup (\(line.trimmingCharacters(in: .whitespaces)))"
        }
        return nil
    }
}

/// Finds the engine to record with.
public enum EngineLocator {
    /// The order engines are tried in when none is named.
    public static let searchOrder: [EngineKind] = [.docker, .podman, .buildah]

    /// The engine named by `kind`, or the first of `searchOrder` that is on PATH and answers.
    /// `dockerBuilder` is a buildx builder for docker (`--builder`).
    public static func locate(
        _ kind: EngineKind?, runner: CommandRunner, dockerBuilder: String? = nil
    ) throws(EngineError) -> (engine: any ContainerEngine, info: EngineInfo) {
        let path = runner.environment["PATH"] ?? ""
        var tried: [String] = []
        for candidate in kind.map({ [$0] }) ?? searchOrder {
            guard let executable = CommandRunner.which(candidate.rawValue, environment: runner.environment) else {
                tried.append("\(candidate.rawValue): not found")
                continue
            }
            let engine = make(candidate, executable: executable, runner: runner, dockerBuilder: dockerBuilder)
            do {
                return (engine, try engine.identify())
            } catch {
                if kind != nil { throw error }
                tried.append("\(candidate.rawValue) at \(executable.path): \(error)")
            }
        }
        throw .notFound(lookedFor: (kind.map { [$0] } ?? searchOrder).map(\.rawValue), path: path, tried: tried)
    }

    public static func make(_ kind: EngineKind, executable: URL, runner: CommandRunner, dockerBuilder: String? = nil) -> any ContainerEngine {
        switch kind {
        case .docker: DockerEngine(executable: executable, runner: runner, builder: dockerBuilder)
        case .podman: PodmanEngine(executable: executable, runner: runner)
        case .buildah: BuildahEngine(executable: executable, runner: runner)
        }
    }
}

// MARK: - docker

/// Docker, local or remote: `DOCKER_HOST` and `docker context` are honoured by the docker
/// client itself. With a buildx builder (`--builder` or `BUILDX_BUILDER`), images are built by
/// `docker buildx build --load`, so a remote or clustered builder can do the work.
public struct DockerEngine: ContainerEngine {
    public let kind = EngineKind.docker
    public let executable: URL
    public let runner: CommandRunner
    /// A buildx builder to build with; nil uses `docker build` (or BUILDX_BUILDER's builder).
    public let builder: String?

    public init(executable: URL, runner: CommandRunner, builder: String? = nil) {
        self.executable = executable
        self.runner = runner
        self.builder = builder
    }

    var buildxBuilder: String? { builder ?? runner.environment["BUILDX_BUILDER"].flatMap { $0.isEmpty ? nil : $0 } }

    public func identify() throws(EngineError) -> EngineInfo {
        let result = try invoke(["version", "--format", "{{json .}}"], timeout: 60)
        let version: String
        do {
            version = try EngineOutput.dockerVersion(result.stdoutText)
        } catch {
            let host = runner.environment["DOCKER_HOST"].map { " at DOCKER_HOST=\($0)" } ?? ""
            let reason = result.stderrSummary.isEmpty ? error.description : result.stderrSummary
            throw .unusable(engine: "docker", reason: "the docker client is there but no daemon answered\(host): \(reason)")
        }
        if let builder = buildxBuilder {
            let inspect = try invoke(["buildx", "inspect", builder], timeout: 60)
            guard inspect.exitCode == 0 else {
                throw .unusable(engine: "docker", reason: "the buildx builder '\(builder)' is not usable: \(inspect.stderrSummary)")
            }
        }
        return EngineInfo(name: "docker", version: version)
    }

    public func build(context: URL, dockerfile: URL, tag: String, target: String?, timeout: Double) throws(EngineError) -> BuildLog {
        var arguments: [String]
        if let builder = buildxBuilder {
            arguments = ["buildx", "build", "--builder", builder, "--load", "--progress", "plain"]
        } else {
            arguments = ["build"]
        }
        arguments += ["--tag", tag, "--file", dockerfile.path]
        if let target { arguments += ["--target", target] }
        arguments.append(context.path)
        return try EngineCommands.build(self, arguments, timeout: timeout)
    }

    public func inspect(image: String) throws(EngineError) -> ImageFacts {
        try EngineCommands.inspect(self, ["image", "inspect", image], parse: { text throws(EngineOutput.Unexpected) in
            try EngineOutput.imageInspect(text, source: "docker image inspect")
        })
    }

    public func run(image: String, facts: ImageFacts, name: String, timeout: Double) throws(EngineError) -> RunRecord {
        try EngineCommands.runContainer(self, ["run", "--rm", "--name", name, image], name: name, timeout: timeout, killArguments: ["rm", "--force", name])
    }

    public func removeImage(_ image: String) {
        _ = try? invoke(["image", "rm", "--force", image], timeout: 120)
    }

    public func buildLeftovers() -> BuildLeftovers {
        BuildLeftovers(images: EngineCommands.ids(self, ["image", "ls", "--filter", "dangling=true", "--quiet", "--no-trunc"]))
    }

    public func remove(_ leftovers: BuildLeftovers) {
        EngineCommands.remove(self, ["image", "rm"], leftovers.images)
    }
}

// MARK: - podman

/// Podman, daemonless. Where the machine forbids its OCI runtime to start containers (resource
/// limits, cgroups), runs fail with `EngineError.runRefused` saying so.
public struct PodmanEngine: ContainerEngine {
    public let kind = EngineKind.podman
    public let executable: URL
    public let runner: CommandRunner

    public init(executable: URL, runner: CommandRunner) {
        self.executable = executable
        self.runner = runner
    }

    public func identify() throws(EngineError) -> EngineInfo {
        let result = try invoke(["version", "--format", "json"], timeout: 60)
        guard result.exitCode == 0 else {
            throw .unusable(engine: "podman", reason: "`podman version` failed: \(result.stderrSummary)")
        }
        do {
            return EngineInfo(name: "podman", version: try EngineOutput.podmanVersion(result.stdoutText))
        } catch {
            throw .unexpectedOutput(error)
        }
    }

    public func build(context: URL, dockerfile: URL, tag: String, target: String?, timeout: Double) throws(EngineError) -> BuildLog {
        var arguments = ["build", "--tag", tag, "--file", dockerfile.path]
        if let target { arguments += ["--target", target] }
        arguments.append(context.path)
        return try EngineCommands.build(self, arguments, timeout: timeout)
    }

    public func inspect(image: String) throws(EngineError) -> ImageFacts {
        try EngineCommands.inspect(self, ["image", "inspect", image], parse: { text throws(EngineOutput.Unexpected) in
            try EngineOutput.imageInspect(text, source: "podman image inspect")
        })
    }

    public func run(image: String, facts: ImageFacts, name: String, timeout: Double) throws(EngineError) -> RunRecord {
        let record = try EngineCommands.runContainer(
            self, ["run", "--rm", "--name", name, image], name: name, timeout: timeout, killArguments: ["rm", "--force", name])
        // Exit codes 125 and 126 are podman's own: it could not create or start the container.
        if record.exitCode == 125 || record.exitCode == 126, let reason = RuntimeRefusal.reason(in: record.stderr) {
            throw .runRefused(
                engine: "podman",
                reason: "\(reason). Record with --engine buildah instead (BUILDAH_ISOLATION=chroot runs images without an OCI runtime)")
        }
        return record
    }

    public func removeImage(_ image: String) {
        _ = try? invoke(["rmi", "--force", image], timeout: 120)
    }

    public func buildLeftovers() -> BuildLeftovers {
        BuildLeftovers(images: EngineCommands.ids(self, ["images", "--filter", "dangling=true", "--quiet", "--no-trunc"]))
    }

    public func remove(_ leftovers: BuildLeftovers) {
        EngineCommands.remove(self, ["rmi"], leftovers.images)
    }
}

// MARK: - buildah

/// Buildah, daemonless: builds with `buildah build` and runs an image in a working container
/// (`buildah from`, `buildah run`, `buildah rm`). Storage and isolation come from its own
/// settings: `CONTAINERS_STORAGE_CONF`, `STORAGE_DRIVER`, `BUILDAH_ISOLATION` (chroot where no
/// OCI runtime may start containers, as scripts/engine-setup.sh sets up).
public struct BuildahEngine: ContainerEngine {
    public let kind = EngineKind.buildah
    public let executable: URL
    public let runner: CommandRunner

    public init(executable: URL, runner: CommandRunner) {
        self.executable = executable
        self.runner = runner
    }

    public func identify() throws(EngineError) -> EngineInfo {
        let result = try invoke(["version", "--json"], timeout: 60)
        guard result.exitCode == 0 else {
            throw .unusable(engine: "buildah", reason: "`buildah version` failed: \(result.stderrSummary)")
        }
        do {
            return EngineInfo(name: "buildah", version: try EngineOutput.buildahVersion(result.stdoutText))
        } catch {
            throw .unexpectedOutput(error)
        }
    }

    public func build(context: URL, dockerfile: URL, tag: String, target: String?, timeout: Double) throws(EngineError) -> BuildLog {
        var arguments = ["build", "--tag", tag, "--file", dockerfile.path]
        if let target { arguments += ["--target", target] }
        arguments.append(context.path)
        return try EngineCommands.build(self, arguments, timeout: timeout)
    }

    public func inspect(image: String) throws(EngineError) -> ImageFacts {
        try EngineCommands.inspect(self, ["inspect", "--type", "image", image], parse: { text throws(EngineOutput.Unexpected) in
            try EngineOutput.buildahInspect(text)
        })
    }

    public func run(image: String, facts: ImageFacts, name: String, timeout: Double) throws(EngineError) -> RunRecord {
        guard !facts.command.isEmpty else {
            throw .commandFailed(command: "buildah run", exitCode: 0, stderr: "the image has no ENTRYPOINT or CMD: nothing to run")
        }
        let from = try invoke(["from", "--name", name, image], timeout: 300)
        guard from.exitCode == 0 else {
            throw .commandFailed(command: "buildah from \(image)", exitCode: from.exitCode, stderr: from.stderrSummary)
        }
        let container: String
        do {
            container = try EngineOutput.containerName(from.stdoutText, source: "buildah from")
        } catch {
            throw .unexpectedOutput(error)
        }
        defer { _ = try? invoke(["rm", container], timeout: 120) }
        // buildah run stops the program it started when it gets SIGTERM.
        let result = try invoke(["run", container, "--"] + facts.command, timeout: timeout)
        if !result.timedOut, result.exitCode != 0, let reason = RuntimeRefusal.reason(in: result.stderrText) {
            throw .runRefused(engine: "buildah", reason: "\(reason). Set BUILDAH_ISOLATION=chroot (scripts/engine-setup.sh prints the settings)")
        }
        return RunRecord(
            exitCode: result.exitCode, stdout: result.stdoutText, stderr: result.stderrText,
            timedOut: result.timedOut, seconds: result.seconds)
    }

    public func removeImage(_ image: String) {
        _ = try? invoke(["rmi", "--force", image], timeout: 120)
    }

    /// buildah 1.28 leaves the working containers of a multi-stage build's earlier stages
    /// (named IMAGE-working-container-N) even when the build succeeds: they are counted too.
    public func buildLeftovers() -> BuildLeftovers {
        BuildLeftovers(
            images: EngineCommands.ids(self, ["images", "--filter", "dangling=true", "--quiet", "--no-trunc"]),
            containers: EngineCommands.ids(self, ["containers", "--quiet", "--notruncate"]))
    }

    public func remove(_ leftovers: BuildLeftovers) {
        EngineCommands.remove(self, ["rm"], leftovers.containers)
        EngineCommands.remove(self, ["rmi"], leftovers.images)
    }

    /// The working container of `run` is removed by kb after the run; a kb killed in between
    /// leaves it in the storage for good, unless the next recording takes it away.
    public func removeAbandonedRuns() -> [String] {
        guard let listing = try? invoke(["containers", "--format", "{{.ContainerName}}"], timeout: 120), listing.exitCode == 0 else { return [] }
        let abandoned = listing.stdoutText.split(whereSeparator: \.isNewline).map(String.init).filter { name in
            guard let owner = Recorder.runContainerOwner(name) else { return false }
            return kill(owner, 0) != 0 && errno == ESRCH
        }
        EngineCommands.remove(self, ["rm"], Set(abandoned))
        return abandoned.sorted()
    }
}

// MARK: - shared steps

extension ContainerEngine {
    /// Runs the engine with `arguments`. Throws only when it cannot be started.
    func invoke(_ arguments: [String], timeout: Double?, onTimeout: (@Sendable () -> Void)? = nil) throws(EngineError) -> CommandResult {
        do {
            return try runner.run(executable, arguments, timeout: timeout, onTimeout: onTimeout)
        } catch {
            throw .launchFailed(error.description)
        }
    }
}

enum EngineCommands {
    static func build(_ engine: some ContainerEngine, _ arguments: [String], timeout: Double) throws(EngineError) -> BuildLog {
        let result = try engine.invoke(arguments, timeout: timeout)
        if result.timedOut { throw .timedOut(step: "the build", seconds: timeout) }
        guard result.exitCode == 0 else { throw .buildFailed(exitCode: result.exitCode, log: result.tail()) }
        return BuildLog(seconds: result.seconds, output: result.stdoutText + result.stderrText)
    }

    static func inspect(
        _ engine: some ContainerEngine, _ arguments: [String], parse: (String) throws(EngineOutput.Unexpected) -> ImageFacts
    ) throws(EngineError) -> ImageFacts {
        let result = try engine.invoke(arguments, timeout: 120)
        if result.timedOut { throw .timedOut(step: "`\(engine.kind.rawValue) \(arguments.joined(separator: " "))`", seconds: 120) }
        guard result.exitCode == 0 else {
            throw .commandFailed(
                command: "\(engine.kind.rawValue) \(arguments.joined(separator: " "))", exitCode: result.exitCode, stderr: result.stderrSummary)
        }
        do {
            return try parse(result.stdoutText)
        } catch {
            throw .unexpectedOutput(error)
        }
    }

    static func ids(_ engine: some ContainerEngine, _ arguments: [String]) -> Set<String> {
        guard let result = try? engine.invoke(arguments, timeout: 120), result.exitCode == 0 else { return [] }
        return Set(result.stdoutText.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    /// Removes images or containers; a second pass takes images that a first could not while
    /// a child image still held them.
    static func remove(_ engine: some ContainerEngine, _ command: [String], _ ids: Set<String>) {
        guard !ids.isEmpty else { return }
        let first = try? engine.invoke(command + ids.sorted(), timeout: 300)
        if first?.exitCode != 0 { _ = try? engine.invoke(command + ids.sorted(), timeout: 300) }
    }

    /// `docker run`/`podman run` with a named container, removed by `killArguments` if the
    /// run outlives its time limit (killing the client alone would leave it running).
    static func runContainer(
        _ engine: some ContainerEngine, _ arguments: [String], name: String, timeout: Double, killArguments: [String]
    ) throws(EngineError) -> RunRecord {
        let kill: @Sendable () -> Void = { [engine] in _ = try? engine.invoke(killArguments, timeout: 60) }
        let result = try engine.invoke(arguments, timeout: timeout, onTimeout: kill)
        if result.timedOut { kill() }
        return RunRecord(
            exitCode: result.exitCode, stdout: result.stdoutText, stderr: result.stderrText,
            timedOut: result.timedOut, seconds: result.seconds)
    }
}
