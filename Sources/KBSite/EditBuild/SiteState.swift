import Foundation
import KBContent
import KBParallel
import KBRules

/// What an edit build (`EditBuild`) needs to know of the site at the output, written by the
/// build that made it: the files of Content/ as they were, and for each article what other
/// pages use of it, where its page's neighbours are, and where its findings and its line of
/// the search index sit in the report and the index. It describes one generation of the site
/// in the manifests (`SiteManifests`) and is trusted only while the output is that generation.
struct SiteState {
    /// The site's generation in the manifests.
    var generation: UInt64
    /// Everything outside Content/ that the site was made from (see `EditBuild.signature`).
    var signature: UInt64
    /// `Checker.linkTargetsSignature` of the knowledge base.
    var linkTargets: UInt64
    var filesWritten: Int
    var listing: ContentListing
    /// A hash of the walk's problems (unsafe names, links leading out), which are not files.
    var listingProblems: UInt64
    /// Articles of the site, in path order.
    var articles: [Entry]
    /// The report as printed (one line per finding, `format`), and the search index's size.
    var format: String
    var report: [UInt8]
    var searchIndexSize: Int

    struct Entry {
        /// Which of `listing.articles` this is.
        var file: Int
        var contentHash: UInt64
        /// False when an edit of this article always needs a cached build (other checks have
        /// findings in its file).
        var editable: Bool
        var title: String
        var slug: String
        /// Indexes in `articles` of its neighbours in the home page's order, or -1.
        var previous: Int
        var next: Int
        /// Bytes of its line in search-index.js, and of its findings in the report.
        var search: Range<Int>
        var report: Range<Int>
        /// Its findings by severity, in `Severity.allCases` order.
        var counts: [Int]
    }

    static let fileName = "edit-state"
    static let formatVersion: UInt64 = 2

    /// Findings of the report that are no article's own (examples, problems found while
    /// reading), by severity in `Severity.allCases` order.
    var otherCounts: [Int]

    var totalCounts: [Int] {
        articles.reduce(otherCounts) { total, entry in zip(total, entry.counts).map { $0 + $1 } }
    }

    // MARK: - Format

    static func read(_ url: URL) -> SiteState? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        var reader = BinaryReader([UInt8](data))
        do {
            guard try reader.readUInt64() == formatVersion else { return nil }
            let generation = try reader.readUInt64(), signature = try reader.readUInt64(), linkTargets = try reader.readUInt64()
            let filesWritten = try reader.readInt()
            let listingProblems = try reader.readUInt64()
            let articles = try readFiles(&reader), others = try readFiles(&reader)
            let format = try reader.readString()
            let otherCounts = try (0..<Severity.allCases.count).map { _ in try reader.readInt() }
            let count = try reader.readCount()
            var entries: [Entry] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let file = try reader.readInt()
                guard articles.indices.contains(file) else { throw BinaryReader.Corrupt() }
                let contentHash = try reader.readUInt64(), editable = try reader.readBool()
                let title = try reader.readString(), slug = try reader.readString()
                let previous = try reader.readInt(), next = try reader.readInt()
                let searchStart = try reader.readInt(), searchCount = try reader.readInt()
                let reportStart = try reader.readInt(), reportCount = try reader.readInt()
                let counts = try (0..<Severity.allCases.count).map { _ in try reader.readInt() }
                guard searchStart >= 0, searchCount >= 0, reportStart >= 0, reportCount >= 0 else { throw BinaryReader.Corrupt() }
                entries.append(Entry(
                    file: file, contentHash: contentHash, editable: editable, title: title, slug: slug, previous: previous, next: next,
                    search: searchStart..<searchStart + searchCount, report: reportStart..<reportStart + reportCount, counts: counts))
            }
            let searchIndexSize = try reader.readInt()
            let report = try reader.readBytes()
            guard reader.isAtEnd, entries.allSatisfy({ $0.report.upperBound <= report.count && $0.search.upperBound <= searchIndexSize })
            else { return nil }
            return SiteState(
                generation: generation, signature: signature, linkTargets: linkTargets, filesWritten: filesWritten,
                listing: ContentListing(articles: articles, otherFiles: others, diagnostics: []), listingProblems: listingProblems,
                articles: entries, format: format, report: report, searchIndexSize: searchIndexSize, otherCounts: otherCounts)
        } catch {
            return nil
        }
    }

    /// Written whole and renamed into place: a reader sees the old state or the new one.
    func write(to url: URL) throws {
        var writer = BinaryWriter()
        writer.write(SiteState.formatVersion)
        writer.write(generation)
        writer.write(signature)
        writer.write(linkTargets)
        writer.write(filesWritten)
        writer.write(listingProblems)
        SiteState.write(listing.articles, to: &writer)
        SiteState.write(listing.otherFiles, to: &writer)
        writer.write(format)
        for count in otherCounts { writer.write(count) }
        writer.write(articles.count)
        for entry in articles {
            writer.write(entry.file)
            writer.write(entry.contentHash)
            writer.write(entry.editable)
            writer.write(entry.title)
            writer.write(entry.slug)
            writer.write(entry.previous)
            writer.write(entry.next)
            for value in [entry.search.lowerBound, entry.search.count, entry.report.lowerBound, entry.report.count] { writer.write(value) }
            for count in entry.counts { writer.write(count) }
        }
        writer.write(searchIndexSize)
        writer.write(bytes: report)
        try Data(writer.bytes).write(to: url, options: .atomic)
    }

    private static func write(_ files: [ContentListing.File], to writer: inout BinaryWriter) {
        writer.write(files.count)
        for file in files {
            writer.write(file.path)
            writer.write(file.fingerprint != nil)
            if let fingerprint = file.fingerprint { writer.write(fingerprint) }
        }
    }

    private static func readFiles(_ reader: inout BinaryReader) throws -> [ContentListing.File] {
        try (0..<reader.readCount()).map { _ in
            let path = try reader.readString()
            return ContentListing.File(path: path, fingerprint: try reader.readBool() ? try reader.readFingerprint() : nil)
        }
    }

    static func problemsHash(_ diagnostics: [Diagnostic]) -> UInt64 {
        var hash = StableHash()
        for d in diagnostics {
            hash.combine(d.file)
            hash.combine(d.line)
            hash.combine(d.rule)
            hash.combine(d.message)
        }
        return hash.value
    }
}

extension SiteState {
    /// Everything outside Content/ that a site is made from: the cache's signature (kb, kb.yaml,
    /// Examples/, Content/data/, options), the theme, build contexts outside Examples/, and
    /// the report's format.
    static func signature(cache: UInt64, theme: UInt64, contexts: UInt64, format: ReportFormat) -> UInt64 {
        var hash = StableHash()
        hash.combine(SiteContext.pageSignature(cache: cache, theme: theme, contexts: contexts))
        hash.combine(format.rawValue)
        return hash.value
    }

    /// The state of the site a build with the cache has just made; nil when its report is not
    /// one line per finding, or not in the order of its findings.
    init?(
        _ knowledgeBase: KnowledgeBase, checked: CheckReport, report: SiteRenderer.PrintedReport, made: SiteRenderer.Made,
        generation: UInt64, filesWritten: Int, signature: UInt64
    ) {
        guard let linkTargets = checked.linkTargets, report.lines.count == checked.diagnostics.count else { return nil }
        // Each file's findings are together in the report (sorted by file first).
        var reportBytes = [UInt8]()
        var byFile: [String: (range: Range<Int>, counts: [Int])] = [:]
        var files: [(file: String, start: Int)] = []
        var otherCounts = [Int](repeating: 0, count: Severity.allCases.count)
        for (diagnostic, line) in zip(checked.diagnostics, report.lines) {
            let start = reportBytes.count
            reportBytes.append(contentsOf: line.utf8)
            let severity = Severity.allCases.firstIndex(of: diagnostic.severity)!
            otherCounts[severity] += 1
            if files.last?.file != diagnostic.file { files.append((diagnostic.file, start)) }
            var entry = byFile[diagnostic.file] ?? (start..<start, [Int](repeating: 0, count: Severity.allCases.count))
            guard entry.range.upperBound == start else { return nil }  // not sorted by file: no state
            entry.range = entry.range.lowerBound..<reportBytes.count
            entry.counts[severity] += 1
            byFile[diagnostic.file] = entry
        }
        var fileIndex: [String: Int] = [:]
        for (index, file) in knowledgeBase.listing.articles.enumerated() { fileIndex[file.path] = index }
        var orderIndex: [ObjectIdentifier: Int] = [:]
        for (index, article) in made.order.enumerated() { orderIndex[ObjectIdentifier(article)] = index }
        var pathIndex: [ObjectIdentifier: Int] = [:]
        for (index, article) in knowledgeBase.articles.enumerated() { pathIndex[ObjectIdentifier(article)] = index }
        let reportEnd = reportBytes.count

        // Each article's entry, on every core: a few look-ups each, ten thousand times.
        let built = Parallel.map(knowledgeBase.articles) { article -> Entry? in
            guard let file = fileIndex[article.contentPath], let place = orderIndex[ObjectIdentifier(article)],
                let search = made.searchPlaces[article.pagePath]
            else { return nil }
            let shown = knowledgeBase.display(article.path)
            let own = byFile[shown]
            let neighbour = { (index: Int) -> Int in
                made.order.indices.contains(index) ? pathIndex[ObjectIdentifier(made.order[index])] ?? -1 : -1
            }
            return Entry(
                // An article that shares its file's findings with other checks is never changed alone.
                file: file, contentHash: article.contentHash, editable: !checked.filesWithOtherFindings.contains(shown),
                title: article.title, slug: article.slug, previous: neighbour(place - 1), next: neighbour(place + 1),
                search: search, report: own?.range ?? SiteState.insertionPoint(for: shown, in: files, end: reportEnd),
                counts: own?.counts ?? [Int](repeating: 0, count: Severity.allCases.count))
        }
        var entries: [Entry] = []
        entries.reserveCapacity(built.count)
        for entry in built {
            guard let entry else { return nil }
            otherCounts = zip(otherCounts, entry.counts).map { $0 - $1 }
            entries.append(entry)
        }
        self.init(
            generation: generation, signature: signature, linkTargets: linkTargets, filesWritten: filesWritten,
            listing: knowledgeBase.listing, listingProblems: SiteState.problemsHash(knowledgeBase.listing.diagnostics),
            articles: entries, format: report.format.rawValue, report: reportBytes,
            searchIndexSize: made.searchIndexSize, otherCounts: otherCounts)
    }

    /// Where a file without findings would have its first: where the first file after it
    /// (in the report's order, `files`) has its findings.
    private static func insertionPoint(for file: String, in files: [(file: String, start: Int)], end: Int) -> Range<Int> {
        var low = 0, high = files.count
        while low < high {
            let middle = (low + high) / 2
            if files[middle].file > file { high = middle } else { low = middle + 1 }
        }
        let at = low < files.count ? files[low].start : end
        return at..<at
    }
}
