import Foundation

/// The text files of a build context that the analysis reads: Go sources (for imports
/// that need cgo), go.mod, Cargo.toml, pom.xml, requirements files. Read once, bounded.
public struct BuildContextFiles: Sendable {
    /// Path relative to the context → text.
    public let files: [String: String]

    public init(files: [String: String]) { self.files = files }

    static let interesting: Set<String> = ["go.mod", "Cargo.toml", "pom.xml", "package.json"]
    static let limits = (files: 5_000, bytesPerFile: 1 << 20)

    /// Reads a context folder; symbolic links and anything outside the folder are skipped.
    public static func load(folder: URL) -> BuildContextFiles {
        var files: [String: String] = [:]
        let root = folder.standardizedFileURL.resolvingSymlinksInPath()
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isSymbolicLinkKey, .isRegularFileKey, .fileSizeKey],
            options: [.skipsHiddenFiles]) else { return BuildContextFiles(files: [:]) }
        var seen = 0
        for case let url as URL in enumerator {
            seen += 1
            if seen > limits.files { break }
            let name = url.lastPathComponent
            guard name.hasSuffix(".go") || interesting.contains(name) || (name.hasPrefix("requirements") && name.hasSuffix(".txt")) else { continue }
            guard let values = try? url.resourceValues(forKeys: [.isSymbolicLinkKey, .isRegularFileKey, .fileSizeKey]),
                  values.isSymbolicLink != true, values.isRegularFile == true,
                  (values.fileSize ?? 0) <= limits.bytesPerFile,
                  let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count)).drop(while: { $0 == "/" })
            files[String(relative)] = text
        }
        return BuildContextFiles(files: files)
    }

    /// Go import paths of every .go file (the `import` clauses only).
    public var goImports: Set<String> {
        var imports: Set<String> = []
        for (path, text) in files where path.hasSuffix(".go") {
            imports.formUnion(Self.imports(inGoSource: text))
        }
        return imports
    }

    public var hasGoSources: Bool { files.keys.contains { $0.hasSuffix(".go") } }

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
