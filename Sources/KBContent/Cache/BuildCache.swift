import Foundation
import KBParallel
import KBMarkdown
import KBRules

/// What the build cache keeps of an article: enough for every other page and check, so an
/// unchanged article is neither read nor parsed again. Copied as one reference (its fields
/// live in a shared box, copied on write): the cache hands records from dictionary to
/// dictionary to article, ten thousand times a build.
public struct ArticleRecord: Sendable {
    private final class Box: @unchecked Sendable {
        var fingerprint: FileFingerprint
        var contentHash: UInt64
        var frontMatter: FrontMatter
        var headings: [Heading]
        var anchors: [String]
        var links: [Link]
        var bodyLineOffset: Int
        var check: CachedCheck?
        var searchLine: String?
        var linkCheck: CachedLinks?

        init(
            fingerprint: FileFingerprint, contentHash: UInt64, frontMatter: FrontMatter, headings: [Heading], anchors: [String],
            links: [Link], bodyLineOffset: Int, check: CachedCheck?, searchLine: String?, linkCheck: CachedLinks?
        ) {
            self.fingerprint = fingerprint
            self.contentHash = contentHash
            self.frontMatter = frontMatter
            self.headings = headings
            self.anchors = anchors
            self.links = links
            self.bodyLineOffset = bodyLineOffset
            self.check = check
            self.searchLine = searchLine
            self.linkCheck = linkCheck
        }

        func copy() -> Box {
            Box(fingerprint: fingerprint, contentHash: contentHash, frontMatter: frontMatter, headings: headings, anchors: anchors,
                links: links, bodyLineOffset: bodyLineOffset, check: check, searchLine: searchLine, linkCheck: linkCheck)
        }
    }

    private var box: Box

    public init(
        fingerprint: FileFingerprint, contentHash: UInt64, frontMatter: FrontMatter, headings: [Heading], anchors: [String],
        links: [Link], bodyLineOffset: Int, check: CachedCheck? = nil, searchLine: String? = nil, linkCheck: CachedLinks? = nil
    ) {
        box = Box(
            fingerprint: fingerprint, contentHash: contentHash, frontMatter: frontMatter, headings: headings, anchors: anchors,
            links: links, bodyLineOffset: bodyLineOffset, check: check, searchLine: searchLine, linkCheck: linkCheck)
    }

    private mutating func unique() -> Box {
        if !isKnownUniquelyReferenced(&box) { box = box.copy() }
        return box
    }

    public var fingerprint: FileFingerprint {
        get { box.fingerprint }
        set { unique().fingerprint = newValue }
    }

    public var contentHash: UInt64 {
        get { box.contentHash }
        set { unique().contentHash = newValue }
    }

    public var frontMatter: FrontMatter {
        get { box.frontMatter }
        set { unique().frontMatter = newValue }
    }

    public var headings: [Heading] {
        get { box.headings }
        set { unique().headings = newValue }
    }

    /// The headings' anchors (kept: making them again costs more than reading them).
    public var anchors: [String] {
        get { box.anchors }
        set { unique().anchors = newValue }
    }

    public var links: [Link] {
        get { box.links }
        set { unique().links = newValue }
    }

    public var bodyLineOffset: Int {
        get { box.bodyLineOffset }
        set { unique().bodyLineOffset = newValue }
    }

    /// The article's checks (blocks, tables, figures), valid while `check.key` matches.
    public var check: CachedCheck? {
        get { box.check }
        set { unique().check = newValue }
    }

    /// The article's line of the search index, valid while the article is unchanged.
    public var searchLine: String? {
        get { box.searchLine }
        set { unique().searchLine = newValue }
    }

    /// Where the article's links lead and which are broken, valid while `links.key` matches
    /// (the article unchanged, and no article, anchor, content file or example come or gone).
    public var linkCheck: CachedLinks? {
        get { box.linkCheck }
        set { unique().linkCheck = newValue }
    }
}

/// An article's resolved links as the cache keeps them.
public struct CachedLinks: Sendable {
    public var key: UInt64
    public var problems: [Diagnostic]
    public var hrefs: [String]
}

/// An article's check results as the cache keeps them: its findings, and of its dockerfile
/// blocks only what other pages list (which example a block includes, what it expects).
public struct CachedCheck: Sendable {
    public var key: UInt64
    public var diagnostics: [Diagnostic]
    public var blocks: [BlockReference]
    /// Rules the article's blocks expect of each example, sorted.
    public var expectedByExample: [String: [String]]

    public struct BlockReference: Sendable {
        public var line: Int
        public var bodyLine: Int
        public var exampleSlug: String?
        public var expected: [String]
    }
}

/// The build cache of one output folder: a folder beside it (`.Site.kb-cache/`) holding what
/// was learnt of each article. Every entry is tied to the hash of what it was made from, so a
/// stale entry is never used; a cache that cannot be read is ignored, never an error.
public final class BuildCache: @unchecked Sendable {
    public let folder: URL
    /// Everything outside the articles that their checks and pages depend on: the kb binary,
    /// kb.yaml, Examples/ and Content/data/, the options. Part of every key.
    public let signature: UInt64
    private var previous: [String: ArticleRecord] = [:]
    private var next: [String: ArticleRecord] = [:]
    /// Shards whose records changed in this build (or could not be read): only they are
    /// written again, so a build after one edit writes one small file.
    private var dirtyShards: Set<Int> = []
    private let lock = NSLock()

    static let shardCount = 16
    static let formatVersion: UInt64 = 4
    public static let markerName = ".kb-cache"
    static let markerText = "The build cache of `kb build`: safe to delete, rebuilt when missing.\n"

    /// The cache folder for an output folder: `.NAME.kb-cache` beside it.
    public static func folder(for output: URL) -> URL {
        let output = output.standardizedFileURL
        return output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).kb-cache")
    }

    /// Opens (or starts) the cache beside `output` for the knowledge base at `root`.
    public init(output: URL, root: URL, displayRoot: String, includeDrafts: Bool) {
        folder = BuildCache.folder(for: output)
        signature = BuildCache.signature(root: root, displayRoot: displayRoot, includeDrafts: includeDrafts)
        // The shards are read on every core, then joined.
        let folder = self.folder, signature = self.signature
        let shards = Parallel.map(Array(0..<BuildCache.shardCount)) { shard in
            try? BuildCache.read(BuildCache.shardFile(shard, in: folder), signature: signature)
        }
        previous.reserveCapacity(shards.reduce(0) { $0 + ($1?.count ?? 0) })
        for (shard, records) in shards.enumerated() {
            if let records {
                previous.merge(records) { a, _ in a }
            } else {
                dirtyShards.insert(shard)
            }
        }
    }

    private func shardFile(_ shard: Int) -> URL { BuildCache.shardFile(shard, in: folder) }

    private static func shardFile(_ shard: Int, in folder: URL) -> URL {
        folder.appendingPathComponent(String(format: "articles-%02d", shard))
    }

    static func shard(of path: String) -> Int { Int(StableHash.of(path) % UInt64(shardCount)) }

    /// One article's record as the cache beside `output` holds it, reading only its shard.
    public static func record(of path: String, output: URL, signature: UInt64) -> ArticleRecord? {
        let file = shardFile(shard(of: path), in: folder(for: output))
        return (try? read(file, signature: signature))?[path]
    }

    /// The record of an article from the previous build, if there is one.
    public func previousRecord(for path: String) -> ArticleRecord? { previous[path] }

    /// Keeps a record for the next build: `changed` when it is new or differs from the
    /// previous build's.
    public func keep(_ record: ArticleRecord, for path: String, changed: Bool = true) {
        lock.lock()
        next[path] = record
        if changed { dirtyShards.insert(BuildCache.shard(of: path)) }
        lock.unlock()
    }

    public func update(_ path: String, _ change: (inout ArticleRecord) -> Void) {
        lock.lock()
        if let index = next.index(forKey: path) {
            change(&next.values[index])  // in place, not a copy of the record and back
            dirtyShards.insert(BuildCache.shard(of: path))
        }
        lock.unlock()
    }

    /// One part of an article's record, read in place: a record holds dozens of strings and
    /// lists, and copying all of it for each article to read one field showed in profiles.
    public func field<Value>(of path: String, _ read: (borrowing ArticleRecord) -> Value?) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        guard let index = next.index(forKey: path) else { return nil }
        return read(next.values[index])
    }

    /// Writes what this build learnt, atomically shard by shard: a killed build leaves each
    /// shard either as it was or as new, and every record is checked against what it was
    /// made from when read, so a mix of old and new shards is still correct.
    public func save() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let marker = folder.appendingPathComponent(BuildCache.markerName)
        if !FileManager.default.fileExists(atPath: marker.path) {
            try Data(BuildCache.markerText.utf8).write(to: marker)
        }
        lock.lock()
        var dirty = dirtyShards
        for path in previous.keys where next[path] == nil { dirty.insert(BuildCache.shard(of: path)) }
        var byShard: [Int: [(String, ArticleRecord)]] = [:]
        for (path, record) in next {
            let shard = BuildCache.shard(of: path)
            if dirty.contains(shard) { byShard[shard, default: []].append((path, record)) }
        }
        lock.unlock()
        for shard in dirty.sorted() {
            var writer = BinaryWriter()
            writer.write(BuildCache.formatVersion)
            writer.write(signature)
            let records = (byShard[shard] ?? []).sorted { $0.0 < $1.0 }
            writer.write(records.count)
            for (path, record) in records {
                writer.write(path)
                BuildCache.write(record, to: &writer)
            }
            try Data(writer.bytes).write(to: shardFile(shard), options: .atomic)
        }
    }

    // MARK: - Signature

    public static func signature(root: URL, displayRoot: String, includeDrafts: Bool) -> UInt64 {
        var hash = StableHash()
        hash.combine(BuildCache.formatVersion)
        // The kb binary itself: a new kb may check or render differently.
        if let binary = FileFingerprint(path: "/proc/self/exe") {
            hash.combine(binary.inode)
            hash.combine(binary.size)
            hash.combine(binary.modified)
        }
        hash.combine(root.path)
        hash.combine(displayRoot)
        hash.combine(includeDrafts)
        hash.combine(ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"])
        if let configuration = FileManager.default.contents(atPath: root.appendingPathComponent("kb.yaml").path) {
            configuration.withUnsafeBytes { hash.combine($0) }
        }
        hash.combine(FolderFingerprint.of(root.appendingPathComponent("Examples")))
        hash.combine(FolderFingerprint.of(root.appendingPathComponent("Content/data")))
        return hash.value
    }

    // MARK: - Format

    static func read(_ url: URL, signature: UInt64) throws -> [String: ArticleRecord] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [:] }
        var reader = BinaryReader([UInt8](data))
        guard try reader.readUInt64() == formatVersion else { return [:] }
        // Another kb, another kb.yaml, other examples: nothing here can be trusted.
        guard try reader.readUInt64() == signature else { return [:] }
        let count = try reader.readCount()
        var records: [String: ArticleRecord] = [:]
        records.reserveCapacity(count)
        for _ in 0..<count {
            let path = try reader.readString()
            records[path] = try readRecord(&reader)
        }
        guard reader.isAtEnd else { throw BinaryReader.Corrupt() }
        return records
    }

    static func write(_ record: ArticleRecord, to writer: inout BinaryWriter) {
        writer.write(record.fingerprint)
        writer.write(record.contentHash)
        let m = record.frontMatter
        writer.write(m.title)
        writer.write(m.summary)
        writer.write(m.tags)
        writer.write(m.order != nil)
        if let order = m.order { writer.write(order) }
        writer.write(m.date)
        writer.write(m.draft)
        writer.write(record.headings.count)
        for heading in record.headings {
            writer.write(heading.level)
            writer.write(heading.text)
            writer.write(heading.line)
        }
        writer.write(record.anchors)
        writer.write(record.links.count)
        for link in record.links {
            writer.write(link.destination)
            writer.write(link.isImage)
            writer.write(link.line)
            writer.write(link.column)
        }
        writer.write(record.bodyLineOffset)
        writer.write(record.check != nil)
        if let check = record.check {
            writer.write(check.key)
            writeDiagnostics(check.diagnostics, to: &writer)
            writer.write(check.blocks.count)
            for block in check.blocks {
                writer.write(block.line)
                writer.write(block.bodyLine)
                writer.write(block.exampleSlug)
                writer.write(block.expected)
            }
            let expected = check.expectedByExample.sorted { $0.key < $1.key }
            writer.write(expected.count)
            for (slug, ids) in expected {
                writer.write(slug)
                writer.write(ids)
            }
        }
        writer.write(record.searchLine)
        writer.write(record.linkCheck != nil)
        if let links = record.linkCheck {
            writer.write(links.key)
            writeDiagnostics(links.problems, to: &writer)
            writer.write(links.hrefs)
        }
    }

    static func writeDiagnostics(_ diagnostics: [Diagnostic], to writer: inout BinaryWriter) {
        writer.write(diagnostics.count)
        for d in diagnostics {
            writer.write(d.file)
            for value in [d.line, d.column, d.endLine, d.endColumn] { writer.write(value) }
            writer.write(d.severity.rawValue)
            writer.write(d.rule)
            writer.write(d.name)
            writer.write(d.message)
        }
    }

    static func readDiagnostics(_ reader: inout BinaryReader) throws -> [Diagnostic] {
        try (0..<reader.readCount()).map { _ -> Diagnostic in
            let file = try reader.readString()
            let (line, column, endLine, endColumn) = (try reader.readInt(), try reader.readInt(), try reader.readInt(), try reader.readInt())
            guard let severity = Severity(rawValue: try reader.readString()) else { throw BinaryReader.Corrupt() }
            return Diagnostic(
                file: file, line: line, column: column, endLine: endLine, endColumn: endColumn, severity: severity,
                rule: try reader.readString(), name: try reader.readString(), message: try reader.readString())
        }
    }

    static func readRecord(_ reader: inout BinaryReader) throws -> ArticleRecord {
        let f = try reader.readFingerprint()
        let contentHash = try reader.readUInt64()
        let title = try reader.readString()
        let summary = try reader.readOptionalString()
        let tags = try reader.readStrings()
        let order = try reader.readBool() ? try reader.readInt() : nil
        let date = try reader.readOptionalString()
        let draft = try reader.readBool()
        let headings = try (0..<reader.readCount()).map { _ in
            Heading(level: try reader.readInt(), text: try reader.readString(), line: try reader.readInt())
        }
        let anchors = try reader.readStrings()
        guard anchors.count == headings.count else { throw BinaryReader.Corrupt() }
        let links = try (0..<reader.readCount()).map { _ in
            Link(destination: try reader.readString(), isImage: try reader.readBool(), line: try reader.readInt(), column: try reader.readInt())
        }
        let bodyLineOffset = try reader.readInt()
        var check: CachedCheck?
        if try reader.readBool() {
            let key = try reader.readUInt64()
            let diagnostics = try readDiagnostics(&reader)
            let blocks = try (0..<reader.readCount()).map { _ in
                CachedCheck.BlockReference(
                    line: try reader.readInt(), bodyLine: try reader.readInt(),
                    exampleSlug: try reader.readOptionalString(), expected: try reader.readStrings())
            }
            var expected: [String: [String]] = [:]
            for _ in 0..<(try reader.readCount()) {
                let slug = try reader.readString()
                expected[slug] = try reader.readStrings()
            }
            check = CachedCheck(key: key, diagnostics: diagnostics, blocks: blocks, expectedByExample: expected)
        }
        let searchLine = try reader.readOptionalString()
        var linkCheck: CachedLinks?
        if try reader.readBool() {
            let key = try reader.readUInt64()
            let problems = try readDiagnostics(&reader)
            let hrefs = try reader.readStrings()
            guard hrefs.count == links.count else { throw BinaryReader.Corrupt() }
            linkCheck = CachedLinks(key: key, problems: problems, hrefs: hrefs)
        }
        return ArticleRecord(
            fingerprint: f, contentHash: contentHash,
            frontMatter: FrontMatter(title: title, summary: summary, tags: tags, order: order, date: date, draft: draft),
            headings: headings, anchors: anchors, links: links, bodyLineOffset: bodyLineOffset, check: check, searchLine: searchLine,
            linkCheck: linkCheck)
    }
}

/// A hash of a folder's file names and fingerprints (not contents): cheap, and any edit shows.
enum FolderFingerprint {
    static func of(_ folder: URL) -> UInt64 {
        var hash = StableHash()
        guard let names = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] else { return hash.value }
        for name in names.sorted() {
            hash.combine(name)
            if let fingerprint = FileFingerprint(path: folder.path + "/" + name) {
                hash.combine(fingerprint.inode)
                hash.combine(fingerprint.size)
                hash.combine(fingerprint.modified)
                hash.combine(fingerprint.changed)
            }
        }
        return hash.value
    }
}
