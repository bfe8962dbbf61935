import Foundation
import KBRules

/// One runnable example: `Examples/SLUG/` with its Dockerfile, sources, example.yaml and
/// results.json, as read from disk.
public struct Example: Sendable {
    /// The folder's name, which names the example everywhere (`example=SLUG`, `kb record SLUG`).
    public let slug: String
    public let folder: URL
    /// The knowledge base's root, which nothing of the example may lead out of.
    public let root: URL
    /// `Examples/SLUG` as messages show it (with the root as the user named it).
    public let shownPath: String
    /// nil when example.yaml is missing or has problems (they are in `diagnostics`).
    public let manifest: ExampleManifest?
    /// nil when there is no results.json or it has problems.
    public let results: ResultsFile?
    /// nil when the folder could not be read safely (a link out of the root, say).
    public let context: BuildContext?
    /// Where it is built from: its folder and `Dockerfile`, or the `context:` and `dockerfile:`
    /// of example.yaml. nil when those name no usable folder or file (reported in `diagnostics`).
    public let source: ContextSource?
    public let hasDockerfile: Bool
    /// Problems with this example's files, sorted.
    public let diagnostics: [Diagnostic]
    /// The build context's path from the knowledge base's root (`.` for the root itself), when
    /// example.yaml names a `context:` or a `dockerfile:`; nil for an example built from its
    /// own folder with its `Dockerfile`, or one whose context is unusable.
    public let contextInRoot: String?

    public init(
        slug: String, folder: URL, root: URL, shownPath: String, manifest: ExampleManifest?, results: ResultsFile?,
        context: BuildContext?, source: ContextSource? = nil, hasDockerfile: Bool, diagnostics: [Diagnostic]
    ) {
        self.slug = slug
        self.folder = folder
        self.root = root
        self.shownPath = shownPath
        self.manifest = manifest
        self.results = results
        self.context = context
        self.source = source
        self.hasDockerfile = hasDockerfile
        self.diagnostics = diagnostics.sorted()
        if let source, !source.isExampleFolder {
            // The context folder is resolved (symbolic links and `..`); so must the root be.
            let resolvedRoot = ExampleCatalog.realPath(root.path) ?? root.standardizedFileURL.path
            let rootPath = resolvedRoot.hasSuffix("/") ? resolvedRoot : resolvedRoot + "/"
            let folderPath = source.folder.standardizedFileURL.path
            if folderPath == resolvedRoot || folderPath + "/" == rootPath {
                contextInRoot = "."
            } else if folderPath.hasPrefix(rootPath) {
                contextInRoot = String(folderPath.dropFirst(rootPath.count))
            } else {
                contextInRoot = source.shownFolder  // not reached: a context outside the root is refused
            }
        } else {
            contextInRoot = nil
        }
    }

    /// The Dockerfile that is linted, shown and built.
    public var dockerfile: URL { source?.dockerfile ?? folder.appendingPathComponent("Dockerfile") }
    /// The Dockerfile as messages show it: `Examples/SLUG/Dockerfile`, or the one in the context.
    public var shownDockerfile: String { source?.shownDockerfile ?? shownPath + "/Dockerfile" }
    /// The folder that is the build context.
    public var contextFolder: URL { source?.folder ?? folder }
    /// The Dockerfile's path from the knowledge base's root: `Examples/SLUG/Dockerfile`, or
    /// the one in the `context:` folder (`Dockerfile` for the root itself).
    public var dockerfileInRoot: String {
        guard let source, let contextInRoot else { return "Examples/\(slug)/Dockerfile" }
        return ContextSource.join(contextInRoot, source.dockerfilePath)
    }

    /// A path inside the build context (`/`-separated) as a path from the knowledge base's root.
    public func pathInRoot(ofContextPath path: String) -> String {
        ContextSource.join(contextInRoot ?? "Examples/\(slug)", path)
    }

    /// The files of the context that kb's rules read: the example's folder as `kb lint` reads
    /// it, or, for a `context:` folder, the files of the context (which honour its .dockerignore).
    public func ruleContextFiles() -> BuildContextFiles {
        if source?.isExampleFolder ?? true { return BuildContextFiles.load(folder: folder) }
        return context?.ruleFiles() ?? BuildContextFiles(files: [:])
    }

    /// The Dockerfile's text; nil when there is none that kb may read (missing, not UTF-8, or
    /// a symbolic link out of the root, which must not be read even to show it).
    public func readDockerfile() -> String? {
        guard hasDockerfile else { return nil }
        return try? String(contentsOf: dockerfile, encoding: .utf8)
    }

    public var resultsURL: URL { folder.appendingPathComponent(ResultsFile.fileName) }
    public var shownResults: String { shownPath + "/" + ResultsFile.fileName }
    public var shownManifest: String { shownPath + "/" + ExampleCatalog.manifestName }

    /// Whether `kb record` can build it: a Dockerfile, a valid example.yaml, a readable context.
    /// A bad results.json does not count: recording replaces it.
    public var isRecordable: Bool { hasDockerfile && manifest != nil && context != nil && blockingDiagnostics.isEmpty }

    /// The problems that keep `kb record` from building the example (all but results.json's).
    public var blockingDiagnostics: [Diagnostic] {
        diagnostics.filter { $0.rule != ExampleCheck.malformedResults.id && $0.rule != ExampleCheck.invalidResults.id }
    }

    /// How the recorded figures relate to the example as it is now.
    public var recordingStatus: RecordingStatus {
        if let cited = results?.cited { return .cited(cited) }
        let recordings = results?.recordings ?? []
        guard !recordings.isEmpty else { return .missing }
        guard let digest = context?.digest else { return .unknown }
        // example.yaml is not part of the context, but the stage it names is what is built.
        let current = recordings.filter { $0.contextDigest == digest && (manifest == nil || $0.target == manifest?.target) }
        if let newest = current.max(by: { $0.date < $1.date }) { return .current(newest) }
        return .stale(recorded: recordings.max(by: { $0.date < $1.date })!, currentDigest: digest)
    }

    /// The problems `kb record --check` (and `kb check`) report about the recordings: missing,
    /// stale, or a recorded run that does not show what example.yaml now expects.
    public func recordingDiagnostics() -> [Diagnostic] {
        switch recordingStatus {
        case .cited, .unknown:
            return []
        case .missing:
            return [ExampleCheck.missingRecording.at(
                shownResults, line: 1, "\(slug) has no recording: run `kb record \(slug)`")]
        case let .stale(recorded, digest):
            if recorded.contextDigest == digest, let manifest, recorded.target != manifest.target {
                let now = manifest.target.map { "stage '\($0)'" } ?? "the last stage"
                let then = recorded.target.map { "stage '\($0)'" } ?? "the last stage"
                return [ExampleCheck.staleRecording.at(
                    shownResults, line: 1,
                    "the recording of \(slug) is stale: example.yaml now builds \(now), the recording is of \(then); run `kb record \(slug)`")]
            }
            return [ExampleCheck.staleRecording.at(
                shownResults, line: 1,
                "the recording of \(slug) is stale: its build context changed since \(recorded.date) (recorded \(ContextDigest.short(recorded.contextDigest)), now \(ContextDigest.short(digest))); run `kb record \(slug)`")]
        case let .current(recording):
            guard let manifest else { return [] }
            let verdict = manifest.run.evaluate(recording.run, timeout: manifest.timeout)
            guard !verdict.matched else { return [] }
            return [ExampleCheck.unexpectedBehaviour.at(
                shownResults, line: 1,
                "\(slug) does not behave as example.yaml expects: \(verdict.reason) (recorded by \(recording.engine.name) \(recording.engine.version) on \(recording.date))")]
        }
    }
}

public enum RecordingStatus: Sendable, Equatable {
    /// No results.json, or one without recordings.
    case missing
    /// Recordings exist but none was made from the current build context (and stage).
    case stale(recorded: Recording, currentDigest: String)
    /// The newest recording made from the current build context.
    case current(Recording)
    /// A figure cited from elsewhere: never stale.
    case cited(CitedRecord)
    /// The context could not be read, so staleness cannot be told.
    case unknown
}

extension ContextDigest {
    /// `sha256:0123abcd` (12 hex digits) for messages.
    public static func short(_ digest: String) -> String { String(digest.prefix(19)) }
}

/// Every example of a knowledge base: `ROOT/Examples/*/`.
public struct ExampleCatalog: Sendable {
    /// Sorted by slug.
    public let examples: [Example]
    /// Problems with Examples/ itself (a stray file, a link out of the root).
    public let diagnostics: [Diagnostic]

    public static let folderName = "Examples"
    public static let manifestName = "example.yaml"

    public init(examples: [Example], diagnostics: [Diagnostic]) {
        self.examples = examples.sorted { $0.slug < $1.slug }
        self.diagnostics = diagnostics.sorted()
    }

    public subscript(slug: String) -> Example? { examples.first { $0.slug == slug } }

    public var slugs: [String] { examples.map(\.slug) }

    /// The digests of the build contexts that lie outside `Examples/` (`context:` in
    /// example.yaml). The build cache keys what it keeps on the files of `Examples/`; a context
    /// elsewhere (the repository's root, say) can change without them, and with it whether a
    /// recording is current: this is part of the keys too.
    public var contextSignature: UInt64 {
        var hash = StableHash()
        for example in examples where example.source.map({ !$0.isExampleFolder }) ?? false {
            hash.combine(example.slug)
            hash.combine(example.context?.digest)
        }
        return hash.value
    }

    /// Every diagnostic: the catalog's and each example's.
    public var allDiagnostics: [Diagnostic] { (diagnostics + examples.flatMap(\.diagnostics)).sorted() }

    /// Loads `root/Examples`. A knowledge base without Examples/ has no examples, which is
    /// fine. Throws only when Examples/ exists but cannot be listed. `displayRoot` is the root
    /// as messages show it ("" for the current folder).
    public static func load(root: URL, displayRoot: String = "") throws -> ExampleCatalog {
        let root = root.standardizedFileURL.resolvingSymlinksInPath()
        let folder = root.appendingPathComponent(folderName)
        let shownFolder = displayRoot.isEmpty ? folderName : displayRoot + "/" + folderName
        switch FileSystemEntry.kind(of: folder) {
        case .missing:
            return ExampleCatalog(examples: [], diagnostics: [])
        case .directory:
            break
        case .symlink:
            guard FileSystemEntry.isInside(folder, root: root) else {
                return ExampleCatalog(examples: [], diagnostics: [ExampleCheck.outsideRoot.at(
                    shownFolder, line: 1, "Examples is a symbolic link out of the knowledge base: refused, not read")])
            }
        case .file, .other:
            return ExampleCatalog(examples: [], diagnostics: [ExampleCheck.unreadableExampleFile.at(
                shownFolder, line: 1, "Examples must be a folder of examples, not a file")])
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw KnowledgeBaseError(path: shownFolder, reason: "cannot read the folder: \(error.localizedDescription)")
        }
        var examples: [Example] = []
        var diagnostics: [Diagnostic] = []
        for name in names where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            let shown = shownFolder + "/" + FileNameCheck.printable(name)
            switch FileSystemEntry.kind(of: url) {
            case .directory:
                examples.append(loadExample(slug: name, folder: url, root: root, shownPath: shown))
            case .symlink:
                if !FileSystemEntry.isInside(url, root: root) {
                    let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?"
                    diagnostics.append(ExampleCheck.outsideRoot.at(
                        shown, line: 1, "a symbolic link to \(target), outside the knowledge base: refused, not read"))
                } else if FileSystemEntry.kind(of: url.resolvingSymlinksInPath()) == .directory {
                    examples.append(loadExample(slug: name, folder: url.resolvingSymlinksInPath(), root: root, shownPath: shown))
                }
            case .file, .other, .missing:
                if name != "README.md" {
                    diagnostics.append(ExampleCheck.unreadableExampleFile.at(
                        shown, line: 1, "Examples/ holds one folder per example; this is not a folder"))
                }
            }
        }
        return ExampleCatalog(examples: examples, diagnostics: diagnostics)
    }

    /// Reads one example folder. Pure but for the reads.
    public static func loadExample(slug: String, folder: URL, root: URL, shownPath: String) -> Example {
        let root = root.standardizedFileURL.resolvingSymlinksInPath()
        var diagnostics: [Diagnostic] = []
        if !isValidSlug(slug) {
            diagnostics.append(ExampleCheck.invalidSlug.at(
                shownPath, line: 1,
                "'\(slug)' cannot name an example: use lower-case letters, digits and '-' (it becomes an image name and a page name)"))
        }
        let shownManifest = shownPath + "/" + manifestName
        var manifest: ExampleManifest?
        var buildPaths = BuildPaths()
        switch readText(folder.appendingPathComponent(manifestName), root: root, shown: shownManifest, check: .malformedManifest) {
        case .missing:
            diagnostics.append(ExampleCheck.missingManifest.at(
                shownManifest, line: 1, "\(slug) has no example.yaml: give it at least a title and a run expectation"))
        case let .failed(problem):
            diagnostics.append(problem)
        case let .text(text):
            let parsed = ExampleManifest.parse(text, file: shownManifest)
            manifest = parsed.manifest
            buildPaths = parsed.build
            diagnostics += parsed.diagnostics
        }

        let shownResults = shownPath + "/" + ResultsFile.fileName
        var results: ResultsFile?
        switch readText(folder.appendingPathComponent(ResultsFile.fileName), root: root, shown: shownResults, check: .malformedResults) {
        case .missing: break
        case let .failed(problem): diagnostics.append(problem)
        case let .text(text):
            let parsed = ResultsFile.parse(text, file: shownResults)
            results = parsed.results
            diagnostics += parsed.diagnostics
        }

        if !buildPaths.isDefault {
            return loadExampleWithContext(
                slug: slug, folder: folder, root: root, shownPath: shownPath, manifest: manifest, results: results,
                buildPaths: buildPaths, diagnostics: diagnostics)
        }

        let dockerfile = folder.appendingPathComponent("Dockerfile")
        var hasDockerfile = false
        switch FileSystemEntry.kind(of: dockerfile) {
        case .file: hasDockerfile = true
        case .symlink:
            hasDockerfile = FileSystemEntry.isInside(dockerfile, root: root)
                && FileSystemEntry.kind(of: dockerfile.resolvingSymlinksInPath()) == .file
            // A link out of the root is reported by the context scan below.
        default:
            diagnostics.append(ExampleCheck.missingDockerfile.at(
                shownPath + "/Dockerfile", line: 1, "\(slug) has no Dockerfile: an example is built from Examples/\(slug)/Dockerfile"))
        }
        // A Dockerfile kb cannot read as text (too large, not UTF-8) is reported here, once,
        // and then treated as missing: nothing lints, shows or records it.
        if hasDockerfile, let problem = unreadableDockerfile(dockerfile, shown: shownPath + "/Dockerfile") {
            diagnostics.append(problem)
            hasDockerfile = false
        }

        let source = ContextSource(exampleFolder: folder, shownFolder: shownPath)
        let scanned = BuildContext.scan(source, root: root)
        diagnostics += scanned.diagnostics
        return Example(
            slug: slug, folder: folder, root: root, shownPath: shownPath, manifest: manifest, results: results,
            context: scanned.context, source: source, hasDockerfile: hasDockerfile, diagnostics: diagnostics)
    }

    /// An example whose example.yaml names its build context (`context:`) or its Dockerfile
    /// (`dockerfile:`). The context must be a folder inside the knowledge base, symbolic links
    /// resolved; the Dockerfile a file inside the context. Problems are reported at the line of
    /// example.yaml that names them; the example then has no context and cannot be recorded.
    static func loadExampleWithContext(
        slug: String, folder: URL, root: URL, shownPath: String, manifest: ExampleManifest?, results: ResultsFile?,
        buildPaths: BuildPaths, diagnostics: [Diagnostic]
    ) -> Example {
        var diagnostics = diagnostics
        let shownManifest = shownPath + "/" + manifestName
        func example(source: ContextSource? = nil, context: BuildContext? = nil, hasDockerfile: Bool = false) -> Example {
            Example(
                slug: slug, folder: folder, root: root, shownPath: shownPath, manifest: manifest, results: results,
                context: context, source: source, hasDockerfile: hasDockerfile, diagnostics: diagnostics)
        }
        // A malformed context: or dockerfile: is reported by the manifest's parse already.
        guard buildPaths.isValid else { return example() }

        let contextPath = buildPaths.context ?? ManifestPath(path: ".")
        let written = buildPaths.context.map { "context '\($0.written)'" } ?? "the example's folder"
        func problem(_ check: ExampleCheck, at path: ManifestPath?, _ message: String) {
            let at = path ?? buildPaths.context ?? buildPaths.dockerfile
            diagnostics.append(check.at(shownManifest, line: at?.line ?? 1, column: at?.column ?? 1, message))
        }

        // The context: resolved by the kernel (symbolic links first, then `..`), as the engine will.
        let lexical = contextPath.path == "." ? folder.path : folder.path + "/" + contextPath.path
        guard let resolvedContext = realPath(lexical) else {
            problem(.invalidManifestField, at: buildPaths.context, "\(written): there is no such folder (it is relative to \(shownPath))")
            return example()
        }
        let contextURL = URL(fileURLWithPath: resolvedContext, isDirectory: true)
        guard FileSystemEntry.isInside(contextURL, root: root) else {
            problem(.outsideRoot, at: buildPaths.context, "\(written) leads out of the knowledge base (to \(resolvedContext)): refused, not read; a build context must be a folder of the knowledge base")
            return example()
        }
        guard FileSystemEntry.kind(of: contextURL) == .directory else {
            problem(.invalidManifestField, at: buildPaths.context, "\(written) is not a folder: a build context is a folder")
            return example()
        }

        // The example's folder inside the context, if it is: its own files are left out.
        let resolvedFolder = realPath(folder.path) ?? folder.standardizedFileURL.path
        let exampleFolder: String?
        if resolvedFolder == resolvedContext {
            exampleFolder = ""
        } else if resolvedFolder.hasPrefix(resolvedContext.hasSuffix("/") ? resolvedContext : resolvedContext + "/") {
            exampleFolder = String(resolvedFolder.dropFirst(resolvedContext.count).drop { $0 == "/" })
        } else {
            exampleFolder = nil
        }
        let shownContext = ContextSource.lexicallyCleaned(shownPath + "/" + contextPath.path)
        let dockerfilePath = buildPaths.dockerfile?.path ?? "Dockerfile"
        let source = ContextSource(folder: contextURL, dockerfilePath: dockerfilePath, exampleFolder: exampleFolder, shownFolder: shownContext)

        // The Dockerfile: a file inside the context (a symbolic link may lead elsewhere in the root).
        let dockerfileWritten = buildPaths.dockerfile?.written ?? "Dockerfile"
        var hasDockerfile = false
        switch FileSystemEntry.kind(of: source.dockerfile) {
        case .file:
            hasDockerfile = true
        case .symlink where FileSystemEntry.isInside(source.dockerfile, root: root):
            hasDockerfile = FileSystemEntry.kind(of: source.dockerfile.resolvingSymlinksInPath()) == .file
            if !hasDockerfile {
                problem(.missingDockerfile, at: buildPaths.dockerfile, "\(source.shownDockerfile) is a broken symbolic link, or one to a folder: \(slug) has no Dockerfile")
            }
        case .symlink:
            break  // a link out of the root: reported by the context scan below
        case .missing:
            problem(.missingDockerfile, at: buildPaths.dockerfile, "there is no \(dockerfileWritten) in \(written) (\(source.shownFolder)): \(slug) has no Dockerfile")
        case .directory, .other:
            problem(.missingDockerfile, at: buildPaths.dockerfile, "\(source.shownDockerfile) is not a file: \(slug) has no Dockerfile")
        }
        if hasDockerfile, let unreadable = unreadableDockerfile(source.dockerfile, shown: source.shownDockerfile) {
            diagnostics.append(unreadable)
            hasDockerfile = false
        }

        let scanned = BuildContext.scan(source, root: root)
        diagnostics += scanned.diagnostics
        return example(source: source, context: scanned.context, hasDockerfile: hasDockerfile)
    }

    /// The path with every symbolic link and `..` resolved by the kernel, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Why a Dockerfile cannot be read as text (too large, not a regular file, not UTF-8), or nil.
    static func unreadableDockerfile(_ url: URL, shown: String) -> Diagnostic? {
        if let problem = InputLimits.problem(url, limit: InputLimits.dockerfileBytes, kind: "Dockerfiles", shown: shown) { return problem }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return ExampleCheck.unreadableExampleFile.at(shown, line: 1, "cannot read the file")
        }
        switch TextDecoding.decode(data) {
        case .success: return nil
        case let .failure(.invalidUTF8(line, column)):
            return ExampleCheck.unreadableExampleFile.at(shown, line: line, column: column, "not valid UTF-8 text (a Dockerfile must be UTF-8)")
        case let .failure(.binary(line)):
            return ExampleCheck.unreadableExampleFile.at(shown, line: line, "contains a NUL byte: this is a binary file, not a Dockerfile")
        }
    }

    /// Lower-case letters, digits, `-`, `_` and `.`, starting with a letter or digit.
    public static func isValidSlug(_ slug: String) -> Bool {
        guard let first = slug.unicodeScalars.first, first.isASCIILowercaseOrDigit else { return false }
        return slug.count <= 100 && slug.unicodeScalars.allSatisfy { $0.isASCIILowercaseOrDigit || $0 == "-" || $0 == "_" || $0 == "." }
    }

    enum Read {
        case missing
        case failed(Diagnostic)
        case text(String)
    }

    /// Reads a metadata file as UTF-8 text, refusing a link that leads out of the root.
    static func readText(_ url: URL, root: URL, shown: String, check: ExampleCheck) -> Read {
        switch FileSystemEntry.kind(of: url) {
        case .missing:
            return .missing
        case .symlink:
            guard FileSystemEntry.isInside(url, root: root) else {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?"
                return .failed(ExampleCheck.outsideRoot.at(shown, line: 1, "a symbolic link to \(target), outside the knowledge base: refused, not read"))
            }
            guard FileSystemEntry.kind(of: url.resolvingSymlinksInPath()) == .file else {
                return .failed(ExampleCheck.unreadableExampleFile.at(shown, line: 1, "a broken symbolic link, or one to a folder"))
            }
        case .file:
            break
        case .directory, .other:
            return .failed(ExampleCheck.unreadableExampleFile.at(shown, line: 1, "not a regular file"))
        }
        if let tooLarge = InputLimits.problem(url, limit: InputLimits.metadataBytes, kind: "\(url.lastPathComponent) files", shown: shown) {
            return .failed(tooLarge)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return .failed(ExampleCheck.unreadableExampleFile.at(shown, line: 1, "cannot read the file"))
        }
        switch TextDecoding.decode(data) {
        case let .success(text): return .text(text)
        case let .failure(.invalidUTF8(line, column)):
            return .failed(check.at(shown, line: line, column: column, "not valid UTF-8 text"))
        case let .failure(.binary(line)):
            return .failed(check.at(shown, line: line, "contains a NUL byte: this is a binary file, not text"))
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILowercaseOrDigit: Bool { ("a"..."z").contains(self) || ("0"..."9").contains(self) }
}
