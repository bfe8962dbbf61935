import Foundation
import KBTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `kb serve` as a process, over a real socket: pages, the reload script, the event stream,
/// rebuilds on change, and the error page while a build fails.
@Suite(.serialized) struct ServeCommandTests {
    @Test func servesRebuildsAndShowsBuildErrors() throws {
        let folder = try TemporaryFolder()
        #expect(try KBBinary.run(["init", folder.path]).status == 0)
        let server = try ServeProcess(arguments: ["serve", "--root", folder.path, "--port", "0"], environment: ["KB_TIMINGS": "1"])
        defer { server.stop() }
        let port = try server.waitForPort()

        // The home page, with the reload script in the response and not in the file on disk.
        let home = try HTTPProbe.get(port: port, path: "/")
        #expect(home.status == 200)
        #expect(home.headers["content-type"] == "text/html; charset=utf-8")
        #expect(home.body.contains("<title>My minimal images</title>"))
        #expect(home.body.contains("<script data-kb-live-reload>"))
        #expect(home.body.contains("new EventSource(\"/_kb/events?since="))
        let onDisk = try folder.read("Site/index.html")
        #expect(!onDisk.contains("data-kb-live-reload"))
        #expect(home.body.replacingOccurrences(of: #"<script data-kb-live-reload>.*</script>\n"#, with: "", options: .regularExpression) == onDisk)
        let version = try #require(home.body.firstMatch(of: /since=([0-9a-f]+-[0-9]+)"/)).1

        // Assets are served as they are, with their type.
        let css = try HTTPProbe.get(port: port, path: "/assets/style.css", accept: "text/css")
        #expect(css.status == 200)
        #expect(css.headers["content-type"] == "text/css; charset=utf-8")
        #expect(css.body == (try folder.read("Site/assets/style.css")))
        #expect(try HTTPProbe.get(port: port, path: "/articles").headers["location"] == "/articles/")
        #expect(try HTTPProbe.get(port: port, path: "/../etc/passwd", accept: "*/*").status != 200)

        // A page served with an old version is told to reload at once.
        let stale = try HTTPProbe.readEvents(port: port, path: "/_kb/events?since=old", until: "event: reload", seconds: 5)
        #expect(stale.contains("text/event-stream"))
        #expect(stale.contains("event: reload\ndata: \(version)\n"))

        // An up-to-date page waits; an edit rebuilds the site and the stream says reload.
        let stream = try HTTPProbe.openStream(port: port, path: "/_kb/events?since=\(version)")
        defer { close(stream) }
        let opening = try HTTPProbe.read(stream, until: "id: \(version)\n\n", seconds: 5)
        #expect(!opening.contains("event: reload"))
        let source = try folder.read("Content/first-minimal-image.md")
        try folder.write("Content/first-minimal-image.md", source.replacingOccurrences(of: "title: Your first minimal image", with: "title: Served while editing"))
        let reload = try HTTPProbe.read(stream, until: "event: reload", seconds: 30)
        #expect(reload.contains("event: reload"))
        let edited = try poll(seconds: 30) {
            let page = try HTTPProbe.get(port: port, path: "/articles/first-minimal-image.html")
            return page.body.contains("Served while editing") ? page : nil
        }
        #expect(edited.status == 200)
        #expect(edited.body.contains("data-kb-live-reload"))

        // Broken front matter: HTML requests get the error page, other files the last good
        // site, and the server keeps running.
        try folder.write("Content/first-minimal-image.md", source.replacingOccurrences(of: "title: Your first minimal image", with: "title: [unclosed"))
        let failed = try poll(seconds: 30) {
            let page = try HTTPProbe.get(port: port, path: "/articles/first-minimal-image.html")
            return page.status == 500 ? page : nil
        }
        #expect(failed.body.contains("The build failed"))
        #expect(failed.body.contains("Content/first-minimal-image.md:"))
        #expect(failed.body.contains("[KC004 malformed-front-matter]"))
        #expect(failed.body.contains("data-kb-live-reload"))
        #expect(try HTTPProbe.get(port: port, path: "/").status == 500)
        #expect(try HTTPProbe.get(port: port, path: "/assets/style.css", accept: "text/css").status == 200)
        #expect(try folder.read("Site/articles/first-minimal-image.html").contains("Served while editing"))
        #expect(server.isRunning)

        // Fixed: the site is served again.
        try folder.write("Content/first-minimal-image.md", source.replacingOccurrences(of: "title: Your first minimal image", with: "title: Fixed again"))
        let fixed = try poll(seconds: 30) {
            let page = try HTTPProbe.get(port: port, path: "/articles/first-minimal-image.html")
            return page.status == 200 && page.body.contains("Fixed again") ? page : nil
        }
        #expect(!fixed.body.contains("The build failed"))
        #expect(server.isRunning)

        // A sentence that no other page sees: an edit build makes that page again.
        #expect(!server.standardError().contains("made again"))
        try folder.write("Content/first-minimal-image.md", try folder.read("Content/first-minimal-image.md") + "\nA sentence added while serving.\n")
        let appended = try poll(seconds: 30) {
            let page = try HTTPProbe.get(port: port, path: "/articles/first-minimal-image.html")
            return page.body.contains("A sentence added while serving.") ? page : nil
        }
        #expect(appended.status == 200)
        #expect(server.standardError().contains("kb timings: edit build: 1 article pages made again"), "\(server.standardError())")
        let log = server.standardError()
        #expect(log.contains("a source changed, building"))
        #expect(log.contains("the site was not written"))
    }

    @Test func listensOnLoopbackByDefaultAndRejectsABadHost() throws {
        let folder = try TemporaryFolder()
        #expect(try KBBinary.run(["init", folder.path]).status == 0)
        let server = try ServeProcess(arguments: ["serve", "--root", folder.path, "--port", "0"])
        defer { server.stop() }
        _ = try server.waitForPort()
        #expect(server.standardError().contains("serving \(folder.path)/Site/ at http://127.0.0.1:"))
        #expect(!server.standardError().contains("warning"))
        #expect(server.stop(), "SIGTERM did not stop kb serve")

        let bad = try KBBinary.run(["serve", "--root", folder.path, "--host", "example.org"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--host example.org is not an IPv4 or IPv6 address"))
    }

    /// An example built from the knowledge base's root (`context: ../..`, as kb's own image):
    /// the files that context lets in are watched, though they lie outside Examples/; what its
    /// .dockerignore leaves out, and the site written into the root, are not.
    @Test func rebuildsWhenAFileOfABuildContextOutsideExamplesChanges() throws {
        let folder = try TemporaryFolder()
        #expect(try KBBinary.run(["init", folder.path]).status == 0)
        try folder.write("Dockerfile", "FROM debian:bookworm-slim\nCOPY Sources/tool /usr/local/bin/tool\nENTRYPOINT [\"tool\"]\n")
        try folder.write(".dockerignore", "*\n!Sources\n")
        try folder.write("Sources/tool", "#!/bin/sh\necho tool\n")
        try folder.write("build/junk", "left out\n")
        try folder.write("Examples/self/example.yaml", "title: The tool itself\ncontext: ../..\nrun:\n  stdout_contains: tool\n")
        // Not recorded: a warning, which kb init's kb.yaml fails on.
        let server = try ServeProcess(arguments: ["serve", "--root", folder.path, "--port", "0", "--fail-on", "error"])
        defer { server.stop() }
        let port = try server.waitForPort()
        let first = try HTTPProbe.get(port: port, path: "/examples/self.html")
        #expect(first.status == 200)
        #expect(first.body.contains("Build context: <code>.</code>"))
        #expect(first.body.contains("The context holds 3 files"))
        let rebuilds = { server.standardError().components(separatedBy: "a source changed, building").count - 1 }

        // Nothing changed: the site written into the root (and its cache beside it) is no change.
        Thread.sleep(forTimeInterval: 1.5)
        #expect(rebuilds() == 0, "\(server.standardError())")
        // A file the context's .dockerignore leaves out: no rebuild either.
        try folder.write("build/junk", "still left out, edited\n")
        try folder.write("build/more/new", "new, left out\n")
        Thread.sleep(forTimeInterval: 1.5)
        #expect(rebuilds() == 0, "\(server.standardError())")

        // The context's Dockerfile, at the root: rebuilt, and the page shows the edit.
        let version = try #require(first.body.firstMatch(of: /since=([0-9a-f]+-[0-9]+)"/)).1
        let stream = try HTTPProbe.openStream(port: port, path: "/_kb/events?since=\(version)")
        defer { close(stream) }
        _ = try HTTPProbe.read(stream, until: "id: \(version)\n\n", seconds: 5)
        try folder.write("Dockerfile", "FROM debian:bookworm-slim\nCOPY Sources/tool /usr/local/bin/tool\nENTRYPOINT [\"tool\", \"edited-at-the-root\"]\n")
        _ = try HTTPProbe.read(stream, until: "event: reload", seconds: 30)
        let edited = try poll(seconds: 30) {
            let page = try HTTPProbe.get(port: port, path: "/examples/self.html")
            return page.body.contains("edited-at-the-root") ? page : nil
        }
        #expect(edited.status == 200)

        // A new file in a folder the context lets in.
        try folder.write("Sources/lib/helper.sh", "echo helper\n")
        let grown = try poll(seconds: 30) {
            let page = try HTTPProbe.get(port: port, path: "/examples/self.html")
            return page.body.contains("The context holds 4 files") ? page : nil
        }
        #expect(grown.status == 200)

        // Without .dockerignore the whole root is the context, the site kb writes into it too;
        // the watcher leaves the site, its cache and staging folders alone, or it would never rest.
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent(".dockerignore"))
        _ = try poll(seconds: 30) {
            let page = try HTTPProbe.get(port: port, path: "/examples/self.html")
            return page.body.contains("Build context: <code>.</code> (the knowledge base’s root); ") ? page : nil
        }
        Thread.sleep(forTimeInterval: 1)
        let settled = rebuilds()
        Thread.sleep(forTimeInterval: 1.5)
        #expect(rebuilds() == settled, "\(server.standardError())")
        #expect(server.isRunning)
    }

    private func poll<T>(seconds: Double, _ attempt: () throws -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try attempt() { return value }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw ProbeError("nothing after \(seconds) s")
    }
}

struct ProbeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `kb serve` in the background, its standard error in a file.
final class ServeProcess {
    let process = Process()
    let errorURL: URL

    init(arguments: [String], environment: [String: String] = [:]) throws {
        errorURL = FileManager.default.temporaryDirectory.appendingPathComponent("kb-serve-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        process.executableURL = KBBinary.url
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardError = try FileHandle(forWritingTo: errorURL)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    func standardError() -> String {
        (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
    }

    /// The port from the "serving … at http://127.0.0.1:PORT/" line.
    func waitForPort(seconds: Double = 60) throws -> UInt16 {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let match = standardError().firstMatch(of: /at http:\/\/127\.0\.0\.1:([0-9]+)\//), let port = UInt16(match.1) {
                return port
            }
            guard process.isRunning else { throw ProbeError("kb serve ended: \(standardError())") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ProbeError("kb serve printed no address: \(standardError())")
    }

    /// SIGTERM, then SIGKILL if it is still there after 5 s. True when SIGTERM was enough.
    @discardableResult
    func stop() -> Bool {
        var stoppedByTerm = !process.isRunning
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            stoppedByTerm = !process.isRunning
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: errorURL)
        return stoppedByTerm
    }
}

/// Plain HTTP/1.1 over a POSIX socket, so the test depends on nothing but the server.
enum HTTPProbe {
    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    static func openStream(port: UInt16, path: String, accept: String = "text/event-stream") throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ProbeError("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw ProbeError("cannot connect to port \(port)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: \(accept)\r\nConnection: close\r\n\r\n"
        let sent = request.utf8CString.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count - 1, 0) }
        guard sent == request.utf8.count else { close(fd); throw ProbeError("send failed") }
        return fd
    }

    /// Reads until `marker` appears, the peer closes, or the time is up (then throws).
    static func read(_ fd: Int32, until marker: String?, seconds: Double) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16384)
        while Date() < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
                if let marker, String(decoding: received, as: UTF8.self).contains(marker) { break }
                if marker == nil, let text = Optional(String(decoding: received, as: UTF8.self)), complete(text) { break }
            } else if count == 0 {
                break
            }
        }
        let text = String(decoding: received, as: UTF8.self)
        if let marker, !text.contains(marker) { throw ProbeError("no '\(marker)' within \(seconds) s in: \(text)") }
        return text
    }

    static func readEvents(port: UInt16, path: String, until marker: String, seconds: Double) throws -> String {
        let fd = try openStream(port: port, path: path)
        defer { close(fd) }
        return try read(fd, until: marker, seconds: seconds)
    }

    static func get(port: UInt16, path: String, accept: String = "text/html") throws -> Reply {
        let fd = try openStream(port: port, path: path, accept: accept)
        defer { close(fd) }
        let text = try read(fd, until: nil, seconds: 10)
        guard let split = text.range(of: "\r\n\r\n") else { throw ProbeError("no HTTP reply: \(text)") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Reply(status: status, headers: headers, body: String(text[split.upperBound...]))
    }

    /// Whether a reply with a Content-Length has all of its body.
    private static func complete(_ text: String) -> Bool {
        guard let split = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<split.lowerBound].lowercased()
        guard let match = head.firstMatch(of: /content-length: *([0-9]+)/), let length = Int(match.1) else { return false }
        return text[split.upperBound...].utf8.count >= length
    }
}
