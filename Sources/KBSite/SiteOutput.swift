import Foundation

/// Where the renderer puts the site's files as it makes them: a staging folder on disk for
/// a build, memory for tests. Called from several threads at once.
public protocol SiteOutput: AnyObject, Sendable {
    func write(_ file: SiteFile) throws
    /// A page that `key` wholly determines (every input of the page went into it). An
    /// output that keeps the previous site reuses the page when the key is unchanged, and
    /// calls `render` otherwise.
    func page(_ path: String, key: UInt64, render: () throws -> SiteFile) throws
    /// Whether `page` can skip anything: computing keys is not free.
    var reusesPages: Bool { get }
}

extension SiteOutput {
    public func page(_ path: String, key: UInt64, render: () throws -> SiteFile) throws { try write(render()) }
    public var reusesPages: Bool { false }
}

/// Keeps every file in memory, for tests and tools that look at a site without writing it.
public final class SiteInMemory: SiteOutput, @unchecked Sendable {
    private var collected: [SiteFile] = []
    private let lock = NSLock()

    public init() {}

    public func write(_ file: SiteFile) throws {
        lock.lock()
        collected.append(file)
        lock.unlock()
    }

    /// The files written, sorted by path.
    public var files: [SiteFile] {
        lock.lock()
        defer { lock.unlock() }
        return collected.sorted { $0.path < $1.path }
    }
}
