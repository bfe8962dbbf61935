import Foundation

/// A folder under the system's temporary folder, filled from a dictionary of
/// path → contents, removed when the value is released.
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL

    public init(_ files: [String: String] = [:]) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("kb-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (path, text) in files { try write(path, Data(text.utf8)) }
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public var path: String { url.path }

    public func write(_ path: String, _ data: Data) throws {
        let target = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target)
    }

    public func write(_ path: String, _ text: String) throws { try write(path, Data(text.utf8)) }

    public func read(_ path: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(path), encoding: .utf8)
    }

    public func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(path).path)
    }

    /// Every file below `path`, relative to it, sorted.
    public func files(under path: String) -> [String] {
        let base = url.appendingPathComponent(path)
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var found: [String] = []
        while let item = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base.appendingPathComponent(item).path, isDirectory: &isDirectory),
               !isDirectory.boolValue {
                found.append(item)
            }
        }
        return found.sorted()
    }

    /// Every file below `path` with its bytes, by its path relative to `path`.
    public func contents(under path: String) -> [String: Data] {
        var found: [String: Data] = [:]
        for file in files(under: path) {
            found[file] = FileManager.default.contents(atPath: url.appendingPathComponent(path + "/" + file).path)
        }
        return found
    }
}

/// A well-formed article with the given title and body.
public func article(_ title: String, order: Int? = nil, _ body: String = "") -> String {
    var text = "---\ntitle: \(title)\n"
    if let order { text += "order: \(order)\n" }
    return text + "---\n" + body
}
