/// An image name as written after `FROM` or in `COPY --from`, split into its parts:
/// `[registry/][namespace/]repository[:tag][@digest]`.
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// Registry host, when one is named (`gcr.io`, `localhost:5000`); nil for Docker Hub.
    public let registry: String?
    /// Path below the registry, lower-cased, without Docker Hub's `library/`: `golang`,
    /// `distroless/static-debian12`, `bitnami/python`.
    public let path: String
    public let tag: String?
    public let digest: String?
    /// The last path component: `golang`, `static-debian12`.
    public let repository: String
    /// Registry and path, the key the image catalog is indexed by: `golang`, `gcr.io/distroless/static`.
    public let name: String

    /// Parses a reference; nil for text that cannot be an image name (empty, spaces, `$`).
    public init?(_ text: String) {
        // On the UTF-8 bytes: every separator is ASCII (this runs for every FROM and --from).
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, !bytes.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: "$") }) else { return nil }
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        var end = bytes.count
        var digest: String?
        if let at = bytes.firstIndex(of: UInt8(ascii: "@")) {
            digest = string((at + 1)..<end)
            end = at
        }
        var tag: String?
        if let colon = bytes[..<end].lastIndex(of: UInt8(ascii: ":")), !bytes[colon..<end].contains(UInt8(ascii: "/")) {
            tag = string((colon + 1)..<end)
            end = colon
        }
        var components = bytes[..<end].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard !components.isEmpty, !components.contains(where: \.isEmpty) else { return nil }
        var registry: String?
        if components.count > 1, let first = components.first,
           first.contains(UInt8(ascii: ".")) || first.contains(UInt8(ascii: ":")) || first.elementsEqual("localhost".utf8) {
            registry = String(decoding: first, as: UTF8.self).lowercased()
            components.removeFirst()
        }
        if registry == "docker.io" || registry == "index.docker.io" || registry == "registry-1.docker.io" { registry = nil }
        if registry == nil, components.count == 2, components[0].elementsEqual("library".utf8) { components.removeFirst() }
        let path = components.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/").lowercased()
        self.registry = registry
        self.path = path
        self.tag = tag
        self.digest = digest
        repository = String(path.split(separator: "/").last ?? Substring(path))
        name = registry.map { "\($0)/\(path)" } ?? path
    }

    public var tagText: String { tag?.lowercased() ?? "" }

    public var description: String {
        var text = name
        if let tag { text += ":" + tag }
        if let digest { text += "@" + digest }
        return text
    }

    /// The leading number of the tag: `21` in `21-jdk`, `3` in `3.12-slim`, `1` in `1.22`.
    public var majorVersion: Int? {
        let digits = tagText.prefix(while: \.isNumber)
        return Int(digits)
    }

    /// `1.22` → (1, 22) for tags such as `1.22-bookworm`.
    public var majorMinorVersion: (Int, Int)? {
        let parts = tagText.split(whereSeparator: { !$0.isNumber }).prefix(2)
        guard parts.count == 2, let major = Int(parts[parts.startIndex]), let minor = Int(parts[parts.index(after: parts.startIndex)]),
              tagText.hasPrefix(String(parts[parts.startIndex]) + ".") else { return nil }
        return (major, minor)
    }
}
