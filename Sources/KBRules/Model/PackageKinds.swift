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
        return package.containsBytes("jdk") && !package.containsBytes("jre") && package.hasSuffix("jdk")
            || package.containsBytes("jdk-headless") || package.hasPrefix("java-") && package.hasSuffix("-devel")
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

    /// `pip`, `pip3`, `pip3.12`: the name, then only digits and dots (at least `digits` of them).
    /// What the regex `name[0-9.]*` matches, without compiling a regex on every call.
    static func isVersioned(_ word: String, _ name: String, digits: Int = 0) -> Bool {
        guard word.hasPrefix(name) else { return false }
        let rest = word.utf8.dropFirst(name.utf8.count)
        return rest.count >= digits && rest.allSatisfy { $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// The interpreter a package provides (`python3.11` → python), if it is one.
    static func interpreter(of package: String) -> String? {
        if package == "python3" || package == "python" || package.hasPrefix("python3.") || package == "python3-minimal" { return "python" }
        if package == "nodejs" || package == "nodejs-current" { return "node" }
        if package == "ruby" || PackageKinds.isVersioned(package, "ruby", digits: 1) { return "ruby" }
        if package == "php" || PackageKinds.isVersioned(package.hasSuffix("-cli") ? String(package.dropLast(4)) : package, "php") { return "php" }
        return nil
    }
}

/// How far apart two names are: the number of single-character insertions, deletions,
/// substitutions and swaps of neighbours (optimal string alignment), for "did you mean"
/// suggestions: `FORM` is one edit from `FROM`.
enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
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

extension ShellCommand {
    /// Package managers whose subcommands the rules read.
    static let packageManagers: Set<String> = ["apt-get", "apt", "aptitude", "apk", "dnf", "yum", "microdnf", "tdnf", "zypper"]

    /// For a package manager, its subcommand (`install`, `update`, `add`) and where it is in
    /// `words`, skipping options and the values of those that take one (`-o Dpkg::…`).
    var packageManagerVerb: (verb: String, index: Int)? {
        guard let program, ShellCommand.packageManagers.contains(program) else { return nil }
        let optionsWithValue = ShellCommand.packageManagerOptionsWithValue
        var index = 1
        while index < words.count {
            let word = words[index]
            if word.hasPrefix("-") {
                if optionsWithValue.contains(word) { index += 1 }
            } else {
                return (word, index)
            }
            index += 1
        }
        return nil
    }

    /// Package manager options that take the next word as their value.
    static let packageManagerOptionsWithValue: Set<String> = ["-o", "-c", "-t", "--option", "--config-file", "--target-release", "-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir", "--setopt", "--installroot", "--releasever"]

    /// The package names after an install verb (`apt-get install -y curl=7.88.*` → `curl`).
    var installedPackageNames: [String] {
        guard let (verb, index) = packageManagerVerb, ["install", "add"].contains(verb) else { return [] }
        var names: [String] = []
        var skipNext = false
        for word in words[(index + 1)...] {
            if skipNext { skipNext = false; continue }
            if ["--virtual", "-t", "--repository", "-X", "-o", "--option"].contains(word) { skipNext = true; continue }
            if word.hasPrefix("-") { continue }
            names.append(String(word.split(separator: "=").first ?? Substring(word)).lowercased())
        }
        return names
    }
}

extension ShellCommand {
    /// For `pip install …`, `pip3 install …` and `python3 -m pip install …`: the words after
    /// `install` (options and requirements). Nil for any other command.
    var pipInstallArguments: ArraySlice<String>? {
        guard let program else { return nil }
        var index: Int
        if PackageKinds.isVersioned(program, "pip") {
            index = 1
        } else if PackageKinds.isVersioned(program, "python"), words.count > 2, words[1] == "-m", PackageKinds.isVersioned(words[2], "pip") {
            index = 3
        } else {
            return nil
        }
        while index < words.count, words[index].hasPrefix("-") { index += 1 }
        guard index < words.count, words[index] == "install" else { return nil }
        return words[(index + 1)...]
    }
}
