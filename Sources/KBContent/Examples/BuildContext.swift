import Foundation
import KBRules

/// The files of an example that a build sees, and their digest: a recording made from a
/// different context is stale.
///
/// The context is every file in the example's folder except `example.yaml`, `results.json`
/// and kb's own temporary files (`.kb-tmp-*`), less what `.dockerignore` leaves out (the
/// Dockerfile and `.dockerignore` always count, as Docker always sends them). See `ContextDigest`
/// for how the digest is made.
public struct BuildContext: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public enum Kind: String, Sendable { case file = "f", symlink = "l" }
        /// `/`-separated path inside the example's folder.
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

    /// Files of the folder that are never part of the context.
    public static let metadataFiles: Set<String> = [ExampleCatalog.manifestName, ResultsFile.fileName]
    /// Prefix of the temporary files kb writes next to results.json before renaming them.
    public static let temporaryPrefix = ".kb-tmp-"

    /// Reads the context of the example folder `folder`, which must lie inside `root`.
    /// `shownFolder` is the folder's path as messages show it. Nothing outside `root` is read:
    /// a symbolic link that leads out of it is reported and its example has no context.
    public static func scan(folder: URL, root: URL, shownFolder: String) -> (context: BuildContext?, diagnostics: [Diagnostic]) {
        var scanner = ContextScanner(root: root.standardizedFileURL.resolvingSymlinksInPath(), shownFolder: shownFolder)
        let ignore: DockerIgnore
        let ignoreURL = folder.appendingPathComponent(".dockerignore")
        if FileSystemEntry.kind(of: ignoreURL) == .file, let data = FileManager.default.contents(atPath: ignoreURL.path) {
            ignore = DockerIgnore(String(decoding: data, as: UTF8.self))
        } else {
            ignore = DockerIgnore("")
        }
        scanner.walk(folder, relative: "", ignore: ignore)
        guard scanner.problems.isEmpty else { return (nil, scanner.problems) }
        return (BuildContext(entries: scanner.entries), [])
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

private struct ContextScanner {
    let root: URL
    let shownFolder: String
    var entries: [BuildContext.Entry] = []
    var problems: [Diagnostic] = []

    init(root: URL, shownFolder: String) {
        self.root = root
        self.shownFolder = shownFolder
    }

    func shown(_ relative: String) -> String { relative.isEmpty ? shownFolder : shownFolder + "/" + relative }

    mutating func walk(_ folder: URL, relative: String, ignore: DockerIgnore) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            problems.append(ExampleCheck.unreadableExampleFile.at(shown(relative), line: 1, "cannot read the folder: \(error.localizedDescription)"))
            return
        }
        for name in names {
            let path = relative.isEmpty ? name : relative + "/" + name
            if relative.isEmpty && (BuildContext.metadataFiles.contains(name) || name.hasPrefix(BuildContext.temporaryPrefix)) { continue }
            let alwaysSent = relative.isEmpty && (name == "Dockerfile" || name == ".dockerignore")
            if !alwaysSent && ignore.excludes(path) {
                // A folder left out may still hold a file a `!` rule keeps: look inside.
                if FileSystemEntry.kind(of: folder.appendingPathComponent(name)) != .directory
                    || !ignore.rules.contains(where: \.keeps)
                {
                    continue
                }
            }
            let url = folder.appendingPathComponent(name)
            switch FileSystemEntry.kind(of: url) {
            case .directory:
                walk(url, relative: path, ignore: ignore)
            case .file:
                if ignore.excludes(path) && !alwaysSent { continue }
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    problems.append(ExampleCheck.unreadableExampleFile.at(shown(path), line: 1, "cannot read the file"))
                    continue
                }
                entries.append(BuildContext.Entry(path: path, kind: .file, bytes: [UInt8](data)))
            case .symlink:
                if ignore.excludes(path) { continue }
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? ""
                guard FileSystemEntry.isInside(url, root: root) else {
                    problems.append(ExampleCheck.outsideRoot.at(
                        shown(path), line: 1,
                        "a symbolic link to \(target), outside the knowledge base: refused, not read (copy the file into the example instead)"))
                    continue
                }
                entries.append(BuildContext.Entry(path: path, kind: .symlink, bytes: Array(target.utf8)))
            case .other:
                problems.append(ExampleCheck.unreadableExampleFile.at(shown(path), line: 1, "not a file or a folder (a device, socket or pipe): cannot be part of a build context"))
            case .missing:
                problems.append(ExampleCheck.unreadableExampleFile.at(shown(path), line: 1, "vanished while it was being read"))
            }
        }
    }
}
