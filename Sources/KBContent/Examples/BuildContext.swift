import Foundation
import KBRules

/// The files of an example that a build sees, and their digest: a recording made from a
/// different context is stale.
///
/// The context is every file in the context folder (the example's folder, or the folder its
/// example.yaml names with `context:`) less what the context's `.dockerignore` leaves out, and
/// never the example's own `example.yaml`, `results.json` and kb's temporary files
/// (`.kb-tmp-*`). The Dockerfile and `.dockerignore` always count, as Docker always sends them.
/// See `ContextDigest` for how the digest is made.
public struct BuildContext: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public enum Kind: String, Sendable { case file = "f", symlink = "l" }
        /// `/`-separated path inside the context folder.
        public let path: String
        public let kind: Kind
        /// The file's bytes, or a symbolic link's target as written.
        public let bytes: [UInt8]
    }

    /// Sorted by path, byte by byte.
    public let entries: [Entry]
    /// `sha256:` and 64 hex digits.
    public let digest: String

    public init(entries: [Entry]) {
        let sorted = entries.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        self.entries = sorted
        self.digest = ContextDigest.compute(sorted)
    }

    public var paths: [String] { entries.map(\.path) }

    /// Files of the example's folder that are never part of the context.
    public static let metadataFiles: Set<String> = [ExampleCatalog.manifestName, ResultsFile.fileName]
    /// Prefix of the temporary files kb writes next to results.json before renaming them.
    public static let temporaryPrefix = ".kb-tmp-"

    /// Reads the context of the example folder `folder`, which must lie inside `root`: the
    /// folder is the context and `Dockerfile` the Dockerfile. `shownFolder` is the folder's path
    /// as messages show it.
    public static func scan(folder: URL, root: URL, shownFolder: String) -> (context: BuildContext?, diagnostics: [Diagnostic]) {
        scan(ContextSource(exampleFolder: folder, shownFolder: shownFolder), root: root)
    }

    /// Reads a build context. Nothing outside `root` is read: a symbolic link that leads out of
    /// it is reported and the example has no context. A folder that `.dockerignore` leaves out is
    /// not read at all when no `!` pattern could keep something inside it.
    public static func scan(_ source: ContextSource, root: URL) -> (context: BuildContext?, diagnostics: [Diagnostic]) {
        var walk = ContextWalk(source: source, root: root)
        walk.run()
        guard walk.problems.isEmpty else { return (nil, walk.problems) }
        return (BuildContext(entries: walk.entries), [])
    }

    /// What a watcher of the context looks at (`kb serve`): every file and symbolic link the
    /// context holds, found as `scan` finds them but without reading a file, so a left-out folder
    /// (`.build/`, say) is not walked. A folder for which `skippingFolder` is true is not walked
    /// either (the site being written). Problems are not reported: the next build reports them.
    public static func watchedFiles(
        _ source: ContextSource, root: URL, skippingFolder: @escaping (URL) -> Bool = { _ in false }
    ) -> [URL] {
        var walk = ContextWalk(source: source, root: root)
        walk.readsFiles = false
        walk.skipsFolder = skippingFolder
        walk.run()
        return walk.entries.map { source.folder.appendingPathComponent($0.path) }
    }

    /// The files of the context that kb's rules read (Go sources, go.mod, requirements files...),
    /// as `kb lint` would find them in a folder holding only the context.
    public func ruleFiles() -> BuildContextFiles {
        BuildContextFiles.select(entries.lazy.filter { $0.kind == .file }.map { ($0.path, $0.bytes) })
    }
}

/// Where an example is built from: its context folder, the Dockerfile in it, and where the
/// example's own folder is in it.
public struct ContextSource: Sendable, Equatable {
    /// The build context.
    public let folder: URL
    /// The Dockerfile's path inside the context, `/`-separated.
    public let dockerfilePath: String
    /// The example's folder relative to the context: "" when it is the context, nil when it is
    /// not inside it. Its example.yaml, results.json and kb's temporary files there are never
    /// part of the context.
    public let exampleFolder: String?
    /// The context folder as messages show it.
    public let shownFolder: String
    /// Whether the context is the example's own folder with its `Dockerfile` (no `context:` or
    /// `dockerfile:` in example.yaml).
    public let isExampleFolder: Bool

    public init(folder: URL, dockerfilePath: String, exampleFolder: String?, shownFolder: String) {
        self.folder = folder
        self.dockerfilePath = dockerfilePath
        self.exampleFolder = exampleFolder
        self.shownFolder = shownFolder
        self.isExampleFolder = false
    }

    /// The example's folder, with its `Dockerfile`.
    public init(exampleFolder folder: URL, shownFolder: String) {
        self.folder = folder
        self.dockerfilePath = "Dockerfile"
        self.exampleFolder = ""
        self.shownFolder = shownFolder
        self.isExampleFolder = true
    }

    public var dockerfile: URL { folder.appendingPathComponent(dockerfilePath) }

    /// The Dockerfile as messages show it.
    public var shownDockerfile: String { ContextSource.join(shownFolder, dockerfilePath) }

    /// `a/b` + `c` → `a/b/c`; `.` or "" + `c` → `c`.
    public static func join(_ folder: String, _ path: String) -> String {
        folder.isEmpty || folder == "." ? path : folder + "/" + path
    }

    /// A path with its `.` and `..` segments taken away as text (`Examples/x/../..` → `.`),
    /// for messages; `..` that climbs above the start is kept.
    static func lexicallyCleaned(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if path.hasPrefix("/") { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}

/// The digest of a build context.
///
/// SHA-256 over the entries in byte order of their paths; each entry is its path, a NUL byte,
/// `f` (a file) or `l` (a symbolic link), a NUL byte, the length of its bytes in decimal, a NUL
/// byte, then its bytes (a file's contents, or a link's target as written). File modes and
/// times are left out, so a fresh checkout gives the same digest.
public enum ContextDigest {
    public static func compute(_ entries: [BuildContext.Entry]) -> String {
        var hasher = SHA256()
        for entry in entries {
            hasher.update(entry.path)
            hasher.update([0])
            hasher.update(entry.kind.rawValue)
            hasher.update([0])
            hasher.update(String(entry.bytes.count))
            hasher.update([0])
            hasher.update(entry.bytes)
        }
        return "sha256:" + SHA256.hexString(hasher.finalize())
    }
}

/// What a path is, without following a final symbolic link.
enum FileSystemEntry: Equatable {
    case file, directory, symlink, other, missing

    static func kind(of url: URL) -> FileSystemEntry {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
            let type = attributes[.type] as? FileAttributeType
        else { return .missing }
        switch type {
        case .typeRegular: return .file
        case .typeDirectory: return .directory
        case .typeSymbolicLink: return .symlink
        default: return .other
        }
    }

    /// Whether `url`, with every symbolic link resolved, lies inside `root` (itself resolved).
    static func isInside(_ url: URL, root: URL) -> Bool {
        let resolved = url.standardizedFileURL.resolvingSymlinksInPath().path
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return resolved == root.path || resolved.hasPrefix(rootPath)
    }
}

/// One walk of a context folder, depth first, names in byte order.
struct ContextWalk {
    let source: ContextSource
    let root: URL
    let ignore: DockerIgnore
    /// Paths (relative to the context) that are sent whatever `.dockerignore` says.
    let alwaysSent: Set<String>
    var entries: [BuildContext.Entry] = []
    var problems: [Diagnostic] = []
    /// Every folder listed, relative to the context ("" for the context): what was read.
    var listedFolders: [String] = []
    /// false: files are listed with no bytes, not read (for a watcher).
    var readsFiles = true
    /// Folders not to walk at all, whatever `.dockerignore` says.
    var skipsFolder: (URL) -> Bool = { _ in false }

    init(source: ContextSource, root: URL) {
        self.source = source
        self.root = root.standardizedFileURL.resolvingSymlinksInPath()
        let ignoreURL = source.folder.appendingPathComponent(".dockerignore")
        if FileSystemEntry.kind(of: ignoreURL) == .file, let data = FileManager.default.contents(atPath: ignoreURL.path) {
            ignore = DockerIgnore(String(decoding: data, as: UTF8.self))
        } else {
            ignore = DockerIgnore("")
        }
        alwaysSent = [source.dockerfilePath, ".dockerignore"]
    }

    func shown(_ relative: String) -> String { relative.isEmpty ? source.shownFolder : ContextSource.join(source.shownFolder, relative) }

    /// The example's own files, which recording writes: never part of its context.
    func isExampleMetadata(_ name: String, in relative: String) -> Bool {
        guard let exampleFolder = source.exampleFolder, relative == exampleFolder else { return false }
        return BuildContext.metadataFiles.contains(name) || name.hasPrefix(BuildContext.temporaryPrefix)
    }

    mutating func run() {
        walk(source.folder, relative: "")
    }

    mutating func walk(_ folder: URL, relative: String) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            // A folder left out of the context that cannot be read is no problem (BuildKit
            // ignores it too); one that is part of it is.
            if relative.isEmpty || !ignore.excludes(relative) {
                problems.append(ExampleCheck.unreadableExampleFile.at(shown(relative), line: 1, "cannot read the folder: \(error.localizedDescription)"))
            }
            return
        }
        listedFolders.append(relative)
        for name in names {
            if isExampleMetadata(name, in: relative) { continue }
            let path = relative.isEmpty ? name : relative + "/" + name
            let url = folder.appendingPathComponent(name)
            let excluded = !alwaysSent.contains(path) && ignore.excludes(path)
            switch FileSystemEntry.kind(of: url) {
            case .directory:
                // A folder left out is read only when something inside it may be kept: a `!`
                // pattern that could match below it, or the Dockerfile.
                if excluded && !ignore.mayKeepSomethingBelow(path) && !alwaysSent.contains(where: { $0.hasPrefix(path + "/") }) {
                    continue
                }
                if skipsFolder(url) { continue }
                walk(url, relative: path)
            case .file:
                if excluded { continue }
                guard readsFiles else {
                    entries.append(BuildContext.Entry(path: path, kind: .file, bytes: []))
                    continue
                }
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    problems.append(ExampleCheck.unreadableExampleFile.at(shown(path), line: 1, "cannot read the file"))
                    continue
                }
                entries.append(BuildContext.Entry(path: path, kind: .file, bytes: [UInt8](data)))
            case .symlink:
                if excluded { continue }
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? ""
                guard FileSystemEntry.isInside(url, root: root) else {
                    problems.append(ExampleCheck.outsideRoot.at(
                        shown(path), line: 1,
                        "a symbolic link to \(target), outside the knowledge base: refused, not read (copy the file into the example instead)"))
                    continue
                }
                entries.append(BuildContext.Entry(path: path, kind: .symlink, bytes: Array(target.utf8)))
            case .other:
                if excluded { continue }
                problems.append(ExampleCheck.unreadableExampleFile.at(shown(path), line: 1, "not a file or a folder (a device, socket or pipe): cannot be part of a build context"))
            case .missing:
                if excluded { continue }
                problems.append(ExampleCheck.unreadableExampleFile.at(shown(path), line: 1, "vanished while it was being read"))
            }
        }
    }
}
