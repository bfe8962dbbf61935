import Foundation
import KBRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How large a file kb reads. Each limit is far above anything a real knowledge base holds,
/// and low enough that the slowest file of that size still takes seconds, not hours, and
/// memory in hundreds of megabytes, not gigabytes. A file over its limit is not read: it is
/// reported with the limit named, and the rest of the knowledge base is checked as usual.
/// docs/formats.md lists them for users.
public enum InputLimits {
    /// Articles: 8 MiB. A long article is 50 KiB and a whole book in Markdown about 2 MiB.
    /// A 50 MB article was measured at 24 s and 900 MB for `kb build` (the page, its search
    /// entry and the site are all held in memory); 8 MiB takes a few seconds.
    public static let articleBytes = 8 * 1024 * 1024

    /// Dockerfiles, in an article's block or an example's folder: 1 MiB. Real ones are a
    /// few KiB, the longest seen in public projects under 100 KiB. The analysis is linear
    /// but not cheap (every RUN is parsed as shell, every rule walks the stages): the worst
    /// shapes measured at 1 MiB (65 000 ENV lines, 87 000 relative WORKDIRs) take about 40 s
    /// in a debug build, and a 10 MB file several minutes.
    public static let dockerfileBytes = 1024 * 1024

    /// YAML and JSON that describe things: kb.yaml, example.yaml, results.json and data
    /// files: 1 MiB. A results.json holds one recording per engine and platform, each run's
    /// output cut at 16 KiB; a data file is a table of figures.
    public static let metadataBytes = 1024 * 1024

    /// The largest size or count a data file may cite: an exabyte, far above any image and
    /// well inside what an `Int` holds, so that no cited figure overflows when it is shown.
    public static let maximumQuantity = 1e18

    /// The size in bytes of the file at `url` (links followed), without reading it; nil when
    /// it cannot be told (missing, or not a regular file).
    public static func size(of url: URL) -> Int? {
        var status = stat()
        guard stat(url.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// A problem for `file` when the file at `url` is over `limit`, or is not a regular file
    /// (reading a named pipe waits for a writer forever); nil when it may be read or is missing.
    static func problem(_ url: URL, limit: Int, kind: String, shown file: String) -> Diagnostic? {
        var status = stat()
        guard stat(url.path, &status) == 0 else { return nil }
        guard (status.st_mode & S_IFMT) == S_IFREG else { return notRegular(file) }
        let size = Int(status.st_size)
        guard size > limit else { return nil }
        return ContentCheck.inputTooLarge.at(file, line: 1, message(kind: kind, size: size, limit: limit))
    }

    /// A named pipe, socket or device where kb expects a file.
    static func notRegular(_ file: String) -> Diagnostic {
        ContentCheck.unreadableFile.at(file, line: 1, "not a regular file (a named pipe, socket or device): not read")
    }

    /// "articles larger than 8 MiB are not read (limit 8 MiB); this one is 50.0 MiB"; with
    /// `atLeast`, for a stream read only up to the limit, "this one is over 8 MiB".
    public static func message(kind: String, size: Int, limit: Int, atLeast: Bool = false) -> String {
        "\(kind) larger than \(mebibytes(limit)) are not read (limit \(mebibytes(limit))); this one is "
            + (atLeast ? "over \(mebibytes(limit))" : mebibytes(size))
    }

    static func mebibytes(_ bytes: Int) -> String {
        let value = Double(bytes) / 1_048_576
        return value == value.rounded() ? "\(Int(value)) MiB" : String(format: "%.1f MiB", value)
    }
}
