import Foundation
import KBContent
import KBMarkdown
import KBRules

/// `examples/index.html` and `examples/SLUG.html`: each runnable example with its files,
/// its findings, its recorded results and where it is used.
enum ExamplePages {
    /// Files shown on an example page: text, small, and not kb's own bookkeeping.
    static let shownFileLimit = 64 * 1024

    static func render(_ context: SiteContext) throws -> (pages: [SiteFile], searchEntries: [SearchIndex.Entry]) {
        let examples = context.knowledgeBase.examples.examples
        let figures = FigureResolver(context.knowledgeBase.examples)
        var pages: [SiteFile] = []
        var entries: [SearchIndex.Entry] = []
        var index = context.base(depth: 1)
        index["examples"] = examples.map { example -> [String: Any] in
            // Encoded: a slug such as `javascript:x` (refused by the checks) must not become a scheme.
            var entry: [String: Any] = [
                "title": example.manifest?.title ?? example.slug,
                "href": LinkResolver.percentEncodePath(example.slug) + ".html",
                "slug": example.slug,
            ]
            if let summary = example.manifest?.summary { entry["summary"] = summary }
            if case let .success(figure) = figures.figure(example.slug) { entry["size"] = SizeFormat.bytes(figure.bytes) }
            entry["fails"] = example.manifest?.run.fails == true
            return entry
        }
        pages.append(try context.page("examples", index, at: "examples/index.html"))

        let usedIn = articlesUsingExamples(context)
        for example in examples {
            var values = context.base(depth: 1)
            let title = example.manifest?.title ?? example.slug
            var page: [String: Any] = ["slug": example.slug, "title": title]
            if let summary = example.manifest?.summary { page["summary"] = summary; values["description"] = summary }
            page["tags"] = (example.manifest?.tags ?? []).map { context.tagLink($0, depth: 1) }
            if let run = example.manifest?.run {
                page["expectation"] = run.fails
                    ? "Fails on purpose" + (run.stderrContains.map { ": its error output contains “\($0)”." } ?? ".")
                    : "Runs and prints: " + (run.stdout ?? run.stdoutContains ?? "")
            }
            let source = example.readDockerfile() ?? ""
            let findings = context.checked.exampleFindings[example.slug] ?? []
            page["dockerfile"] = DockerfileHighlighter.render(source, findings: findings, idPrefix: "").markup
            page["findings"] = findings.isEmpty ? "" : FindingsMarkup.render(findings, root: "../", linePrefix: "").markup
            page["dockerfilePath"] = example.dockerfileInRoot
            if let buildContext = buildContext(of: example) { page["buildContext"] = buildContext }
            page["files"] = files(of: example)
            page["results"] = results(of: example, figures: figures)
            page["usedIn"] = (usedIn[example.slug] ?? []).map { ["title": $0.title, "href": "../\($0.pagePath)"] }
            values["example"] = page
            pages.append(try context.page("example", values, at: "examples/\(example.slug).html"))
            entries.append(SearchIndex.Entry(
                title: title, url: "examples/\(example.slug).html", kind: "example",
                summary: example.manifest?.summary ?? "", headings: [], tags: example.manifest?.tags ?? [],
                text: example.slug + " " + source))
        }
        return (pages, entries)
    }

    static func articlesUsingExamples(_ context: SiteContext) -> [String: [Article]] {
        var used: [String: [Article]] = [:]
        for block in context.checked.dockerfileBlocks {
            guard let slug = block.exampleSlug, let article = context.article(at: block.articlePath) else { continue }
            if !(used[slug]?.contains { $0 === article } ?? false) { used[slug, default: []].append(article) }
        }
        return used
    }

    /// For an example built from another folder or with another Dockerfile (`context:` or
    /// `dockerfile:` in example.yaml): where it is built from, and how many files the context
    /// (and so the recorded digest) covers. nil for an example built from its own folder.
    static func buildContext(of example: Example) -> [String: Any]? {
        guard let folder = example.contextInRoot, let source = example.source else { return nil }
        var values: [String: Any] = ["folder": folder, "dockerfile": example.dockerfileInRoot]
        if folder == "." {
            values["place"] = "the knowledge base’s root"
        } else if source.exampleFolder == "" {
            values["place"] = "this example’s own folder"
        }
        let ignore = source.folder.appendingPathComponent(".dockerignore")
        if (try? ignore.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            values["ignore"] = example.pathInRoot(ofContextPath: ".dockerignore")
        }
        if let context = example.context {
            let files = context.entries.filter { $0.kind == .file }.count
            let links = context.entries.count - files
            var count = files == 1 ? "1 file" : "\(files) files"
            if links > 0 { count += links == 1 ? " and 1 symbolic link" : " and \(links) symbolic links" }
            values["count"] = count
        }
        return values
    }

    /// The example's other files (sources, example.yaml), escaped, in name order. For an example
    /// built from another folder, paths are from the knowledge base's root, and the context's
    /// `.dockerignore` is among them.
    static func files(of example: Example) -> [[String: Any]] {
        guard let names = try? FileManager.default.subpathsOfDirectory(atPath: example.folder.path) else { return [] }
        guard let source = example.source, example.contextInRoot != nil else {
            return names.sorted().compactMap { name -> [String: Any]? in
                guard name != "Dockerfile", name != ResultsFile.fileName, !name.hasPrefix("."), !name.contains("/.") else { return nil }
                return shownFile(example.folder.appendingPathComponent(name)).map { ["name": name, "content": $0] }
            }
        }
        // The Dockerfile that is built is shown above; if it lies in the example's folder, not again.
        var shown: [(name: String, content: String)] = names.compactMap { name in
            guard name != ResultsFile.fileName, !name.hasPrefix("."), !name.contains("/.") else { return nil }
            if let inContext = source.exampleFolder.map({ ContextSource.join($0, name) }), inContext == source.dockerfilePath { return nil }
            return shownFile(example.folder.appendingPathComponent(name)).map { ("Examples/\(example.slug)/" + name, $0) }
        }
        if let ignore = shownFile(source.folder.appendingPathComponent(".dockerignore")) {
            shown.append((example.pathInRoot(ofContextPath: ".dockerignore"), ignore))
        }
        return shown
            .sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
            .map { ["name": $0.name, "content": $0.content] }
    }

    /// A file's text, if it is a regular file that is small, UTF-8 and not binary.
    static func shownFile(_ url: URL) -> String? {
        guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey, .isSymbolicLinkKey]),
              values.isRegularFile == true, values.isSymbolicLink != true,
              (values.fileSize ?? 0) <= shownFileLimit,
              let data = FileManager.default.contents(atPath: url.path), !data.contains(0),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return text
    }

    static func results(of example: Example, figures: FigureResolver) -> [String: Any] {
        switch example.recordingStatus {
        case let .current(recording):
            return ["recorded": true, "rows": [
                ["label": "Image size", "value": "\(SizeFormat.bytes(recording.image.sizeBytes)) (\(recording.image.sizeBytes) bytes)"],
                ["label": "Layers", "value": "\(recording.image.layers)"],
                ["label": "Build time", "value": String(format: "%.1f s", recording.buildSeconds)],
                ["label": "Run", "value": recording.run.timedOut ? "timed out" : "exit code \(recording.run.exitCode)"],
                ["label": "Matches example.yaml", "value": recording.matched ? "yes" : "no"],
                ["label": "Engine", "value": "\(recording.engine.name) \(recording.engine.version)"],
                ["label": "Platform", "value": recording.platform],
                ["label": "Recorded", "value": recording.date],
                ["label": "Build context", "value": recording.contextDigest],
            ], "output": recording.run.stdout + recording.run.stderr]
        case let .cited(cited):
            return ["cited": true, "size": SizeFormat.bytes(cited.sizeBytes), "title": cited.source.title,
                    "url": SizeTableMarkup.safeURL(cited.source.url) ?? "", "date": cited.source.date, "note": cited.note ?? ""]
        case .stale:
            return ["problem": "The recording is stale: the build context changed since it was made. Run kb record \(example.slug)."]
        case .missing, .unknown:
            return ["problem": "Not recorded yet. Run kb record \(example.slug)."]
        }
    }
}
