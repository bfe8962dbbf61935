/// The C library an image or a binary depends on.
public enum LibC: String, Sendable, Hashable {
    case glibc, musl, uclibc
    /// No C library at all (`scratch`, distroless `static`).
    case none
}

/// What kind of Java an image carries.
public enum JavaKind: String, Sendable, Hashable {
    case jdk, jre
}

/// What a base image provides, as far as kb knows. `nil` means "not known": rules stay
/// silent rather than guess.
public struct ImageTraits: Sendable, Hashable {
    public var libc: LibC?
    public var hasShell: Bool?
    /// A C compiler and the C library headers (so cgo and `gcc` work).
    public var hasCCompiler: Bool?
    public var java: JavaKind?
    public var javaVersion: Int?
    public var hasCACertificates: Bool?
    public var hasTimeZoneData: Bool?
    public var hasPasswd: Bool?
    /// Ships binutils (`objcopy`), which `jlink --strip-debug` needs.
    public var hasObjcopy: Bool?
    /// A language toolchain or SDK image (gcc, golang, rust, a JDK, maven).
    public var isToolchain: Bool
    /// An interpreter image and which variant: `full`, `slim`, `alpine`.
    public var interpreter: String?
    public var interpreterVariant: String?
    /// The WORKDIR the image sets, which relative paths in a stage built on it start from.
    public var workdir: String?
    /// Why the image should not be used any more, when it is deprecated.
    public var deprecation: String?
    /// Go version of a golang image (`1.22` → 1 and 22), for the cgo default.
    public var goMajor: Int?
    public var goMinor: Int?

    public init(
        libc: LibC? = nil, hasShell: Bool? = nil, hasCCompiler: Bool? = nil, java: JavaKind? = nil, javaVersion: Int? = nil,
        hasCACertificates: Bool? = nil, hasTimeZoneData: Bool? = nil, hasPasswd: Bool? = nil, hasObjcopy: Bool? = nil,
        isToolchain: Bool = false, interpreter: String? = nil, interpreterVariant: String? = nil, workdir: String? = nil,
        deprecation: String? = nil
    ) {
        self.libc = libc
        self.hasShell = hasShell
        self.hasCCompiler = hasCCompiler
        self.java = java
        self.javaVersion = javaVersion
        self.hasCACertificates = hasCACertificates
        self.hasTimeZoneData = hasTimeZoneData
        self.hasPasswd = hasPasswd
        self.hasObjcopy = hasObjcopy
        self.isToolchain = isToolchain
        self.interpreter = interpreter
        self.interpreterVariant = interpreterVariant
        self.workdir = workdir
        self.deprecation = deprecation
    }

    /// `scratch`: nothing at all.
    public static let empty = ImageTraits(
        libc: LibC.none, hasShell: false, hasCCompiler: false, hasCACertificates: false, hasTimeZoneData: false,
        hasPasswd: false, hasObjcopy: false)
}
