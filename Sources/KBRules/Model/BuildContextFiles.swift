import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text files of a build context that the analysis reads: Go sources (for imports
/// that need cgo), go.mod, Cargo.toml, pom.xml, requirements files. Read once, bounded.
public struct BuildContextFiles: Sendable {
    /// Path relative to the context → text.
    public let files: [String: String]

    public init(files: [String: String]) {
        self.files = files
        var imports: Set<String> = []
        var hasGo = false
        for (path, text) in files where path.hasSuffix(".go") {
            hasGo = true
            imports.formUnion(Self.imports(inGoSource: text))
        }
        self.goImports = imports
        self.hasGoSources = hasGo
    }

    static let interesting: Set<String> = ["go.mod", "Cargo.toml", "pom.xml", "package.json"]
    static let limits = (files: 5_000, bytesPerFile: 1 << 20)

    /// Reads a context folder; symbolic links, hidden files and anything outside the folder
    /// are skipped. Walks the folder with readdir: `kb lint` loads one context per Dockerfile.
    public static func load(folder: URL) -> BuildContextFiles {
        var files: [String: String] = [:]
        let standardized = folder.standardizedFileURL.path
        guard let resolved = realpath(standardized, nil) else { return BuildContextFiles(files: [:]) }
        let root = String(cString: resolved)
        free(resolved)
        var seen = 0
        var pending = [""]
        walk: while let relative = pending.popLast() {
            guard let directory = opendir(relative.isEmpty ? root : root + "/" + relative) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                // d_name is read in place: a dirent is only as long as its name, so copying the
                // declared 256-byte field can read past the end of readdir's buffer.
                let name = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
                if name.hasPrefix(".") { continue }
                seen += 1
                if seen > limits.files { break walk }
                let path = relative.isEmpty ? name : relative + "/" + name
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    guard lstat(root + "/" + path, &info) == 0 else { continue }
                    type = info.st_mode & S_IFMT == S_IFDIR ? UInt8(DT_DIR) : info.st_mode & S_IFMT == S_IFREG ? UInt8(DT_REG) : UInt8(DT_LNK)
                }
                if type == UInt8(DT_DIR) {
                    pending.append(path)
                    continue
                }
                guard type == UInt8(DT_REG), isInteresting(name) else { continue }
                var info = stat()
                guard lstat(root + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= limits.bytesPerFile,
                      let data = FileManager.default.contents(atPath: root + "/" + path),
                      let text = String(data: data, encoding: .utf8) else { continue }
                files[path] = text
            }
        }
        return BuildContextFiles(files: files)
    }

    /// The files the analysis reads, picked from files already read (a build context that
    /// honours `.dockerignore`): `/`-separated path relative to the context → bytes. The same
    /// files `load(folder:)` would pick: no hidden ones, bounded in number and size.
    public static func select(_ candidates: some Sequence<(String, [UInt8])>) -> BuildContextFiles {
        var files: [String: String] = [:]
        var seen = 0
        for (path, bytes) in candidates {
            let segments = path.split(separator: "/")
            guard let name = segments.last, !segments.contains(where: { $0.hasPrefix(".") }) else { continue }
            seen += 1
            if seen > limits.files { break }
            guard isInteresting(String(name)), bytes.count <= limits.bytesPerFile,
                  let text = String(validating: bytes, as: UTF8.self) else { continue }
            files[path] = text
        }
        return BuildContextFiles(files: files)
    }

    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    static func isInteresting(_ name: String) -> Bool {
        name.hasSuffix(".go") || interesting.contains(name) || (name.hasPrefix("requirements") && name.hasSuffix(".txt"))
    }

    /// Go import paths of every .go file (the `import` clauses only), read once.
    public let goImports: Set<String>

    public let hasGoSources: Bool

    static func imports(inGoSource text: String) -> Set<String> {
        var imports: Set<String> = []
        var inBlock = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if inBlock {
                if line.hasPrefix(")") { inBlock = false; continue }
                if let path = quoted(line) { imports.insert(path) }
            } else if line.hasPrefix("import (") || line == "import(" {
                inBlock = true
            } else if line.hasPrefix("import ") {
                if let path = quoted(line) { imports.insert(path) }
            } else if line.hasPrefix("func ") || line.hasPrefix("type ") || line.hasPrefix("var ") {
                break  // imports come before declarations
            }
        }
        return imports
    }

    private static func quoted(_ line: String) -> String? {
        guard let open = line.firstIndex(where: { $0 == "\"" || $0 == "`" }) else { return nil }
        let rest = line[line.index(after: open)...]
        guard let close = rest.firstIndex(where: { $0 == "\"" || $0 == "`" }) else { return nil }
        return String(rest[..<close])
    }
}
