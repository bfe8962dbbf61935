import Foundation

/// Which files `kb lint` looks at, and linting many of them at once.
public enum DockerfileDiscovery {
    /// `Dockerfile`, `*.Dockerfile`, `Dockerfile.*`, `Containerfile` (any case for the extension part).
    public static func isDockerfileName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "dockerfile" || lower == "containerfile" || lower.hasSuffix(".dockerfile") || lower.hasPrefix("dockerfile.")
    }

    /// The Dockerfiles below a folder, sorted; hidden folders and `.build*`/`node_modules` skipped.
    public static func find(in folder: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey], options: [.skipsHiddenFiles]) else { return [] }
        var found: [URL] = []
        for case let url as URL in enumerator {
            let name = url.lastPathComponent
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                if name == "node_modules" || name.hasPrefix(".build") || name == "Site" { enumerator.skipDescendants() }
                continue
            }
            if isDockerfileName(name) { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }
}

/// One Dockerfile to lint: its text, how to name it in reports, its build context.
public struct LintJob: Sendable {
    public let source: String
    public let displayPath: String
    public let context: URL?
    public let options: Linter.Options

    public init(source: String, displayPath: String, context: URL?, options: Linter.Options) {
        self.source = source
        self.displayPath = displayPath
        self.context = context
        self.options = options
    }

    /// Lints every job, using every core, and returns the diagnostics in input order.
    public static func run(_ jobs: [LintJob], linter: Linter = Linter()) -> [Diagnostic] {
        let results = UnsafeResults(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let job = jobs[index]
            let context = job.context.map { BuildContextFiles.load(folder: $0) }
            results.set(index, linter.lint(job.source, file: job.displayPath, context: context, options: job.options).diagnostics)
        }
        return results.all.flatMap { $0 }
    }
}

/// Slots written by exactly one iteration each, read after all have finished.
private final class UnsafeResults: @unchecked Sendable {
    private var slots: [[Diagnostic]]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func set(_ index: Int, _ value: [Diagnostic]) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var all: [[Diagnostic]] { slots }
}
