import Foundation
import KBContent
import KBParallel
import KBRules

/// A build after an edit that changes nothing other pages use of the edited articles (see
/// `Article.outwardHash`): only their pages and their lines of the search index and of the
/// report are made again, and the rest of the site is kept as the previous build left it
/// (`SiteState`). The result is the site and report a full build would make, byte for byte;
/// whenever that cannot be shown from what is kept, `prepare` says why and the caller makes
/// a cached build instead.
///
/// Of the unchanged articles it only `stat`s the files (listing Content/) and reads their
/// entries of the state; the rest of its work grows with the edit, not the knowledge base.
public struct EditBuild {
    /// The whole report as the build prints it.
    public let report: Data
    /// Findings of the whole report by severity.
    public let counts: [Severity: Int]
    public let articleCount: Int
    /// kb.yaml's `fail_on`.
    public let configuredFailOn: FailureThreshold?
    public var filesWritten: Int { state.filesWritten }
    /// Articles whose pages are made again.
    public let changedArticles: Int

    private var state: SiteState
    private var patch: SitePatch
    private let changes: [String: (stamp: UInt64, contents: SitePatch.Contents)]
    private let stateFile: URL

    /// Why an edit build cannot make this build.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
        /// Content/ as listed, when it was before the refusal: the build that takes over
        /// need not list it again.
        public var listing: ContentListing?
    }

    /// Works out the build without writing anything. `root` as the build cache is given it.
    public static func prepare(
        root: URL, displayRoot: String, output: URL, includeDrafts: Bool, theme: Theme, format: ReportFormat
    ) -> Result<EditBuild, Refusal> {
        do {
            return .success(try EditBuild(root: root, displayRoot: displayRoot, output: output, includeDrafts: includeDrafts, theme: theme, format: format))
        } catch let refusal as Refusal {
            return .failure(refusal)
        } catch {
            return .failure(Refusal(description: "\(error)"))
        }
    }

    private init(root givenRoot: URL, displayRoot: String, output: URL, includeDrafts: Bool, theme: Theme, format: ReportFormat) throws {
        func refuse(_ reason: String) -> Refusal { Refusal(description: reason) }
        let cacheFolder = BuildCache.folder(for: output)
        let stateFile = cacheFolder.appendingPathComponent(SiteState.fileName)
        guard Reporter.lines([], as: format) != nil else { throw refuse("the \(format.rawValue) report is not one line per finding") }
        guard let state = Timings.measure("edit: read state", { SiteState.read(stateFile) }) else { throw refuse("no state of the previous build") }
        guard let patch = Timings.measure("edit: read manifests", { SitePatch(output: output, cacheFolder: cacheFolder) }) else {
            throw refuse("the output or its spare is not known")
        }
        guard patch.live.generation == state.generation else { throw refuse("the output is not the site the state describes") }

        // What changed under Content/: the same files, and only articles' fingerprints differ.
        let root = givenRoot.standardizedFileURL.resolvingSymlinksInPath()
        let listing = try Timings.measure("edit: list") { try ContentLoader.list(root: root, displayRoot: displayRoot) }
        do {
            try self.init(root: root, givenRoot: givenRoot, displayRoot: displayRoot, output: output, includeDrafts: includeDrafts, theme: theme,
                          format: format, state: state, patch: patch, stateFile: stateFile, listing: listing)
        } catch var refusal as Refusal {
            refusal.listing = listing
            throw refusal
        }
    }

    private init(
        root: URL, givenRoot: URL, displayRoot: String, output: URL, includeDrafts: Bool, theme: Theme, format: ReportFormat,
        state: SiteState, patch: SitePatch, stateFile: URL, listing: ContentListing
    ) throws {
        func refuse(_ reason: String) -> Refusal { Refusal(description: reason) }
        var state = state
        guard SiteState.problemsHash(listing.diagnostics) == state.listingProblems else { throw refuse("Content/'s problems changed") }
        guard listing.otherFiles == state.listing.otherFiles, listing.otherFiles.allSatisfy({ $0.fingerprint != nil }) else {
            throw refuse("files other than articles changed")
        }
        guard listing.articles.count == state.listing.articles.count else { throw refuse("articles came or went") }
        var touched: [Int] = []
        for (index, (now, before)) in zip(listing.articles, state.listing.articles).enumerated() {
            guard now.path == before.path else { throw refuse("articles came or went") }
            if now.fingerprint == nil || now.fingerprint != before.fingerprint { touched.append(index) }
        }
        var entryOfFile = [Int](repeating: -1, count: listing.articles.count)
        for (index, entry) in state.articles.enumerated() { entryOfFile[entry.file] = index }

        // The touched articles, read; those whose bytes changed are edited.
        var edited: [(entry: Int, article: Article)] = []
        for file in touched {
            let entry = entryOfFile[file]
            guard entry >= 0 else { throw refuse("\(listing.articles[file].path) is not an article of the site") }
            guard case let .success(article) = ContentLoader.read(listing.articles[file], root: root, displayRoot: displayRoot) else {
                throw refuse("\(listing.articles[file].path) does not read")
            }
            state.listing.articles[file] = listing.articles[file]
            if article.contentHash != state.articles[entry].contentHash { edited.append((entry, article)) }
        }
        guard edited.count <= 16 else { throw refuse("\(edited.count) articles changed") }

        // Nothing outside Content/ changed: kb, kb.yaml, examples, data, theme, options.
        let knowledgeBase = try Timings.measure("edit: settings") {
            try ContentLoader.loadAlone(edited.map(\.article), root: root, displayRoot: displayRoot)
        }
        let cacheSignature = Timings.measure("edit: signature") {
            BuildCache.signature(root: givenRoot, displayRoot: displayRoot, includeDrafts: includeDrafts)
        }
        let contexts = knowledgeBase.examples.contextSignature
        let themeSignature = Timings.measure("edit: theme") { theme.signature }
        guard SiteState.signature(cache: cacheSignature, theme: themeSignature, contexts: contexts, format: format) == state.signature else {
            throw refuse("kb, kb.yaml, the examples, the theme or the options changed")
        }

        // Each edited article: checked alone, the same to the outside, its findings and page.
        let checks = Timings.measure("edit: check") { Checker.checkAlone(edited.map(\.article), in: knowledgeBase) }
        var checked = CheckReport()
        var ownFindings: [[Diagnostic]] = []
        for ((entry, article), check) in zip(edited, checks) {
            guard !article.frontMatter.draft || includeDrafts else { throw refuse("\(article.path) became a draft") }
            // The article as the last cached build saw it: what other pages used of it then,
            // and its links' results (edit builds since then kept both).
            guard state.articles[entry].editable else { throw refuse("\(article.path) shares its findings with other checks") }
            guard let record = BuildCache.record(of: article.path, output: output, signature: cacheSignature),
                record.check?.key == Checker.checkKey(signature: cacheSignature, contexts: contexts, contentHash: record.contentHash),
                let outward = Article.outwardHash(of: record, path: article.path)
            else { throw refuse("\(article.path) is not in the build cache") }
            guard article.outwardHash(check) == outward else { throw refuse("\(article.path) changed what other pages use") }
            guard let links = record.linkCheck,
                links.key == Checker.linkCheckKey(signature: cacheSignature, targets: state.linkTargets, contentHash: record.contentHash),
                let moved = LinkResolver.moved(links.problems, from: record.links, to: article.links)
            else { throw refuse("\(article.path)'s links are not known") }
            let findings = (moved + check.diagnostics).sorted()
            let shown = knowledgeBase.display(article.path)
            guard findings.allSatisfy({ $0.file == shown }) else { throw refuse("\(article.path) has findings in other files") }
            checked.articleChecks[article.path] = check
            checked.linkHrefs[article.path] = links.hrefs
            ownFindings.append(findings)
        }

        // Each edited article's page, and its new lines of the search index and the report.
        let library = try Timings.measure("edit: templates") { try theme.library() }
        let context = SiteContext(knowledgeBase: knowledgeBase, checked: checked, library: library)
        let pageSignature = SiteContext.pageSignature(cache: cacheSignature, theme: themeSignature, contexts: contexts)
        let resolver = LinkResolver(knowledgeBase)
        var changes: [String: (stamp: UInt64, contents: SitePatch.Contents)] = [:]
        let searchStamp = patch.live.pages[SearchIndex.path]
        var searchEdits: [(range: Range<Int>, line: String, entry: Int)] = []
        var reportEdits: [(range: Range<Int>, line: String, entry: Int)] = []
        try Timings.measure("edit: pages") {
            for ((entry, article), findings) in zip(edited, ownFindings) {
                let kept = state.articles[entry]
                let neighbour = { (index: Int) -> ArticlePages.Neighbour? in
                    index < 0 ? nil : ArticlePages.Neighbour(title: state.articles[index].title, slug: state.articles[index].slug)
                }
                let previous = neighbour(kept.previous), next = neighbour(kept.next)
                guard article.title == kept.title, article.slug == kept.slug else { throw refuse("\(article.path)'s title changed") }
                let page = try ArticlePages.page(article, previous: previous, next: next, resolver: resolver, context: context)
                let key = ArticlePages.pageKey(
                    article, previous: previous, next: next, hrefs: checked.linkHrefs[article.path] ?? [], signature: pageSignature)
                changes[article.pagePath] = (key, .bytes(page.contents))
                searchEdits.append((kept.search, ArticlePages.searchLine(article, cache: nil).json, entry))
                reportEdits.append((kept.report, (Reporter.lines(findings, as: format) ?? []).joined(), entry))
                state.articles[entry].contentHash = article.contentHash
                state.articles[entry].counts = Severity.allCases.map { severity in findings.filter { $0.severity == severity }.count }
            }
        }
        if !edited.isEmpty { try Timings.measure("edit: splice") {
            var index = stat()
            guard stat(output.appendingPathComponent(SearchIndex.path).path, &index) == 0, Int(index.st_size) == state.searchIndexSize,
                let searchStamp
            else { throw refuse("the output's search index is not the one the state describes") }
            let edits = SiteState.move(searchEdits, place: .search, in: &state, paths: listing)
            state.searchIndexSize += searchEdits.reduce(0) { $0 + $1.line.utf8.count - $1.range.count }
            // The index's stamp follows from the last one and the lines changed: hashing
            // megabytes again would cost more than the rest of the edit. (A cached build stamps
            // it by its bytes; the two never agree, so the next cached build writes it anew.)
            var stamp = StableHash()
            stamp.combine(searchStamp)
            for edit in searchEdits {
                stamp.combine(edit.range.lowerBound)
                stamp.combine(edit.line)
            }
            changes[SearchIndex.path] = (stamp.value, .spliced(edits))
            var report: [UInt8] = []
            var copied = 0
            for edit in SiteState.move(reportEdits, place: .report, in: &state, paths: listing) {
                report += state.report[copied..<edit.range.lowerBound]
                report += edit.bytes
                copied = edit.range.upperBound
            }
            state.report = report + state.report[copied...]
        } }
        let totals = state.totalCounts
        self.report = Data(state.report)
        self.counts = Dictionary(uniqueKeysWithValues: zip(Severity.allCases, totals))
        self.articleCount = state.articles.count
        self.configuredFailOn = knowledgeBase.configuration.failOn
        self.changedArticles = edited.count
        self.state = state
        self.patch = patch
        self.changes = changes
        self.stateFile = stateFile
    }

    /// Writes the site (the edited pages and the search index, then one exchange) and the
    /// new state. Before it, nothing was written.
    public mutating func commit() throws {
        try SiteStaging.prepare(patch.output)
        if !changes.isEmpty {
            state.generation = try Timings.measure("edit: write site") { try patch.apply(changes) }
        }
        // A state that cannot be saved makes the next build a cached one, nothing worse.
        try? Timings.measure("edit: save state") { try state.write(to: stateFile) }
        Timings.note("edit build: \(changedArticles) article pages made again")
    }
}

extension SiteState {
    enum Place { case search, report }

    /// The articles' new lines for the search index or the report, as edits in the order of
    /// the file; every other article's place there moves by what the edits before it added
    /// or removed.
    static func move(
        _ edits: [(range: Range<Int>, line: String, entry: Int)], place: Place, in state: inout SiteState, paths listing: ContentListing
    ) -> [(range: Range<Int>, bytes: [UInt8])] {
        let files = state.articles.map(\.file)
        func path(_ entry: Int) -> String { listing.articles[files[entry]].path }
        // At one place (findings where there were none), the earlier path first, as the
        // report orders files.
        let ordered = edits.sorted { a, b in
            a.range.lowerBound != b.range.lowerBound ? a.range.lowerBound < b.range.lowerBound : path(a.entry) < path(b.entry)
        }
        for edit in ordered.reversed() {
            let shift = edit.line.utf8.count - edit.range.count
            let editedPath = path(edit.entry)
            for index in state.articles.indices where index != edit.entry {
                let range = place == .search ? state.articles[index].search : state.articles[index].report
                guard range.lowerBound > edit.range.lowerBound || range.lowerBound == edit.range.lowerBound && path(index) > editedPath else {
                    continue
                }
                let moved = range.lowerBound + shift..<range.upperBound + shift
                if place == .search { state.articles[index].search = moved } else { state.articles[index].report = moved }
            }
            let own = edit.range.lowerBound..<edit.range.lowerBound + edit.line.utf8.count
            if place == .search { state.articles[edit.entry].search = own } else { state.articles[edit.entry].report = own }
        }
        return ordered.map { ($0.range, Array($0.line.utf8)) }
    }
}
