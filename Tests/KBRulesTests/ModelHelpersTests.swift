import Foundation
@testable import KBRules
import Testing

/// The small readers the model is built from: how shell text splits into commands and
/// words, how a JSON-form RUN reads back as a script, and which catalog entry an image gets.
@Suite struct ModelHelpersTests {
    @Test func splitsCommandsAndWordsAsTheShellDoes() {
        #expect(ShellCommandParser.split("apt-get update && apt-get install -y gcc; echo done | tee log")
            == [["apt-get", "update"], ["apt-get", "install", "-y", "gcc"], ["echo", "done"], ["tee", "log"]])
        #expect(ShellCommandParser.split("echo 'a b' \"c \\\"d\\\" $HOME\" e\\ f") == [["echo", "a b", "c \"d\" $HOME", "e f"]])
        #expect(ShellCommandParser.split("make \\\n  all # build it\nstrip out") == [["make", "all"], ["strip", "out"]])
        #expect(ShellCommandParser.split("cp $(go env GOROOT)/lib/time/zoneinfo.zip /z (x)") == [["cp", "$(go env GOROOT)/lib/time/zoneinfo.zip", "/z"], ["x"]])
        #expect(ShellCommandParser.split("echo a#b #c") == [["echo", "a#b"]])
        #expect(ShellCommandParser.split("") == [])
    }

    /// Words outside ASCII pass through whole; a line break of CRLF ends the command as the
    /// LF in it does, the CR staying in the word (what sh does with it).
    @Test func splitWorksOnBytes() {
        #expect(ShellCommandParser.split("echo héllo 'wörld ✓' \"é\u{301}\"") == [["echo", "héllo", "wörld ✓", "é\u{301}"]])
        #expect(ShellCommandParser.split("echo \"\u{301}x\"") == [["echo", "\u{301}x"]])
        #expect(ShellCommandParser.split("a b\r\nc") == [["a", "b\r"], ["c"]])
        #expect(ShellCommandParser.split("echo \\é") == [["echo", "é"]])
    }

    @Test func programIsTheNameAfterTheLastSlash() {
        #expect(ShellCommand(words: ["/usr/bin/apt-get", "install"]).program == "apt-get")
        #expect(ShellCommand(words: ["apk"]).program == "apk")
        #expect(ShellCommand(words: ["./configure"]).program == "configure")
        #expect(ShellCommand(words: ["bin/"]).program == "bin")
        #expect(ShellCommand(words: ["/"]).program == "/")
        #expect(ShellCommand(words: []).program == nil)
    }

    @Test func quotesJSONFormWordsSoTheyReadBackAsOneWord() {
        #expect(ShellQuoting.quote("plain-word") == "plain-word")
        #expect(ShellQuoting.quote("") == "''")
        #expect(ShellQuoting.quote("a b") == "'a b'")
        #expect(ShellQuoting.quote("it's") == "'it'\\''s'")
        #expect(ShellQuoting.quote("héllo") == "héllo")
        for word in ["a b", "x;y", "$HOME", "it's", "tab\there", "(sub)", "#c"] {
            #expect(ShellCommandParser.split("cmd " + ShellQuoting.quote(word)) == [["cmd", word]], "\(word)")
        }
    }

    @Test func readsImageReferences() throws {
        let distroless = try #require(ImageReference("gcr.io/distroless/static-debian12:nonroot@sha256:abc"))
        #expect(distroless.registry == "gcr.io" && distroless.path == "distroless/static-debian12")
        #expect(distroless.tag == "nonroot" && distroless.digest == "sha256:abc")
        #expect(distroless.repository == "static-debian12" && distroless.name == "gcr.io/distroless/static-debian12")
        let local = try #require(ImageReference("localhost:5000/app"))
        #expect(local.registry == "localhost:5000" && local.path == "app" && local.tag == nil)
        let hub = try #require(ImageReference("docker.io/library/Alpine:3.20"))
        #expect(hub.registry == nil && hub.path == "alpine" && hub.tag == "3.20" && hub.name == "alpine")
        #expect(ImageReference("library/golang:1.22-bookworm")?.majorMinorVersion.map { [$0.0, $0.1] } == [1, 22])
        #expect(ImageReference("Bitnami/Python")?.name == "bitnami/python")
        #expect(ImageReference("ghcr.io/owner/image")?.registry == "ghcr.io")
        for refused in ["", "a//b", "$BASE", "a b", "/x", "x/"] { #expect(ImageReference(refused) == nil, "\(refused)") }
    }

    @Test func catalogGivesTheFirstMatchingEntryInTableOrder() throws {
        let catalog = ImageCatalog(entries: [
            .init(["alpine"], ImageTraits(libc: .musl, hasShell: true), basis: "a"),
            .init(["gcr.io/distroless/static*"], ImageTraits(libc: LibC.none, hasShell: false), basis: "b"),
            .init(["gcr.io/distroless/*", "debian"], tag: .containsAny(["slim"]), ImageTraits(libc: .glibc, hasShell: false), basis: "c"),
            .init(["debian", "gcr.io/distroless/*"], ImageTraits(libc: .glibc, hasShell: true), basis: "d"),
        ])
        func traits(_ text: String) -> ImageTraits? { ImageReference(text).flatMap { catalog.traits(of: $0) } }
        #expect(traits("alpine:3.20")?.libc == .musl)
        #expect(traits("gcr.io/distroless/static-debian12")?.libc == LibC.none)
        #expect(traits("gcr.io/distroless/base-debian12:slim")?.hasShell == false)
        #expect(traits("gcr.io/distroless/base-debian12")?.hasShell == true)
        #expect(traits("debian:bookworm-slim")?.hasShell == false)
        #expect(traits("debian:bookworm")?.hasShell == true)
        #expect(traits("ubuntu:24.04") == nil)
    }
}
