extension ImageCatalog {
    /// The built-in table. Facts from "The Quest for Minimal Docker Images" (2020) and the
    /// official images' documentation; see Content/ for the articles that explain them.
    public static let standard = ImageCatalog(entries: [
        // Distributions.
        Entry(["alpine"], ImageTraits(
            libc: .musl, hasShell: true, hasCCompiler: false, hasCACertificates: true, hasTimeZoneData: false,
            hasPasswd: true, hasObjcopy: false), basis: "Alpine uses musl and busybox; no tzdata by default (P2, P3)"),
        Entry(["debian"], ImageTraits(
            libc: .glibc, hasShell: true, hasCCompiler: false, hasCACertificates: false, hasTimeZoneData: true,
            hasPasswd: true, hasObjcopy: false), basis: "Debian: glibc, dash; tzdata included, ca-certificates not"),
        Entry(["ubuntu"], ImageTraits(
            libc: .glibc, hasShell: true, hasCCompiler: false, hasCACertificates: false, hasTimeZoneData: false,
            hasPasswd: true, hasObjcopy: false), basis: "Ubuntu: glibc; no tzdata (P3)"),
        Entry(["centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "oraclelinux", "redhat/ubi8*", "redhat/ubi9*", "registry.access.redhat.com/ubi*"],
              ImageTraits(libc: .glibc, hasShell: true, hasCCompiler: false, hasTimeZoneData: true, hasPasswd: true),
              basis: "RPM distributions: glibc, bash, tzdata (P3)"),
        Entry(["busybox"], tag: .containsAny(["musl"]), ImageTraits(libc: .musl, hasShell: true, hasCCompiler: false, hasCACertificates: false, hasTimeZoneData: false, hasPasswd: true),
              basis: "busybox:musl"),
        Entry(["busybox"], tag: .containsAny(["uclibc"]), ImageTraits(libc: .uclibc, hasShell: true, hasCCompiler: false, hasCACertificates: false, hasTimeZoneData: false, hasPasswd: true),
              basis: "busybox:uclibc"),
        Entry(["busybox"], tag: .containsAny(["glibc"]), ImageTraits(libc: .glibc, hasShell: true, hasCCompiler: false, hasCACertificates: false, hasTimeZoneData: false, hasPasswd: true),
              basis: "busybox:glibc: a partial glibc, without libdl in 2020 (P2)"),
        Entry(["busybox"], tag: .versionBelow(1, 35), ImageTraits(libc: .uclibc, hasShell: true, hasCCompiler: false, hasCACertificates: false, hasTimeZoneData: false, hasPasswd: true),
              basis: "busybox defaulted to uclibc until the default became glibc in December 2022"),
        Entry(["busybox"], ImageTraits(libc: .glibc, hasShell: true, hasCCompiler: false, hasCACertificates: false, hasTimeZoneData: false, hasPasswd: true),
              basis: "busybox's default tags are the glibc variant since December 2022"),

        // Distroless.
        Entry(["gcr.io/distroless/static*"], tag: .containsAny(["debug"]), ImageTraits(
            libc: LibC.none, hasShell: true, hasCCompiler: false, hasCACertificates: true, hasTimeZoneData: true, hasPasswd: true),
              basis: "distroless static :debug adds a busybox shell"),
        Entry(["gcr.io/distroless/static*"], ImageTraits(
            libc: LibC.none, hasShell: false, hasCCompiler: false, hasCACertificates: true, hasTimeZoneData: true, hasPasswd: true),
              basis: "distroless static: no libc, no shell; CA certificates, tzdata and passwd included"),
        Entry(["gcr.io/distroless/java*"], ImageTraits(
            libc: .glibc, hasShell: false, hasCCompiler: false, java: .jre, hasCACertificates: true, hasTimeZoneData: true, hasPasswd: true),
              basis: "distroless java: a glibc JRE, no shell"),
        Entry(["gcr.io/distroless/*"], tag: .containsAny(["debug"]), ImageTraits(
            libc: .glibc, hasShell: true, hasCCompiler: false, hasCACertificates: true, hasTimeZoneData: true, hasPasswd: true),
              basis: "distroless :debug images add a busybox shell"),
        Entry(["gcr.io/distroless/*"], ImageTraits(
            libc: .glibc, hasShell: false, hasCCompiler: false, hasCACertificates: true, hasTimeZoneData: true, hasPasswd: true),
              basis: "distroless base/cc/python/nodejs: glibc, no shell"),

        // Toolchains.
        Entry(["gcc"], ImageTraits(libc: .glibc, hasShell: true, hasCCompiler: true, hasTimeZoneData: true, hasPasswd: true, hasObjcopy: true, isToolchain: true),
              basis: "gcc: Debian-based, over 1 GB (P1)"),
        Entry(["golang"], tag: .containsAny(["alpine"]), ImageTraits(
            libc: .musl, hasShell: true, hasCCompiler: false, hasCACertificates: true, hasTimeZoneData: false, hasPasswd: true, isToolchain: true, workdir: "/go"),
              basis: "golang:alpine: musl, no gcc; WORKDIR /go (P1)"),
        Entry(["golang"], ImageTraits(
            libc: .glibc, hasShell: true, hasCCompiler: true, hasCACertificates: true, hasTimeZoneData: true, hasPasswd: true, hasObjcopy: true, isToolchain: true, workdir: "/go"),
              basis: "golang: Debian-based with gcc installed, so cgo is on by default; WORKDIR /go (P1, P2)"),
        Entry(["rust"], tag: .containsAny(["alpine"]), ImageTraits(
            libc: .musl, hasShell: true, hasCCompiler: true, hasCACertificates: true, hasTimeZoneData: false, hasPasswd: true, isToolchain: true),
              basis: "rust:alpine: musl target, static by default upstream (P2)"),
        Entry(["rust"], ImageTraits(
            libc: .glibc, hasShell: true, hasCCompiler: true, hasCACertificates: true, hasTimeZoneData: true, hasPasswd: true, hasObjcopy: true, isToolchain: true),
              basis: "rust: Debian-based, gnu target (P2)"),
        Entry(["maven", "gradle"], tag: .containsAny(["alpine"]), ImageTraits(
            libc: .musl, hasShell: true, hasCCompiler: false, java: .jdk, isToolchain: true),
              basis: "maven/gradle on Alpine carry a musl JDK"),
        Entry(["maven", "gradle"], ImageTraits(
            libc: .glibc, hasShell: true, hasCCompiler: false, java: .jdk, isToolchain: true),
              basis: "maven/gradle carry a JDK"),

        // Java.
        Entry(["java"], ImageTraits(
            libc: .glibc, hasShell: true, java: .jdk, isToolchain: true,
            deprecation: "the 'java' image received no updates after 2016-12-31; use eclipse-temurin, amazoncorretto, ibm-semeru-runtimes or sapmachine"),
              basis: "docker-library/docs#660; the series (P2) and minimage dropped it"),
        Entry(["openjdk"], tag: .containsAny(["alpine"]), ImageTraits(
            libc: .musl, hasShell: true, java: .jdk, isToolchain: true,
            deprecation: "the 'openjdk' image is deprecated since July 2022 (early-access builds only); use eclipse-temurin, amazoncorretto, ibm-semeru-runtimes or sapmachine"),
              basis: "openjdk deprecation notice, 2022"),
        Entry(["openjdk"], tag: .containsAny(["jre"]), ImageTraits(
            libc: .glibc, hasShell: true, java: .jre,
            deprecation: "the 'openjdk' image is deprecated since July 2022 (early-access builds only); use eclipse-temurin, amazoncorretto, ibm-semeru-runtimes or sapmachine"),
              basis: "openjdk deprecation notice, 2022"),
        Entry(["openjdk"], ImageTraits(
            libc: .glibc, hasShell: true, java: .jdk, isToolchain: true,
            deprecation: "the 'openjdk' image is deprecated since July 2022 (early-access builds only); use eclipse-temurin, amazoncorretto, ibm-semeru-runtimes or sapmachine"),
              basis: "openjdk deprecation notice, 2022"),
        Entry(["eclipse-temurin", "ibm-semeru-runtimes", "sapmachine", "amazoncorretto"], tag: .containsAny(["alpine"]),
              ImageTraits(libc: .musl, hasShell: true, java: .jdk, isToolchain: true), basis: "Alpine-based Java images: musl"),
        Entry(["eclipse-temurin", "ibm-semeru-runtimes", "sapmachine", "amazoncorretto"], tag: .containsAny(["jre"]),
              ImageTraits(libc: .glibc, hasShell: true, java: .jre), basis: "JRE tags: runtime only"),
        Entry(["amazoncorretto"], tag: .containsAny(["headless"]),
              ImageTraits(libc: .glibc, hasShell: true, java: .jre), basis: "Corretto's headless tags: the runtime without GUI libraries, no javac"),
        Entry(["eclipse-temurin", "ibm-semeru-runtimes", "sapmachine"],
              ImageTraits(libc: .glibc, hasShell: true, java: .jdk, isToolchain: true), basis: "JDK by default"),
        Entry(["amazoncorretto"],
              ImageTraits(libc: .glibc, hasShell: true, java: .jdk, isToolchain: true), basis: "Amazon Linux based JDK"),

        // Interpreters.
        Entry(["python", "node", "ruby", "php"], tag: .containsAny(["alpine"]), ImageTraits(
            libc: .musl, hasShell: true, hasCCompiler: false, hasCACertificates: true, hasTimeZoneData: false, hasPasswd: true,
            interpreter: "", interpreterVariant: "alpine"), basis: "Alpine variants (P2)"),
        Entry(["python", "node", "ruby", "php"], tag: .containsAny(["slim"]), ImageTraits(
            libc: .glibc, hasShell: true, hasCCompiler: false, hasCACertificates: true, hasTimeZoneData: true, hasPasswd: true,
            interpreter: "", interpreterVariant: "slim"), basis: "slim variants: Debian with non-essential packages removed (P2)"),
        Entry(["python", "node", "ruby", "php"], ImageTraits(
            libc: .glibc, hasShell: true, hasCCompiler: true, hasCACertificates: true, hasTimeZoneData: true, hasPasswd: true,
            hasObjcopy: true, interpreter: "", interpreterVariant: "full"), basis: "default variants build on buildpack-deps, compilers included (P2)"),

        // Servers often used as run stages.
        Entry(["nginx", "httpd", "redis", "postgres"], tag: .containsAny(["alpine"]), ImageTraits(libc: .musl, hasShell: true, hasPasswd: true),
              basis: "Alpine variants"),
        Entry(["nginx", "httpd", "redis", "postgres"], ImageTraits(libc: .glibc, hasShell: true, hasPasswd: true), basis: "Debian-based"),
    ])
}

extension ImageTraits {
    /// For interpreter entries, the interpreter is the image's own name.
    func named(_ repository: String) -> ImageTraits {
        var traits = self
        if traits.interpreter == "" { traits.interpreter = repository }
        return traits
    }
}
