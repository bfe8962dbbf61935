import ArgumentParser
import FlyingFox
import FlyingSocks
import Foundation
import KBContent
import KBRules
import KBSite

/// `kb serve`: builds the site, serves it on loopback, rebuilds when a source changes and
/// makes open pages reload (server-sent events at /_kb/events, and a small script added to
/// HTML responses only: the files written to disk are those of `kb build`).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build the site, serve it on this machine, and rebuild it when a source changes.",
        discussion: """
            Builds into Site/ (or --output) as kb build does, then serves that folder over \
            HTTP on 127.0.0.1 (another address only with --host). Content/, Examples/, \
            kb.yaml, --theme and the build contexts that examples name with context: are \
            watched (their files' modification times, every 300 ms; in a context, only the \
            files its .dockerignore lets in); on a change the site is built again and open \
            pages reload. A failing build does not stop the server: pages show the error \
            until it is fixed, and the last good site stays on disk. The address is printed \
            on standard error; --port 0 takes a free port. Stop it with Ctrl-C.

            Example:
              kb serve --root ~/notes --port 8000
            """
    )

    @OptionGroup var rootOptions: RootOptions

    @Option(name: .long, help: ArgumentHelp("Where to write the site (default: ROOT/Site).", valueName: "DIR"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("A folder whose files replace the built-in theme's files of the same name.", valueName: "DIR"))
    var theme: String?

    @Flag(name: .long, help: "Include articles marked draft: true.")
    var drafts = false

    @Option(name: .customLong("fail-on"), help: "Show the error page on findings at or above this level (default: kb.yaml's fail_on, else error).")
    var failOn: FailureThreshold?

    @Option(name: .long, help: "The TCP port (0: any free port).")
    var port: UInt16 = 8000

    @Option(name: .long, help: ArgumentHelp("The address to listen on: 127.0.0.1 (default), ::1, or another interface's address to serve other machines.", valueName: "ADDRESS"))
    var host: String = "127.0.0.1"

    func run() throws {
        // A process started from a thread that blocks signals (a test runner, some
        // supervisors) inherits that mask; Ctrl-C and SIGTERM must still stop the server.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&stopSignals, signal) }
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)

        let address: any SocketAddress
        do {
            let shown = host == "localhost" ? "127.0.0.1" : host
            address = shown.contains(":") ? try sockaddr_in6.inet6(ip6: shown, port: port) : try sockaddr_in.inet(ip4: shown, port: port)
        } catch {
            Output.standardError("kb serve: error: --host \(host) is not an IPv4 or IPv6 address")
            throw KBExit.badInput
        }

        try Pipeline.refuseOutput(
            output.map { URL(fileURLWithPath: $0) } ?? rootOptions.rootURL.appendingPathComponent("Site"),
            shown: output, root: rootOptions.rootURL, command: "serve")
        let builder = LiveBuilder(
            root: rootOptions.rootURL, displayRoot: rootOptions.displayRoot,
            output: output.map { URL(fileURLWithPath: $0) } ?? rootOptions.rootURL.appendingPathComponent("Site"),
            theme: theme.map { URL(fileURLWithPath: $0) }, drafts: drafts, failOn: failOn)
        let state = LiveState()
        state.publish(failure: builder.build())

        let server = HTTPServer(address: address, timeout: 30, handler: LiveSiteHandler(folder: builder.output, state: state))
        let listening = DispatchSemaphore(value: 0)
        let boundPort = LockedBox<UInt16?>(nil)
        Task {
            let waiter = Task {
                try await server.waitUntilListening(timeout: 10)
                if case let .ip4(_, port)? = await server.listeningAddress { boundPort.value = port }
                if case let .ip6(_, port)? = await server.listeningAddress { boundPort.value = port }
                listening.signal()
            }
            do {
                try await server.run()
            } catch {
                waiter.cancel()
                Output.standardError("kb serve: error: cannot serve on \(host) port \(port): \(error)")
                Foundation.exit(KBExit.badInput.rawValue)
            }
        }
        listening.wait()
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let shownOutput = output ?? (rootOptions.displayRoot.isEmpty ? "Site" : rootOptions.displayRoot + "/Site")
        Output.standardError("kb serve: serving \(shownOutput)/ at http://\(shownHost):\(boundPort.value ?? port)/ (Ctrl-C stops)")
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            Output.standardError("kb serve: warning: listening on \(host), not only on this machine's loopback")
        }

        // Watch on this (the main) thread: builds are synchronous work that should not hold
        // one of the few threads the server's tasks run on.
        var seen = builder.fingerprint()
        while true {
            Thread.sleep(forTimeInterval: 0.3)
            let now = builder.fingerprint()
            guard now != seen else { continue }
            seen = now
            Output.standardError("kb serve: a source changed, building")
            state.publish(failure: builder.build())
            // Edits made during the build are picked up by the next poll.
        }
    }
}

/// The build of `kb build`, returning what went wrong instead of exiting.
struct LiveBuilder: Sendable {
    let root: URL
    let displayRoot: String
    let output: URL
    let theme: URL?
    let drafts: Bool
    let failOn: FailureThreshold?
    /// The build contexts outside Examples/ and Content/ (example.yaml's `context:`) that the
    /// last build that got as far as loading the examples found: watched too.
    let contexts = LockedBox<[ContextSource]>([])

    /// Builds and publishes the site; nil when it was written, else the error to show.
    func build() -> String? {
        let started = Date()
        do {
            let theme = try self.theme.map { try Theme.overriding(with: $0) } ?? .builtIn
            // After an edit no other page sees, an edit build makes that page again and little
            // else; one that would fail leaves the failure to the cached build below.
            var listing: ContentListing?
            switch EditBuild.prepare(root: root, displayRoot: displayRoot, output: output, includeDrafts: drafts, theme: theme, format: .text) {
            case var .success(edit):
                let threshold = failOn ?? edit.configuredFailOn ?? .error
                if !edit.counts.contains(where: { $0.value > 0 && threshold.fails($0.key) }) {
                    if !edit.report.isEmpty { FileHandle.standardError.write(edit.report) }
                    try edit.commit()
                    let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
                    Output.standardError("kb serve: \(edit.articleCount) articles, \(edit.filesWritten) files written in \(seconds) s")
                    return nil
                }
            case let .failure(refusal):
                listing = refusal.listing
            }
            // The build cache makes a rebuild after one edit cost about one page.
            let cache = BuildCache(output: output, root: root, displayRoot: displayRoot, includeDrafts: drafts)
            let knowledgeBase = try ContentLoader.load(
                root: root, displayRoot: displayRoot, options: .init(includeDrafts: drafts), cache: cache, listing: listing)
            contexts.value = watchedContexts(knowledgeBase.examples)
            let checked = Checker.check(knowledgeBase, cache: cache)
            let threshold = failOn ?? knowledgeBase.configuration.failOn ?? .error
            if !checked.diagnostics.isEmpty { Output.standardError(Reporter.text(checked.diagnostics)) }
            if checked.diagnostics.contains(where: { threshold.fails($0.severity) }) {
                let failing = checked.diagnostics.filter { threshold.fails($0.severity) }
                Output.standardError("kb serve: \(Pipeline.summary(checked.diagnostics)); the site was not written")
                return Reporter.text(failing)
            }
            let report = Reporter.lines(checked.diagnostics, as: .text).map { SiteRenderer.PrintedReport(format: .text, lines: $0) }
            let written = try SiteRenderer(theme: theme).publish(knowledgeBase, checked: checked, to: output, cache: cache, report: report)
            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
            Output.standardError("kb serve: \(knowledgeBase.articles.count) articles, \(written) files written in \(seconds) s")
            return nil
        } catch let problems as Diagnostics {
            let text = Reporter.text(problems.all)
            Output.standardError(text)
            return text
        } catch {
            let text = "\(error)"
            Output.standardError("kb serve: error: \(text)")
            return text
        }
    }

    /// The context folders of examples that are not inside a folder watched anyway, each once.
    func watchedContexts(_ catalog: ExampleCatalog) -> [ContextSource] {
        let watched = watchedFolders.map { ($0.resolvingSymlinksInPath().path as NSString).standardizingPath }
        var seen: Set<String> = []
        var found: [ContextSource] = []
        for example in catalog.examples {
            guard let source = example.source, !source.isExampleFolder else { continue }
            let path = source.folder.standardizedFileURL.path
            if watched.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { continue }
            // Examples may share a context; the Dockerfile, always sent, is part of what is watched.
            guard seen.insert(path + "\0" + source.dockerfilePath).inserted else { continue }
            found.append(source)
        }
        return found
    }

    /// Content/, Examples/ and the theme: every file in them is watched.
    var watchedFolders: [URL] {
        [root.appendingPathComponent("Content"), root.appendingPathComponent("Examples")] + (theme.map { [$0] } ?? [])
    }

    /// Whether a folder is what a build writes: the site, its cache, or a staging folder beside it.
    func isBuildOutput(_ folder: URL) -> Bool {
        let output = self.output.standardizedFileURL
        let folder = folder.standardizedFileURL
        if folder.path == output.path || folder.path.hasPrefix(output.path + "/") { return true }
        guard folder.deletingLastPathComponent().path == output.deletingLastPathComponent().path else { return false }
        // `.Site.kb-cache`, `.Site.tmp-PID-N`.
        return folder.lastPathComponent.hasPrefix("." + output.lastPathComponent + ".")
    }

    /// What the watcher compares: every watched file's path, size and modification time.
    func fingerprint() -> [String: String] {
        var found: [String: String] = [:]
        let manager = FileManager.default
        let keys: [URLResourceKey] = [.contentModificationDateKey, .fileSizeKey, .isDirectoryKey]
        func note(_ url: URL) {
            guard let values = try? url.resourceValues(forKeys: Set(keys)) else { return }
            let time = values.contentModificationDate?.timeIntervalSince1970 ?? 0
            found[url.path] = "\(values.fileSize ?? -1) \(time)"
        }
        for folder in watchedFolders {
            note(folder)
            guard let walker = manager.enumerator(at: folder, includingPropertiesForKeys: keys) else { continue }
            for case let url as URL in walker {
                // The recorder's temporary files come and go; they are not sources.
                if url.lastPathComponent.hasPrefix(".kb-tmp-") { continue }
                if url.standardizedFileURL.path.hasPrefix(output.standardizedFileURL.path + "/") { continue }
                note(url)
            }
        }
        note(root.appendingPathComponent(Configuration.fileName))
        // Build contexts elsewhere (the repository's root, say): only the files their
        // .dockerignore lets in (a file that comes or goes counts too), so a left-out .build/ is
        // not walked, and neither are the folders a build writes. Not the folders' own times:
        // the site's folder is swapped in the root at every build.
        for source in contexts.value {
            for file in BuildContext.watchedFiles(source, root: root, skippingFolder: isBuildOutput) { note(file) }
        }
        return found
    }
}

/// The site's current version and build error, shared by the watcher and the server.
final class LiveState: @unchecked Sendable {
    private let lock = NSLock()
    /// Changes with every build; the token tells pages served by an earlier `kb serve` apart.
    private let token = String(UUID().uuidString.prefix(8)).lowercased()
    private var count = 0
    private var failure: String?
    private var waiters: [UUID: CheckedContinuation<String?, Never>] = [:]

    var version: String { lock.withLock { "\(token)-\(count)" } }
    var buildFailure: String? { lock.withLock { failure } }

    func publish(failure: String?) {
        let (version, waiting) = lock.withLock { () -> (String, [CheckedContinuation<String?, Never>]) in
            count += 1
            self.failure = failure
            let waiting = Array(waiters.values)
            waiters = [:]
            return ("\(token)-\(count)", waiting)
        }
        for waiter in waiting { waiter.resume(returning: version) }
    }

    /// The version after `seen`, as soon as there is one; nil after `timeout` seconds without.
    func version(after seen: String, timeout: Double) async -> String? {
        let id = UUID()
        return await withCheckedContinuation { continuation in
            let current: String? = lock.withLock {
                let current = "\(token)-\(count)"
                if current != seen { return current }
                waiters[id] = continuation
                return nil
            }
            if let current {
                continuation.resume(returning: current)
                return
            }
            Task {
                try? await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
                self.expire(id)
            }
        }
    }

    private func expire(_ id: UUID) {
        let waiter = lock.withLock { waiters.removeValue(forKey: id) }
        waiter?.resume(returning: nil)
    }
}

final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// Serves the output folder, the event stream, and the error page while a build fails.
struct LiveSiteHandler: HTTPHandler {
    let folder: URL
    let state: LiveState

    static let eventsPath = "/_kb/events"

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            let headers: HTTPHeaders = [HTTPHeader("Allow"): "GET, HEAD"]
            return HTTPResponse(statusCode: .methodNotAllowed, headers: headers)
        }
        let rawPath = request.target.path(percentEncoded: false)
        if rawPath == Self.eventsPath {
            return events(request)
        }
        let response = page(rawPath, wantsHTML: (request.headers[.init("Accept")] ?? "").contains("text/html"))
        guard request.method == .HEAD else { return response }
        var head = response
        let length = try await response.bodyData.count
        head.payload = .httpBody(HTTPBodySequence())
        head.headers[.contentLength] = String(length)
        return head
    }

    private func page(_ rawPath: String, wantsHTML: Bool) -> HTTPResponse {
        var components = rawPath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !components.contains(where: { $0 == ".." || $0 == "." || $0.contains("\0") }) else {
            return text(.badRequest, "bad path\n")
        }
        if rawPath.hasSuffix("/") || components.isEmpty { components.append("index.html") }
        let relative = components.joined(separator: "/")
        let file = folder.appendingPathComponent(relative)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue {
            // Relative links need the slash.
            let headers: HTTPHeaders = [.location: "/" + relative + "/"]
            return HTTPResponse(statusCode: .movedPermanently, headers: headers)
        }
        let isHTML = relative.hasSuffix(".html") || (!exists && wantsHTML)
        if isHTML, let failure = state.buildFailure {
            return html(.internalServerError, Self.errorPage(failure))
        }
        guard exists, let data = FileManager.default.contents(atPath: file.path) else {
            if isHTML, let notFound = FileManager.default.contents(atPath: folder.appendingPathComponent("404.html").path) {
                return html(.notFound, String(decoding: notFound, as: UTF8.self))
            }
            return text(.notFound, "not found: \(rawPath)\n")
        }
        if relative.hasSuffix(".html") {
            return html(.ok, String(decoding: data, as: UTF8.self))
        }
        return HTTPResponse(statusCode: .ok, headers: [.contentType: Self.contentType(of: relative), .cacheControl: "no-cache"], body: data)
    }

    private func html(_ status: HTTPStatusCode, _ page: String) -> HTTPResponse {
        let body = Self.injectingReloadScript(into: page, version: state.version)
        return HTTPResponse(statusCode: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"], body: Data(body.utf8))
    }

    private func text(_ status: HTTPStatusCode, _ message: String) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "text/plain; charset=utf-8"], body: Data(message.utf8))
    }

    /// A text/event-stream that sends `reload` whenever the site changes after the version
    /// the page was served with (at once if it already has).
    private func events(_ request: HTTPRequest) -> HTTPResponse {
        let since = request.headers[.init("Last-Event-ID")] ?? request.query["since"] ?? ""
        return HTTPResponse(
            statusCode: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: HTTPBodySequence(from: EventStream(state: state, since: since), suggestedBufferSize: 1024))
    }

    static let reloadMarker = "data-kb-live-reload"

    static func injectingReloadScript(into page: String, version: String) -> String {
        let script = """
            <script \(reloadMarker)>(function(){var s=new EventSource("\(eventsPath)?since=\(version)");\
            s.addEventListener("reload",function(){s.close();location.reload();});})();</script>

            """
        guard let end = page.range(of: "</body>", options: [.backwards, .caseInsensitive]) else { return page + script }
        return page.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: script)
    }

    static func errorPage(_ failure: String) -> String {
        let escaped = failure
            .replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>kb serve: the build failed</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}\
            pre{background:#fff4f4;border:1px solid #d33;padding:1rem;overflow:auto;white-space:pre-wrap}</style></head>
            <body>
            <h1>The build failed</h1>
            <p>The site was not rebuilt. Fix this and save: the page reloads by itself.</p>
            <pre class="kb-build-error">\(escaped)</pre>
            </body>
            </html>

            """
    }

    static func contentType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "xml": "application/xml"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt", "md": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}

/// The bytes of a server-sent event stream: a retry delay and the current version, then a
/// `reload` event per new version, and a comment every 15 s so dead connections are found.
struct EventStream: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let state: LiveState
    let since: String

    func makeAsyncIterator() -> Iterator { Iterator(state: state, seen: since) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        let state: LiveState
        var seen: String
        var started = false

        mutating func next() async throws -> UInt8? {
            fatalError("call nextBuffer(suggested:)")
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            if Task.isCancelled { return nil }
            if !started {
                started = true
                let current = state.version
                if seen.isEmpty { seen = current }
                if current != seen {
                    seen = current
                    return Array("retry: 1000\nid: \(current)\nevent: reload\ndata: \(current)\n\n".utf8)
                }
                return Array("retry: 1000\nid: \(current)\n\n".utf8)
            }
            guard let next = await state.version(after: seen, timeout: 15) else {
                return Array(": still here\n\n".utf8)
            }
            seen = next
            return Array("id: \(next)\nevent: reload\ndata: \(next)\n\n".utf8)
        }
    }
}
