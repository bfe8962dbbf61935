import Foundation
import KBMarkdown
import KBParallel
import KBRules

/// Step 1 and 2 of a build: find every file under Content/, read the articles.
public enum ContentLoader {
    public struct Options: Sendable {
        /// Include articles marked `draft: true`.
        public var includeDrafts: Bool
        public init(includeDrafts: Bool = false) { self.includeDrafts = includeDrafts }
    }

    /// Loads `ROOT/kb.yaml` and `ROOT/Content`. Throws only when the knowledge base cannot
    /// be read at all (`KnowledgeBaseError`) or its configuration is wrong (`Diagnostics`);
    /// problems in single files are diagnostics of the result.
    /// `listing`: Content/ as `list` found it a moment ago in this process, not walked again.
    public static func load(
        root: URL, displayRoot: String? = nil, options: Options = Options(), cache: BuildCache? = nil, listing known: ContentListing? = nil
    ) throws -> KnowledgeBase {
        let root = root.standardizedFileURL.resolvingSymlinksInPath()
        let shown = displayRoot ?? ""
        let (configuration, ruleConfiguration) = try settings(root: root, displayRoot: shown)
        let listing = try known ?? list(root: root, displayRoot: shown)

        var diagnostics = listing.diagnostics
        var articles: [Article] = []
        let rootPath = root.path  // a URL's path is made anew on each call: once here, not per article
        let read = Parallel.map(listing.articles) {
            readArticle(root: root, rootPath: rootPath, contentPath: $0.path, fingerprint: $0.fingerprint, displayRoot: shown, cache: cache)
        }
        for result in read {
            switch result {
            case let .success(article):
                if article.frontMatter.draft && !options.includeDrafts { continue }
                articles.append(article)
            case let .failure(problems):
                diagnostics += problems.all
            }
        }
        diagnostics += duplicatePages(articles, displayRoot: shown)
        let examples = try ExampleCatalog.load(root: root, displayRoot: shown)
        return KnowledgeBase(
            root: root, configuration: configuration, ruleConfiguration: ruleConfiguration, examples: examples,
            displayRoot: shown, articles: articles,
            contentFiles: listing.otherFiles.map(\.path), diagnostics: diagnostics, listing: listing)
    }

    /// kb.yaml, and its `rules:` resolved against the rule registry.
    private static func settings(root: URL, displayRoot shown: String) throws -> (Configuration, RuleConfiguration) {
        let configuration = try Configuration.load(root: root, displayRoot: shown)
        let ruleConfiguration = try RuleConfiguration(settings: configuration.rules.map {
            RuleConfiguration.Setting(rule: $0.rule, severity: $0.severity, file: shown.isEmpty ? Configuration.fileName : shown + "/" + Configuration.fileName, line: $0.line)
        })
        return (configuration, ruleConfiguration)
    }

    /// Every file under Content/ with its fingerprint, without reading any (the walk of
    /// `load`): enough for a later build to tell which files changed.
    public static func list(root: URL, displayRoot shown: String) throws -> ContentListing {
        let content = root.appendingPathComponent("Content")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content.path, isDirectory: &isDirectory) else {
            throw KnowledgeBaseError(
                path: shown.isEmpty ? "Content" : shown + "/Content",
                reason: "no Content/ folder here: is --root the knowledge base's root?")
        }
        guard isDirectory.boolValue else {
            throw KnowledgeBaseError(path: shown.isEmpty ? "Content" : shown + "/Content", reason: "Content is a file, not a folder")
        }
        var walk = ContentWalk(root: root, displayRoot: shown)
        try walk.visit(folder: content, contentPath: "")
        return ContentListing(articles: walk.markdownFiles, otherFiles: walk.otherFiles, diagnostics: walk.diagnostics)
    }

    /// The article in one listed file, read and parsed without the build cache.
    public static func read(_ file: ContentListing.File, root: URL, displayRoot: String) -> Result<Article, Diagnostics> {
        readArticle(root: root, rootPath: root.path, contentPath: file.path, fingerprint: file.fingerprint, displayRoot: displayRoot)
    }

    /// A knowledge base of only `articles`, with kb.yaml and the examples: enough to check and
    /// render these articles alone, for a build that makes only their pages again. What
    /// depends on the other articles (links, order, tags) is not known to it.
    public static func loadAlone(_ articles: [Article], root: URL, displayRoot: String) throws -> KnowledgeBase {
        let root = root.standardizedFileURL.resolvingSymlinksInPath()
        let (configuration, ruleConfiguration) = try settings(root: root, displayRoot: displayRoot)
        return KnowledgeBase(
            root: root, configuration: configuration, ruleConfiguration: ruleConfiguration,
            examples: try ExampleCatalog.load(root: root, displayRoot: displayRoot), displayRoot: displayRoot, articles: articles,
            contentFiles: [], diagnostics: [], listing: ContentListing(articles: [], otherFiles: [], diagnostics: []))
    }

    /// Reads and parses one article, or restores it from the build cache when the file is
    /// unchanged. Pure but for the file read, so it can run in parallel.
    /// `fingerprint`: the file's, when the walk has it already (not for symbolic links).
    static func readArticle(
        root: URL, rootPath: String, contentPath: String, fingerprint known: FileFingerprint?, displayRoot: String,
        cache: BuildCache? = nil
    ) -> Result<Article, Diagnostics> {
        let path = "Content/" + contentPath
        let shown = displayRoot.isEmpty ? path : displayRoot + "/" + path
        let filePath = rootPath + "/" + path  // a String, not a URL: this runs for every file
        let fingerprint = known ?? FileFingerprint(path: filePath) ?? FileFingerprint()
        let previous = cache?.previousRecord(for: path)
        if let previous, previous.fingerprint == fingerprint {
            return .success(restore(previous, filePath: filePath, contentPath: contentPath, shown: shown, cache: cache, changed: false))
        }
        let data: Data
        if let refused = InputLimits.problem(root.appendingPathComponent(path), limit: InputLimits.articleBytes, kind: "articles", shown: shown) {
            return .failure(Diagnostics([refused]))
        }
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: filePath))
        } catch {
            return .failure(Diagnostics([ContentCheck.unreadableFile.at(shown, line: 1, "cannot read the file: \(error.localizedDescription)")]))
        }
        let contentHash = data.withUnsafeBytes { StableHash.of($0) }
        if var previous, previous.contentHash == contentHash {
            previous.fingerprint = fingerprint  // touched, not changed
            return .success(restore(previous, filePath: filePath, contentPath: contentPath, shown: shown, cache: cache, changed: true))
        }
        switch parse(data, shown: shown) {
        case let .success((frontMatter, document)):
            let article = Article(
                path: path, contentPath: contentPath, frontMatter: frontMatter, document: document,
                fingerprint: fingerprint, contentHash: contentHash)
            cache?.keep(article.record, for: path)
            return .success(article)
        case let .failure(problems):
            return .failure(problems)
        }
    }

    /// An unchanged article from the cache; its document is parsed only if a page needs it.
    private static func restore(_ record: ArticleRecord, filePath: String, contentPath: String, shown: String, cache: BuildCache?, changed: Bool) -> Article {
        cache?.keep(record, for: "Content/" + contentPath, changed: changed)
        return Article(path: "Content/" + contentPath, contentPath: contentPath, record: record) {
            guard let data = FileManager.default.contents(atPath: filePath), case let .success((_, document)) = parse(data, shown: shown) else {
                return MarkdownDocument("", lineOffset: record.bodyLineOffset)
            }
            return document
        }
    }

    /// Text, front matter and Markdown of an article's bytes, or why they are not an article.
    static func parse(_ data: Data, shown: String) -> Result<(FrontMatter, MarkdownDocument), Diagnostics> {
        let text: String
        switch TextDecoding.decode(data) {
        case let .success(decoded): text = decoded
        case let .failure(.invalidUTF8(line, column)):
            return .failure(Diagnostics([ContentCheck.invalidUTF8.at(shown, line: line, column: column, "not valid UTF-8 text (articles must be UTF-8)")]))
        case let .failure(.binary(line)):
            return .failure(Diagnostics([ContentCheck.notText.at(shown, line: line, "contains a NUL byte: this is a binary file, not Markdown text")]))
        }
        let split: FrontMatterParser.Split
        switch FrontMatterParser.split(text, file: shown) {
        case let .success(value): split = value
        case let .failure(problem): return .failure(Diagnostics([problem]))
        }
        switch FrontMatterParser.parse(split, file: shown) {
        case let .success(frontMatter):
            return .success((frontMatter, MarkdownDocument(split.body, lineOffset: split.bodyLineOffset)))
        case let .failure(problems):
            return .failure(problems)
        }
    }

    private static func duplicatePages(_ articles: [Article], displayRoot: String) -> [Diagnostic] {
        var first: [String: Article] = [:]
        var problems: [Diagnostic] = []
        for article in articles {
            if let other = first[article.slug] {
                let shown = displayRoot.isEmpty ? article.path : displayRoot + "/" + article.path
                problems.append(ContentCheck.duplicatePage.at(
                    shown, line: 1, "this article's page would be \(article.pagePath), which \(other.path) already uses; rename one of them"))
            } else {
                first[article.slug] = article
            }
        }
        return problems
    }
}

/// What a walk over Content/ found: the Markdown files, the others, and the problems (unsafe
/// names, links out of the root), in the walk's order.
public struct ContentListing: Sendable, Equatable {
    /// A path in Content/, with its fingerprint when the walk's `lstat` gave it (not for a
    /// symbolic link, whose target may change while the link does not).
    public struct File: Sendable, Hashable {
        public var path: String
        public var fingerprint: FileFingerprint?

        public init(path: String, fingerprint: FileFingerprint?) {
            self.path = path
            self.fingerprint = fingerprint
        }
    }

    public var articles: [File]
    public var otherFiles: [File]
    public var diagnostics: [Diagnostic]

    public init(articles: [File], otherFiles: [File], diagnostics: [Diagnostic]) {
        self.articles = articles
        self.otherFiles = otherFiles
        self.diagnostics = diagnostics
    }
}

/// A walk over Content/ in sorted order that never leaves the root.
struct ContentWalk {
    let root: URL
    let displayRoot: String
    var markdownFiles: [ContentListing.File] = []
    var otherFiles: [ContentListing.File] = []
    var diagnostics: [Diagnostic] = []
    private var visitedFolders: Set<String> = []

    init(root: URL, displayRoot: String) {
        self.root = root
        self.displayRoot = displayRoot
    }

    mutating func visit(folder: URL, contentPath: String) throws {
        let real = folder.resolvingSymlinksInPath().path
        guard visitedFolders.insert(real).inserted else { return }
        // Content/ itself may be a link; everything below a folder that is inside stays inside.
        guard isInsideRoot(URL(fileURLWithPath: real)) else {
            diagnostics.append(ContentCheck.linkOutsideRoot.at(
                display(contentPath), line: 1, "a symbolic link to \(real), outside the knowledge base: not read"))
            return
        }
        let folderPath = folder.path
        // Names are read and files looked at through the open folder: a path from the root
        // would be looked up component by component again for each of thousands of files.
        guard let directory = opendir(folderPath) else {
            throw KnowledgeBaseError(path: display(contentPath), reason: "cannot read the folder: \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        names.sort()
        // A stat per file, on every core: most of the time of listing thousands of articles.
        let folderDescriptor = dirfd(directory)
        let infos = Parallel.map(names) { name -> stat? in
            var info = stat()
            return fstatat(folderDescriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? info : nil
        }
        for (name, found) in zip(names, infos) {
            let filePath = folderPath + "/" + name
            let path = contentPath.isEmpty ? name : contentPath + "/" + name
            if let problem = FileNameCheck.problem(name) {
                diagnostics.append(ContentCheck.unsafeFileName.at(display(FileNameCheck.printable(path)), line: 1, problem))
                continue
            }
            // Only a symbolic link can lead elsewhere: the others need no resolving (which
            // costs a system call per folder of the path, for each of thousands of files).
            guard let info = found else {
                diagnostics.append(ContentCheck.unreadableFile.at(display(path), line: 1, "cannot read the file"))
                continue
            }
            var isFolder = info.st_mode & S_IFMT == S_IFDIR
            if info.st_mode & S_IFMT == S_IFLNK {
                let resolved = URL(fileURLWithPath: filePath).resolvingSymlinksInPath()
                guard isInsideRoot(resolved) else {
                    diagnostics.append(ContentCheck.linkOutsideRoot.at(
                        display(path), line: 1, "a symbolic link to \(resolved.path), outside the knowledge base: not read"))
                    continue
                }
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: resolved.path, isDirectory: &isDirectory) else {
                    diagnostics.append(ContentCheck.unreadableFile.at(display(path), line: 1, "a broken symbolic link"))
                    continue
                }
                isFolder = isDirectory.boolValue
            }
            if isFolder {
                try visit(folder: URL(fileURLWithPath: filePath, isDirectory: true), contentPath: path)
            } else if !isRegularFile(info, filePath) {
                diagnostics.append(InputLimits.notRegular(display(path)))
            } else {
                let file = ContentListing.File(path: path, fingerprint: info.st_mode & S_IFMT == S_IFLNK ? nil : FileFingerprint(info))
                if ContentWalk.isMarkdown(name) { markdownFiles.append(file) } else { otherFiles.append(file) }
            }
        }
    }

    /// `.md` in any case.
    static func isMarkdown(_ name: String) -> Bool {
        let bytes = name.utf8.suffix(3)
        guard bytes.count == 3 else { return false }
        let lowered = bytes.map { $0 &- UInt8(ascii: "A") < 26 ? $0 + 32 : $0 }
        return lowered == Array(".md".utf8)
    }

    /// A file to read, not a pipe or a device (reading one could block forever).
    private func isRegularFile(_ info: stat, _ path: String) -> Bool {
        if info.st_mode & S_IFMT == S_IFLNK { return InputLimits.size(of: URL(fileURLWithPath: path)) != nil }
        return info.st_mode & S_IFMT == S_IFREG
    }

    private func isInsideRoot(_ url: URL) -> Bool {
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return url.path.hasPrefix(rootPath)
    }

    private func display(_ contentPath: String) -> String {
        let path = contentPath.isEmpty ? "Content" : "Content/" + contentPath
        return displayRoot.isEmpty ? path : displayRoot + "/" + path
    }
}
