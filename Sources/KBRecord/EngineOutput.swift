import Foundation
import KBContent

/// What an engine says about a built image.
public struct ImageFacts: Sendable, Equatable {
    public var sizeBytes: Int
    public var layers: Int
    /// `os/architecture[/variant]`.
    public var platform: String
    /// What the image runs: its ENTRYPOINT then its CMD (Docker's rule).
    public var command: [String]

    public init(sizeBytes: Int, layers: Int, platform: String, command: [String]) {
        self.sizeBytes = sizeBytes
        self.layers = layers
        self.platform = platform
        self.command = command
    }
}

/// The JSON the engines print, read into kb's terms. Pure functions over the text, so they
/// are tested on output captured from real engines (Tests/KBRecordTests/Fixtures/engine-output).
public enum EngineOutput {
    public struct Unexpected: Error, CustomStringConvertible, Sendable, Equatable {
        /// What kb was reading, like "buildah inspect".
        public let source: String
        public let reason: String
        /// The start of what the engine printed, for the message.
        public let excerpt: String
        public var description: String {
            "unexpected output from \(source): \(reason)" + (excerpt.isEmpty ? " (it printed nothing)" : "; it printed: \(excerpt)")
        }
    }

    static func unexpected(_ source: String, _ reason: String, _ text: String) -> Unexpected {
        var excerpt = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        if excerpt.count > 200 { excerpt = String(excerpt.prefix(197)) + "…" }
        return Unexpected(source: source, reason: reason, excerpt: excerpt)
    }

    static func json(_ text: String, _ source: String) throws(Unexpected) -> JSONNode {
        do {
            return try JSONNode.parse(text)
        } catch {
            throw unexpected(source, "not JSON (\(error.message) at \(error.line):\(error.column))", text)
        }
    }

    // MARK: versions

    /// `docker version --format '{{json .}}'`: the server's version (the daemon builds and runs).
    /// A client without a reachable daemon prints `"Server":null`.
    public static func dockerVersion(_ text: String) throws(Unexpected) -> String {
        let root = try json(text, "docker version")
        guard let server = root.member("Server"), server.members != nil else {
            throw unexpected("docker version", "no Docker daemon answered (\"Server\" is null)", text)
        }
        guard let version = server.member("Version")?.string, !version.isEmpty else {
            throw unexpected("docker version", "no Server.Version", text)
        }
        return version
    }

    /// `podman version --format json`: the server's version when podman talks to a service,
    /// else the client's (podman runs containers itself).
    public static func podmanVersion(_ text: String) throws(Unexpected) -> String {
        let root = try json(text, "podman version")
        for side in ["Server", "Client"] {
            if let version = root.member(side)?.member("Version")?.string, !version.isEmpty { return version }
        }
        throw unexpected("podman version", "no Client.Version", text)
    }

    /// `buildah version --json`.
    public static func buildahVersion(_ text: String) throws(Unexpected) -> String {
        let root = try json(text, "buildah version")
        guard let version = root.member("version")?.string, !version.isEmpty else {
            throw unexpected("buildah version", "no \"version\"", text)
        }
        return version
    }

    // MARK: images

    /// `docker image inspect IMAGE` and `podman image inspect IMAGE`: a list of one object
    /// with `Size`, `RootFS.Layers`, `Os`, `Architecture`, `Variant` and `Config`.
    public static func imageInspect(_ text: String, source: String) throws(Unexpected) -> ImageFacts {
        let root = try json(text, source)
        guard let image = root.elements?.first ?? (root.members != nil ? root : nil), image.members != nil else {
            throw unexpected(source, "expected a list with one image", text)
        }
        guard let size = image.member("Size")?.integer, size >= 0 else {
            throw unexpected(source, "no image size (\"Size\")", text)
        }
        guard let layers = image.member("RootFS")?.member("Layers")?.elements else {
            throw unexpected(source, "no layer list (\"RootFS.Layers\")", text)
        }
        let platform = try platformOf(
            os: image.member("Os")?.string, architecture: image.member("Architecture")?.string,
            variant: image.member("Variant")?.string, source: source, text: text)
        let config = image.member("Config")
        let command = strings(config?.member("Entrypoint")) + strings(config?.member("Cmd"))
        return ImageFacts(sizeBytes: size, layers: layers.count, platform: platform, command: command)
    }

    /// `buildah inspect --type image IMAGE`: the OCI config and manifest of the image as
    /// stored. Size is the sum of the manifest's layer sizes (uncompressed, as buildah stores
    /// them); layers are the config's `rootfs.diff_ids`.
    public static func buildahInspect(_ text: String) throws(Unexpected) -> ImageFacts {
        let source = "buildah inspect"
        let root = try json(text, source)
        guard root.members != nil else { throw unexpected(source, "expected an object", text) }
        guard let manifestText = root.member("Manifest")?.string else { throw unexpected(source, "no \"Manifest\"", text) }
        let manifest = try json(manifestText, "buildah inspect (Manifest)")
        guard let manifestLayers = manifest.member("layers")?.elements else {
            throw unexpected(source, "the manifest has no \"layers\"", manifestText)
        }
        var size = 0
        for layer in manifestLayers {
            guard let bytes = layer.member("size")?.integer, bytes >= 0 else {
                throw unexpected(source, "a manifest layer without a size", manifestText)
            }
            size += bytes
        }
        guard let config = root.member("OCIv1"), config.members != nil else { throw unexpected(source, "no \"OCIv1\" config", text) }
        guard let diffIDs = config.member("rootfs")?.member("diff_ids")?.elements else {
            throw unexpected(source, "no \"OCIv1.rootfs.diff_ids\"", text)
        }
        let platform = try platformOf(
            os: config.member("os")?.string, architecture: config.member("architecture")?.string,
            variant: config.member("variant")?.string, source: source, text: text)
        let runConfig = config.member("config")
        let command = strings(runConfig?.member("Entrypoint")) + strings(runConfig?.member("Cmd"))
        return ImageFacts(sizeBytes: size, layers: diffIDs.count, platform: platform, command: command)
    }

    /// The last line of `buildah from` (the working container's name).
    public static func containerName(_ text: String, source: String) throws(Unexpected) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let name = lines.last, !name.contains(" ") else {
            throw unexpected(source, "expected the name of a working container", text)
        }
        return name
    }

    private static func strings(_ node: JSONNode?) -> [String] {
        node?.elements?.compactMap(\.string) ?? []
    }

    private static func platformOf(os: String?, architecture: String?, variant: String?, source: String, text: String) throws(Unexpected) -> String {
        guard let os, !os.isEmpty, let architecture, !architecture.isEmpty else {
            throw unexpected(source, "no operating system and architecture", text)
        }
        if let variant, !variant.isEmpty { return "\(os)/\(architecture)/\(variant)" }
        return "\(os)/\(architecture)"
    }
}
