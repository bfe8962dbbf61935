import Foundation
import KBParallel

/// Which files `kb lint` looks at, and linting many of them at once.
public enum DockerfileDiscovery {
    /// `Dockerfile`, `*.Dockerfile`, `Dockerfile.*`, `Containerfile` (any case for the extension part),
    /// but not the files that sit beside Dockerfiles with such names: BuildKit's per-Dockerfile
    /// ignore files (`Dockerfile.dockerignore`), notes (`Dockerfile.md`) and editor leftovers.
    public static func isDockerfileName(_ name: String) -> Bool {
        let lower = name.lowercased()
        guard lower == "dockerfile" || lower == "containerfile" || lower.hasSuffix(".dockerfile") || lower.hasPrefix("dockerfile.") else {
            return false
        }
        return !notDockerfileSuffixes.contains { lower.hasSuffix($0) }
    }

    static let notDockerfileSuffixes = [
        ".dockerignore", ".md", ".markdown", ".rst", ".adoc", ".txt", ".html", ".orig", ".rej", ".bak", ".swp", "~",
    ]

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
        lint(jobs, linter: linter).flatMap { $0.diagnostics }
    }

    /// Lints every job, using every core, and returns each job's result in input order.
    public static func lint(_ jobs: [LintJob], linter: Linter = Linter()) -> [Linter.Result] {
        lint(jobs, linter: linter) { _, result in result }
    }

    /// Lints every job, using every core, and returns what `keep` takes of each result, in
    /// input order. `keep` runs on the worker, so the parsed files and models that it does
    /// not keep are freed there, in parallel, rather than all at the end.
    public static func lint<T: Sendable>(
        _ jobs: [LintJob], linter: Linter = Linter(), keep: @escaping @Sendable (LintJob, Linter.Result) -> T
    ) -> [T] {
        // Dockerfiles side by side share their folder as context: each folder is read once.
        let folders = Array(Set(jobs.compactMap { $0.context?.standardizedFileURL }))
        let contexts = Dictionary(uniqueKeysWithValues: zip(folders, Parallel.map(folders) { BuildContextFiles.load(folder: $0) }))
        return Parallel.map(jobs) { job in
            let context = job.context.map { contexts[$0.standardizedFileURL]! }
            return keep(job, linter.lint(job.source, file: job.displayPath, context: context, options: job.options))
        }
    }
}
