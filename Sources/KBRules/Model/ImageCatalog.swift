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
    /// Which entries name each image exactly, and the prefix patterns (`gcr.io/distroless/*`)
    /// with their entries: every stage of every Dockerfile asks, so no scan of the table.
    private let entriesByName: [String: [Int]]
    private let prefixes: [(prefix: String, entry: Int)]

    public init(entries: [Entry]) {
        self.entries = entries
        var byName: [String: [Int]] = [:]
        var prefixes: [(prefix: String, entry: Int)] = []
        for (index, entry) in entries.enumerated() {
            for image in entry.images {
                if image.hasSuffix("*") {
                    prefixes.append((String(image.dropLast()), index))
                } else if byName[image]?.last != index {
                    byName[image, default: []].append(index)
                }
            }
        }
        entriesByName = byName
        self.prefixes = prefixes
    }

    /// The traits of an image, or nil when kb does not know it.
    public func traits(of reference: ImageReference) -> ImageTraits? {
        let name = reference.name
        var candidates = entriesByName[name] ?? []
        for (prefix, entry) in prefixes where name.hasPrefix(prefix) { candidates.append(entry) }
        // First match in table order wins, as the table is read.
        for index in candidates.sorted() where entries[index].tag.matches(reference) {
            var traits = entries[index].traits.named(reference.repository)
            if traits.java != nil, traits.javaVersion == nil { traits.javaVersion = javaVersion(reference) }
            if reference.repository == "golang", let version = reference.majorMinorVersion {
                traits.goMajor = version.0
                traits.goMinor = version.1
            }
            return traits
        }
        return nil
    }

    /// `21-jdk` → 21, `8u392-jre` → 8, `1.8` → 8; nil without a version (latest).
    private func javaVersion(_ reference: ImageReference) -> Int? {
        if let (major, minor) = reference.majorMinorVersion, major == 1 { return minor }
        return reference.majorVersion
    }
}
