import Foundation
import KBTestSupport
import Testing

@testable import KBContent

@Suite("SHA-256 and build-context digests")
struct ExamplesDigestTests {
    // FIPS 180-4 / NIST CSRC example vectors.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func nistVectors(input: String, expected: String) {
        #expect(SHA256.hex(input) == expected)
    }

    @Test func oneMillionAs() {
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every length around the 55/56/64-byte padding edges, fed in uneven pieces, against sha256sum.
    @Test func incrementalUpdatesMatchCoreutils() throws {
        var generator = SplitMix(seed: 7)
        var inputs: [[UInt8]] = []
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4097] {
            inputs.append((0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        }
        for input in inputs {
            var hasher = SHA256()
            var index = 0
            var piece = 1
            while index < input.count {
                let end = min(input.count, index + piece)
                hasher.update(Array(input[index..<end]))
                index = end
                piece = piece * 3 % 71 + 1
            }
            let incremental = SHA256.hexString(hasher.finalize())
            #expect(incremental == SHA256.hex(input), "length \(input.count)")
            let reference = try coreutilsSHA256(input)
            #expect(incremental == reference, "length \(input.count)")
        }
    }

    /// The digest format of docs/formats.md, checked against Python's hashlib on the same bytes.
    @Test func contextDigestFollowsTheDocumentedFormat() {
        let context = BuildContext(entries: [
            .init(path: "hello.c", kind: .file, bytes: Array("int main(void) { return 0; }\n".utf8)),
            .init(path: "Dockerfile", kind: .file, bytes: Array("FROM scratch\nCOPY hello /\n".utf8)),
            .init(path: "lib/link", kind: .symlink, bytes: Array("../hello.c".utf8)),
        ])
        #expect(context.paths == ["Dockerfile", "hello.c", "lib/link"])
        // python3 -c 'import hashlib; e=[("Dockerfile","f",b"FROM scratch\nCOPY hello /\n"),
        //   ("hello.c","f",b"int main(void) { return 0; }\n"),("lib/link","l",b"../hello.c")];
        //   print(hashlib.sha256(b"".join(p.encode()+b"\0"+k.encode()+b"\0"+str(len(c)).encode()+b"\0"+c
        //   for p,k,c in e)).hexdigest())'
        #expect(context.digest == "sha256:765f6ce0b39d23fcb45ee5fa2868d8eae10537fbdd82bc3a9b701482037b62bd")
    }

    @Test func digestDependsOnPathsKindsAndContentsButNotOrder() {
        let a = BuildContext.Entry(path: "a", kind: .file, bytes: [1, 2])
        let b = BuildContext.Entry(path: "b", kind: .file, bytes: [3])
        let base = BuildContext(entries: [a, b]).digest
        #expect(BuildContext(entries: [b, a]).digest == base)
        #expect(BuildContext(entries: [a, .init(path: "c", kind: .file, bytes: [3])]).digest != base)
        #expect(BuildContext(entries: [a, .init(path: "b", kind: .file, bytes: [4])]).digest != base)
        #expect(BuildContext(entries: [a, .init(path: "b", kind: .symlink, bytes: [3])]).digest != base)
        // Moving a byte from one file to the next must change the digest (lengths are hashed).
        #expect(
            BuildContext(entries: [.init(path: "a", kind: .file, bytes: [1]), .init(path: "b", kind: .file, bytes: [2, 3])]).digest != base)
    }

    private func coreutilsSHA256(_ bytes: [UInt8]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
