/// What kind of thing a distribution package is, by name (Debian, Alpine and RPM names),
/// for rules that ask "did this stage install a compiler?" or "is Node here?".
enum PackageKinds {
    /// Compilers and SDKs: a stage that installs one can build programs.
    static func isToolchain(_ package: String) -> Bool {
        let names: Set<String> = [
            "gcc", "g++", "gcc-c++", "clang", "build-essential", "build-base", "musl-tools",
            "golang", "golang-go", "go", "rustc", "cargo", "rust", "maven", "gradle",
            "default-jdk", "default-jdk-headless",
        ]
        if names.contains(package) { return true }
        // openjdk-17-jdk, openjdk-17-jdk-headless, openjdk21-jdk, java-17-openjdk-devel
        return package.contains("jdk") && !package.contains("jre") && package.hasSuffix("jdk")
            || package.contains("jdk-headless") || package.hasPrefix("java-") && package.hasSuffix("-devel")
            || package.hasPrefix("golang-") && package.hasSuffix("-go")
    }

    /// Packages needed only to compile: compilers, headers (`*-dev`, `*-devel`), build tools.
    static func isBuildDependency(_ package: String) -> Bool {
        let names: Set<String> = [
            "build-base", "build-essential", "gcc", "g++", "gcc-c++", "clang", "gfortran", "make", "cmake",
            "musl-dev", "libc-dev", "libc6-dev", "linux-headers", "autoconf", "automake", "libtool", "pkgconf",
            "pkgconfig", "pkg-config", "cargo", "rust",
        ]
        return names.contains(package) || package.hasSuffix("-dev") || package.hasSuffix("-devel")
    }

    /// Node.js and its package managers.
    static func isNodeTooling(_ package: String) -> Bool {
        ["nodejs", "npm", "yarn", "yarnpkg", "nodejs-npm", "nodejs-current", "pnpm"].contains(package)
    }

    /// The interpreter a package provides (`python3.11` → python), if it is one.
    static func interpreter(of package: String) -> String? {
        if package == "python3" || package == "python" || package.hasPrefix("python3.") || package == "python3-minimal" { return "python" }
        if package == "nodejs" || package == "nodejs-current" { return "node" }
        if package == "ruby" || package.wholeMatch(of: /ruby[0-9.]+/) != nil { return "ruby" }
        if package == "php" || package.wholeMatch(of: /php[0-9.]*(-cli)?/) != nil { return "php" }
        return nil
    }
}

/// How far apart two names are: the number of single-character insertions, deletions
/// and substitutions (Levenshtein), for "did you mean" suggestions.
enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The candidate closest to `name` (case-insensitive) when it is a plausible typo: at
    /// most `limit` edits, and fewer edits than half the name's length.
    static func closest(to name: String, among candidates: [String], limit: Int = 2) -> String? {
        let key = name.lowercased()
        let scored = candidates.map { ($0, between(key, $0.lowercased())) }
            .filter { $0.1 > 0 && $0.1 <= limit && $0.1 * 2 < max(key.count, 2) }
        return scored.min { $0.1 < $1.1 }?.0
    }
}
