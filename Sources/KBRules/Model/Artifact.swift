import KBDockerfile

/// How a native binary finds its C library.
public enum Linkage: Sendable, Hashable {
    /// Carries its own copy of everything: runs in any image, `scratch` included.
    case `static`
    /// Needs this C library and its loader at run time.
    case dynamic(LibC)
    /// A Go build whose linkage depends on imports the analysis could not see.
    case likelyDynamic(LibC)
}

/// Something a build step produces that matters to the run stage: a native binary, a
/// Java runtime made by jlink, compiled Java classes.
public struct Artifact: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case nativeBinary
        /// A runtime image made by `jlink`: native code tied to the C library of its stage.
        case javaRuntime
        /// `.class` files from `javac`: portable, but only to a JVM at least as new.
        case javaClasses
    }

    public let kind: Kind
    /// Where it is in the stage that holds it. A directory for jlink output and class
    /// folders; for a build whose output name kb cannot know, the folder it lands in.
    public var path: String
    /// `path` is a folder holding the output (`go build` without `-o`): any file in it may be it.
    public var isFolderOfOutputs: Bool
    public let linkage: Linkage?
    /// The tool that made it: `gcc`, `go build`, `cargo build`, `rustc`, `jlink`, `javac`.
    public let tool: String
    /// The stage where it was built, and the `RUN` that built it.
    public let builtInStage: Int
    public let builtBy: Instruction
    /// Why kb thinks it is static or dynamic, for messages: "gcc without -static".
    public let reason: String
    /// For a jlink runtime, the C library of the JDK that made it.
    public let libc: LibC?
    /// For javac output, the class-file level (`--release`), or nil when it follows the JDK.
    public var javaRelease: Int?
    /// For javac output and jlink runtimes, the JDK version that made them (from the image tag).
    public let javaVersion: Int?
    public var isStripped: Bool
    public var isCompressedWithUPX: Bool
    /// Go builds: the effective CGO_ENABLED, whether `-tags netgo` was given.
    public let cgoEnabled: Bool?
    public let usesNetgoTag: Bool
    /// The COPY instructions that carried it, from its stage to the one holding it now.
    public var copiedBy: [Instruction]

    public init(
        kind: Kind, path: String, isFolderOfOutputs: Bool = false, linkage: Linkage?, tool: String, builtInStage: Int,
        builtBy: Instruction, reason: String, libc: LibC? = nil, javaRelease: Int? = nil, javaVersion: Int? = nil,
        isStripped: Bool = false, isCompressedWithUPX: Bool = false, cgoEnabled: Bool? = nil, usesNetgoTag: Bool = false
    ) {
        self.kind = kind
        self.path = path
        self.isFolderOfOutputs = isFolderOfOutputs
        self.linkage = linkage
        self.tool = tool
        self.builtInStage = builtInStage
        self.builtBy = builtBy
        self.reason = reason
        self.libc = libc
        self.javaRelease = javaRelease
        self.javaVersion = javaVersion
        self.isStripped = isStripped
        self.isCompressedWithUPX = isCompressedWithUPX
        self.cgoEnabled = cgoEnabled
        self.usesNetgoTag = usesNetgoTag
        self.copiedBy = []
    }

    /// Whether `source` (a path in this artifact's stage) names this artifact or a folder holding it.
    func isCopied(by source: String) -> Bool {
        let source = PathMath.normalize(source)
        if source == "/" { return true }
        if isFolderOfOutputs {
            return source == path || source.hasPrefix(path + "/") && !source.dropFirst(path.count + 1).containsBytes("/")
                || path.hasPrefix(source + "/")
        }
        if source == path || path.hasPrefix(source + "/") { return true }
        if source.containsBytes("*") || source.containsBytes("?") || source.containsBytes("[") {
            return PathMath.glob(source, matches: path) || PathMath.glob(source, matches: PathMath.parent(of: path))
        }
        return false
    }
}

/// Absolute-path arithmetic for paths inside an image.
enum PathMath {
    /// Linux's PATH_MAX: no build can use a longer path.
    static let maximumLength = 4096

    /// Joins a path onto a working directory, resolving `.` and `..`. A result longer than
    /// `maximumLength` leaves the directory as it was: a chain of relative WORKDIRs would
    /// otherwise grow a path, and the work on it, without bound.
    static func resolve(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        let joined = normalize(directory + "/" + path)
        return joined.utf8.count <= maximumLength ? joined : directory
    }

    static func normalize(_ path: String) -> String {
        if isNormalized(path) { return path }
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Already in the form `normalize` returns: absolute, no empty, `.` or `..` parts, no
    /// trailing slash (`/` itself is normalized).
    static func isNormalized(_ path: String) -> Bool {
        var utf8 = path.utf8.makeIterator()
        guard utf8.next() == UInt8(ascii: "/") else { return false }
        if path.utf8.count == 1 { return true }
        // The length of the current part, and whether it is only dots so far.
        var length = 0, dots = 0
        while let byte = utf8.next() {
            if byte == UInt8(ascii: "/") {
                if length == 0 || (length == dots && dots <= 2) { return false }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return length > 0 && !(length == dots && dots <= 2)
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    static func basename(_ path: String) -> String {
        String(path.split(separator: "/").last ?? "")
    }

    /// Shell-style `*`, `?` and `[…]` matching, `*` not crossing `/`.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        func match(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == t.count }
            switch p[i] {
            case "*":
                var k = j
                while true {
                    if match(i + 1, k) { return true }
                    if k == t.count || t[k] == "/" { return false }
                    k += 1
                }
            case "?":
                return j < t.count && t[j] != "/" && match(i + 1, j + 1)
            case "[":
                guard j < t.count, let close = p[(i + 1)...].firstIndex(of: "]") else { return false }
                let set = p[(i + 1)..<close]
                return set.contains(t[j]) && match(close + 1, j + 1)
            default:
                return j < t.count && p[i] == t[j] && match(i + 1, j + 1)
            }
        }
        return match(0, 0)
    }
}
