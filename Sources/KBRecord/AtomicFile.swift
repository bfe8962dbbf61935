import Foundation
import KBContent
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file all at once: the new bytes go to a temporary file in the same folder, which
/// is then renamed over the old one. A reader sees the old file or the new one, never half of
/// one, and a write that is interrupted leaves the old file as it was.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `data` to `url`. `interruption`, for tests, runs after half the bytes are in the
    /// temporary file; if it throws, the write stops there as if the process had been stopped.
    public static func write(_ data: Data, to url: URL, interruption: (() throws -> Void)? = nil) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(
            BuildContext.temporaryPrefix + url.lastPathComponent + "-" + String(getpid()) + "-" + randomSuffix())
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: url.path, reason: "cannot create \(temporary.lastPathComponent): \(errnoText())") }
        var renamed = false
        defer { if !renamed { unlink(temporary.path) } }
        do {
            defer { close(fd) }
            let bytes = [UInt8](data)
            let half = bytes.count / 2
            try writeAll(fd, bytes[0..<half], path: url.path)
            try interruption?()
            try writeAll(fd, bytes[half...], path: url.path)
            guard fsync(fd) == 0 else { throw WriteError(path: url.path, reason: "fsync: \(errnoText())") }
        }
        guard rename(temporary.path, url.path) == 0 else {
            throw WriteError(path: url.path, reason: "rename: \(errnoText())")
        }
        renamed = true
        // Make the rename itself durable (best effort: some file systems refuse fsync on folders).
        let folderFD = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            _ = fsync(folderFD)
            close(folderFD)
        }
    }

    /// Removes temporary files an interrupted write left in `folder`.
    public static func removeLeftovers(in folder: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(BuildContext.temporaryPrefix) {
            unlink(folder.appendingPathComponent(name).path)
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, path: String) throws {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw WriteError(path: path, reason: errnoText())
            }
            offset += written
        }
    }

    private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, buffer, count)
        #else
        Darwin.write(fd, buffer, count)
        #endif
    }

    private static func randomSuffix() -> String {
        String(UInt32.random(in: 0...UInt32.max), radix: 36)
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
