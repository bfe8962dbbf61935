/// What kb knows about well-known base images, kept as data: an ordered table of
/// (image, tag pattern) → traits, first match wins. An image that matches nothing is
/// unknown, and rules that would need its traits stay silent.
public struct ImageCatalog: Sendable {
    public struct Entry: Sendable {
        /// Catalog names (`ImageReference.name`); a trailing `*` matches a prefix.
        public let images: [String]
        public let tag: TagPattern
        public let traits: ImageTraits
        /// Where the traits come from, for the rule pages and for reviewers.
        public let basis: String

        public init(_ images: [String], tag: TagPattern = .any, _ traits: ImageTraits, basis: String) {
            self.images = images
            self.tag = tag
            self.traits = traits
            self.basis = basis
        }
    }

    public enum TagPattern: Sendable {
        case any
        /// The tag contains one of these words (`alpine`, `slim`, `jre`).
        case containsAny([String])
        /// The tag's major.minor version is below this one (`busybox` before 1.35).
        case versionBelow(Int, Int)

        func matches(_ reference: ImageReference) -> Bool {
            switch self {
            case .any:
                return true
            case let .containsAny(words):
                return words.contains { reference.tagText.contains($0) }
            case let .versionBelow(major, minor):
                guard let version = reference.majorMinorVersion else { return false }
                return version < (major, minor)
            }
        }
    }

    public let entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The traits of an image, or nil when kb does not know it.
    public func traits(of reference: ImageReference) -> ImageTraits? {
        for entry in entries where entry.images.contains(where: { matches($0, reference.name) }) && entry.tag.matches(reference) {
            var traits = entry.traits.named(reference.repository)
            if traits.java != nil, traits.javaVersion == nil { traits.javaVersion = javaVersion(reference) }
            if reference.repository == "golang", let version = reference.majorMinorVersion {
                traits.goMajor = version.0
                traits.goMinor = version.1
            }
            return traits
        }
        return nil
    }

    private func matches(_ pattern: String, _ name: String) -> Bool {
        if pattern.hasSuffix("*") { return name.hasPrefix(pattern.dropLast()) }
        return pattern == name
    }

    /// `21-jdk` → 21, `8u392-jre` → 8, `1.8` → 8; nil without a version (latest).
    private func javaVersion(_ reference: ImageReference) -> Int? {
        if let (major, minor) = reference.majorMinorVersion, major == 1 { return minor }
        return reference.majorVersion
    }
}
