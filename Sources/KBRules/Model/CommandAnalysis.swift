import KBDockerfile

/// Reads the simple commands of one `RUN` and records what they do to the stage:
/// packages installed, binaries built (and how they link), users created.
struct CommandAnalysis {
    var stage: Stage
    /// ARG and ENV values, plus what `export` sets during this RUN.
    var environment: ShellEnvironment
    let context: BuildContextFiles?
    let run: Instruction
    /// The working directory, which `cd` changes for the rest of the RUN.
    var directory: String

    init(stage: Stage, environment: ShellEnvironment, context: BuildContextFiles?, run: Instruction) {
        self.stage = stage
        self.environment = environment
        self.context = context
        self.run = run
        self.directory = stage.workdir
    }

    /// Tools whose outputs kb cannot predict.
    static let opaqueBuildTools: Set<String> = ["make", "cmake", "ninja", "meson", "bazel", "scons", "gradle", "gradlew", "sbt", "bash", "sh"]
    static let cCompilers: Set<String> = ["gcc", "cc", "clang", "g++", "c++", "clang++", "musl-gcc", "x86_64-linux-musl-gcc", "x86_64-linux-gnu-gcc"]

    mutating func analyze(_ commands: [ShellCommand]) {
        for command in commands {
            stage.commands.append((command, run))
            analyze(command)
        }
    }

    private func value(_ name: String, in command: ShellCommand) -> String? {
        command.assignments.last(where: { $0.name == name })?.value ?? environment[name]
    }

    private mutating func analyze(_ command: ShellCommand) {
        guard let program = command.program else {
            // A bare assignment line: `X=1` (a shell variable, not exported) is ignored.
            return
        }
        switch program {
        case "cd":
            directory = PathMath.resolve(command.words.dropFirst().first ?? "/", in: directory)
        case "export":
            for word in command.words.dropFirst() {
                if let eq = word.firstIndex(of: "=") { environment[String(word[..<eq])] = String(word[word.index(after: eq)...]) }
            }
        case "apt-get", "apt", "apk", "dnf", "yum", "microdnf", "tdnf":
            install(command)
        case "cp", "install":
            recordCopy(command)
        case "xargs", "rsync", "tar":
            if command.words.contains(where: { $0 == "cp" || $0 == "-x" || $0 == "-xf" || $0 == "xf" || $0.hasPrefix("-x") }) || program == "rsync" {
                stage.hasUnknownFileCopies = true
            }
        case "useradd", "adduser", "groupadd", "addgroup":
            stage.traits?.hasPasswd = true
        case "go":
            goBuild(command)
        case "cargo":
            cargoBuild(command)
        case "rustc":
            rustc(command)
        case "jlink":
            jlink(command)
        case "javac":
            javac(command)
        case "mvn":
            if command.words.contains(where: { ["package", "install", "verify"].contains($0) }) {
                addJavaClasses(at: PathMath.resolve("target", in: directory), tool: "mvn", release: mavenRelease())
            }
        case "strip":
            for target in command.words.dropFirst() where !target.hasPrefix("-") {
                markArtifact(at: PathMath.resolve(target, in: directory)) { $0.isStripped = true }
            }
        case "upx":
            for target in command.words.dropFirst() where !target.hasPrefix("-") {
                markArtifact(at: PathMath.resolve(target, in: directory)) { $0.isCompressedWithUPX = true }
            }
        default:
            if CommandAnalysis.cCompilers.contains(program) {
                compileC(command, program: program)
            } else if CommandAnalysis.opaqueBuildTools.contains(program) || program.hasPrefix("./") || program.hasSuffix(".sh") {
                stage.hasUnknownBuildSteps = true
            }
        }
    }

    // MARK: - Files

    /// `cp [-options] SOURCE... DEST` with literal paths: remember what each copy is.
    private mutating func recordCopy(_ command: ShellCommand) {
        var operands: [String] = []
        var parents = false
        var targetDirectory: String?
        var words = command.words.dropFirst()[...]
        while let word = words.first {
            words = words.dropFirst()
            if word == "-t" || word == "--target-directory", let next = words.first {
                targetDirectory = next
                words = words.dropFirst()
            } else if word == "--parents" {
                parents = true
            } else if word.hasPrefix("-") {
                if command.program == "install", ["-m", "-o", "-g", "--mode", "--owner", "--group"].contains(word) { words = words.dropFirst() }
            } else {
                operands.append(word)
            }
        }
        if targetDirectory == nil, operands.count >= 2 { targetDirectory = operands.removeLast() } else if targetDirectory == nil { return }
        guard let destination = targetDirectory else { return }
        guard !(operands + [destination]).contains(where: { $0.containsBytes("$") || $0.containsBytes("*") || $0.containsBytes("{") || $0.containsBytes("?") }) else {
            stage.hasUnknownFileCopies = true
            return
        }
        let destinationPath = PathMath.resolve(destination, in: directory)
        let intoFolder = destination.hasSuffix("/") || operands.count > 1 || parents || command.words.contains("-t")
        for operand in operands {
            let source = PathMath.resolve(operand, in: directory)
            let target = parents ? PathMath.resolve(String(source.dropFirst()), in: destinationPath)
                : intoFolder ? PathMath.resolve(PathMath.basename(source), in: destinationPath) : destinationPath
            stage.copiedFiles[target] = stage.copiedFiles[source] ?? source
            // A built binary copied elsewhere is still that binary.
            for artifact in stage.artifacts where artifact.path == source && !artifact.isFolderOfOutputs {
                var copy = artifact
                copy.path = target
                stage.artifacts.append(copy)
            }
        }
    }

    // MARK: - Packages

    private mutating func install(_ command: ShellCommand) {
        let words = Array(command.words.dropFirst())
        guard let verb = words.firstIndex(where: { ["install", "add"].contains($0) }) else { return }
        var packages: [String] = []
        var skipNext = false
        for word in words[(verb + 1)...] {
            if skipNext { skipNext = false; continue }
            if word == "--virtual" || word == "-t" || word == "--repository" || word == "-X" { skipNext = true; continue }
            if word.hasPrefix("-") { continue }
            let name = String(word.split(separator: "=").first ?? Substring(word))
            packages.append(name.lowercased())
        }
        for package in packages {
            stage.installedPackages.insert(package)
            switch package {
            case "ca-certificates", "ca-certificates-bundle": stage.traits?.hasCACertificates = true
            case "tzdata": stage.traits?.hasTimeZoneData = true
            case "binutils": stage.traits?.hasObjcopy = true
            case "gcc", "build-base", "build-essential", "clang", "musl-tools", "gcc-c++", "g++":
                stage.traits?.hasCCompiler = true
            case "busybox", "busybox-static", "bash", "dash":
                stage.traits?.hasShell = true
            default:
                if package.hasPrefix("openjdk") || package == "default-jdk" || package == "default-jdk-headless" {
                    if package.containsBytes("jdk") {
                        stage.traits?.java = .jdk
                        stage.traits?.isToolchain = true
                    } else if stage.traits?.java == nil {
                        stage.traits?.java = .jre
                    }
                    let digits = package.drop(while: { !$0.isNumber }).prefix(while: \.isNumber)
                    if let version = Int(digits) { stage.traits?.javaVersion = version }
                }
            }
        }
    }

    // MARK: - C

    private mutating func compileC(_ command: ShellCommand, program: String) {
        let arguments = command.words.dropFirst()
        // Only a link step makes a binary: `-c`, `-E`, `-S`, `--version` do not.
        guard !arguments.contains(where: { ["-c", "-E", "-S", "--version", "-v", "-dumpversion", "-dumpmachine"].contains($0) }),
              arguments.contains(where: { $0.hasSuffix(".c") || $0.hasSuffix(".o") || $0.hasSuffix(".cc") || $0.hasSuffix(".cpp") || $0 == "-o" })
        else { return }
        let output = PathMath.resolve(command.option("-o") ?? "a.out", in: directory)
        let isStatic = arguments.contains { $0 == "-static" || $0 == "-static-pie" || $0 == "--static" }
        let libc: LibC? = program.containsBytes("musl") ? .musl : stage.traits?.libc
        let linkage: Linkage? = isStatic ? .static : libc.map { .dynamic($0) }
        let reason = isStatic ? "\(program) -static" : "\(program) without -static"
        add(Artifact(
            kind: .nativeBinary, path: output, linkage: linkage, tool: program, builtInStage: stage.index,
            builtBy: run, reason: reason, libc: libc, isStripped: arguments.contains { ["-s", "-Wl,-s", "-Wl,--strip-all"].contains($0) }))
    }

    // MARK: - Go

    private mutating func goBuild(_ command: ShellCommand) {
        let words = Array(command.words.dropFirst())
        guard let verb = words.first, verb == "build" || verb == "install" else { return }
        let libc = stage.traits?.libc
        let cgoSetting = value("CGO_ENABLED", in: command)
        let cgoEnabled: Bool? = {
            if let setting = cgoSetting { return setting == "1" }
            // Default: on where a C compiler is present; since Go 1.20, off where none is.
            guard let compiler = stage.traits?.hasCCompiler else { return nil }
            return compiler
        }()
        let tags = command.option("-tags", "--tags") ?? ""
        let netgo = tags.split(whereSeparator: { $0 == "," || $0 == " " }).contains("netgo")
        // Go flags take `-ldflags X` or `-ldflags=X`.
        let ldflags = command.option("-ldflags", "--ldflags")
            ?? command.words.first(where: { $0.hasPrefix("-ldflags=") }).map { String($0.dropFirst("-ldflags=".count)) } ?? ""
        let externalStatic = ldflags.containsBytes("-extldflags") && ldflags.containsBytes("-static")
        let stripped = ldflags.split(whereSeparator: { " '\"".contains($0) }).contains("-s")

        var linkage: Linkage?
        var reason: String
        if cgoEnabled == false {
            linkage = .static
            reason = cgoSetting == nil ? "go build without a C compiler in the stage (cgo off)" : "go build with CGO_ENABLED=0"
        } else if externalStatic {
            linkage = .static
            reason = "go build with -extldflags -static"
        } else if let context, context.hasGoSources {
            let imports = context.goImports
            let tagList = tags.split(whereSeparator: { $0 == "," || $0 == " " })
            let cgoImports = imports.filter { path in
                if path == "C" { return true }
                if CommandAnalysis.cgoModules.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { return true }
                if path == "net" || path.hasPrefix("net/") { return !tagList.contains("netgo") }
                if path == "os/user" { return !tagList.contains("osusergo") }
                return false
            }.sorted()
            if cgoImports.isEmpty {
                linkage = .static
                reason = "go build of packages that need no cgo"
            } else {
                linkage = libc.map { .dynamic($0) }
                reason = "go build with cgo on (\(cgoSetting == nil ? "the default with a C compiler present" : "CGO_ENABLED=\(cgoSetting!)")) of code importing \(cgoImports.joined(separator: ", "))"
            }
        } else {
            linkage = cgoEnabled == nil ? nil : libc.map { .likelyDynamic($0) }
            reason = "go build with cgo on (\(cgoSetting == nil ? "the default with a C compiler present" : "CGO_ENABLED=\(cgoSetting!)"))"
        }
        let gopath = value("GOPATH", in: command) ?? "/go"
        if let output = command.option("-o") {
            let path = PathMath.resolve(output, in: directory)
            add(Artifact(
                kind: .nativeBinary, path: path, isFolderOfOutputs: output.hasSuffix("/"), linkage: linkage, tool: "go \(verb)",
                builtInStage: stage.index, builtBy: run, reason: reason, libc: libc, isStripped: stripped,
                cgoEnabled: cgoEnabled, usesNetgoTag: netgo))
        } else {
            let folder = verb == "install" ? (value("GOBIN", in: command) ?? gopath + "/bin") : directory
            add(Artifact(
                kind: .nativeBinary, path: PathMath.normalize(folder), isFolderOfOutputs: true, linkage: linkage,
                tool: "go \(verb)", builtInStage: stage.index, builtBy: run, reason: reason, libc: libc, isStripped: stripped,
                cgoEnabled: cgoEnabled, usesNetgoTag: netgo))
        }
    }

    /// Well-known Go modules that are cgo bindings to a C library: importing them links
    /// the program against the C library whatever the rest of the code does.
    static let cgoModules = [
        "github.com/mattn/go-sqlite3", "github.com/confluentinc/confluent-kafka-go", "gopkg.in/confluentinc/confluent-kafka-go",
        "github.com/google/gopacket/pcap", "github.com/DataDog/zstd", "github.com/valyala/gozstd", "github.com/go-gl/glfw",
        "github.com/libgit2/git2go", "github.com/tecbot/gorocksdb", "github.com/linxGnu/grocksdb", "github.com/godror/godror",
    ]

    // MARK: - Rust

    private mutating func cargoBuild(_ command: ShellCommand) {
        let words = command.words.dropFirst()
        guard let verb = words.first, verb == "build" || verb == "install" else { return }
        let target = command.option("--target")
        let release = command.has("--release", "-r")
        let rustflags = value("RUSTFLAGS", in: command) ?? ""
        let (linkage, reason) = rustLinkage(target: target, rustflags: rustflags, tool: "cargo \(verb)")
        let folder: String
        if verb == "install" {
            folder = (command.option("--root").map { $0 + "/bin" }) ?? (value("CARGO_HOME", in: command).map { $0 + "/bin" } ?? "/usr/local/cargo/bin")
        } else {
            let targetDir = command.option("--target-dir") ?? value("CARGO_TARGET_DIR", in: command) ?? "target"
            folder = [targetDir, target, release ? "release" : "debug"].compactMap { $0 }.joined(separator: "/")
        }
        // Symbols go with `strip = true` (or "symbols") in the release profile, or with
        // `-C strip=symbols` / `-C link-arg=-s` in RUSTFLAGS.
        let profileStrips = release && (context?.files["Cargo.toml"].map(CommandAnalysis.cargoReleaseProfileStrips) ?? false)
        add(Artifact(
            kind: .nativeBinary, path: PathMath.resolve(folder, in: directory), isFolderOfOutputs: true, linkage: linkage,
            tool: "cargo \(verb)", builtInStage: stage.index, builtBy: run, reason: reason, libc: stage.traits?.libc,
            isStripped: profileStrips || CommandAnalysis.rustflagsStrip(rustflags)))
    }

    static func rustflagsStrip(_ flags: String) -> Bool {
        flags.containsBytes("strip=symbols") || flags.containsBytes("link-arg=-s") || flags.containsBytes("link-args=-s")
    }

    /// Whether Cargo.toml's `[profile.release]` says `strip = true` or `strip = "symbols"`.
    static func cargoReleaseProfileStrips(_ manifest: String) -> Bool {
        var inRelease = false
        for rawLine in manifest.split(separator: "\n") {
            let line = rawLine.filter { $0 != " " && $0 != "\t" }
            if line.hasPrefix("[") { inRelease = line == "[profile.release]"; continue }
            if inRelease, line == "strip=true" || line == "strip=\"symbols\"" || line == "strip='symbols'" { return true }
        }
        return false
    }

    private mutating func rustc(_ command: ShellCommand) {
        guard command.words.dropFirst().contains(where: { $0.hasSuffix(".rs") }) else { return }
        let (linkage, reason) = rustLinkage(
            target: command.option("--target"),
            rustflags: (value("RUSTFLAGS", in: command) ?? "") + " " + command.words.joined(separator: " "), tool: "rustc")
        let source = command.words.first(where: { $0.hasSuffix(".rs") }) ?? "main.rs"
        let output = command.option("-o") ?? String(PathMath.basename(source).dropLast(3))
        add(Artifact(
            kind: .nativeBinary, path: PathMath.resolve(output, in: directory), linkage: linkage, tool: "rustc",
            builtInStage: stage.index, builtBy: run, reason: reason, libc: stage.traits?.libc,
            isStripped: CommandAnalysis.rustflagsStrip((value("RUSTFLAGS", in: command) ?? "") + " " + command.words.joined(separator: " "))))
    }

    private func rustLinkage(target: String?, rustflags: String, tool: String) -> (Linkage?, String) {
        // `-C target-feature=-crt-static` turns static linking off, even for a musl target.
        if rustflags.containsBytes("-crt-static") {
            var libc = stage.traits?.libc
            if let target { libc = target.containsBytes("musl") ? .musl : target.containsBytes("gnu") ? .glibc : libc }
            return (libc.map { .dynamic($0) }, "\(tool) with -crt-static")
        }
        if let target, target.containsBytes("musl") { return (.static, "\(tool) for the \(target) target") }
        if rustflags.containsBytes("crt-static") { return (.static, "\(tool) with crt-static") }
        if let target, target.containsBytes("gnu") { return (.dynamic(.glibc), "\(tool) for the \(target) target") }
        switch stage.traits?.libc {
        case .musl?: return (.static, "\(tool) on a musl toolchain, static by default")
        case let libc?: return (.dynamic(libc), "\(tool) for the default (gnu) target")
        case nil: return (nil, tool)
        }
    }

    // MARK: - Java

    private mutating func jlink(_ command: ShellCommand) {
        guard let output = command.option("--output") else { return }
        let libc = stage.traits?.libc
        add(Artifact(
            kind: .javaRuntime, path: PathMath.resolve(output, in: directory), linkage: libc.map { .dynamic($0) },
            tool: "jlink", builtInStage: stage.index, builtBy: run,
            reason: "jlink in a \(libc?.rawValue ?? "unknown") stage", libc: libc, javaVersion: stage.traits?.javaVersion))
    }

    private mutating func javac(_ command: ShellCommand) {
        let release = (command.option("--release") ?? command.option("-target") ?? command.option("--target")).flatMap(javaVersionNumber)
        let output = command.option("-d") ?? "."
        addJavaClasses(at: PathMath.resolve(output, in: directory), tool: "javac", release: release)
    }

    private mutating func addJavaClasses(at path: String, tool: String, release: Int?) {
        add(Artifact(
            kind: .javaClasses, path: path, linkage: nil, tool: tool, builtInStage: stage.index, builtBy: run,
            reason: release.map { "\(tool) --release \($0)" } ?? "\(tool) for the JDK's own version",
            javaRelease: release, javaVersion: stage.traits?.javaVersion))
    }

    private func javaVersionNumber(_ text: String) -> Int? {
        if text.hasPrefix("1."), let minor = Int(text.dropFirst(2)) { return minor }
        return Int(text)
    }

    private func mavenRelease() -> Int? {
        guard let pom = context?.files["pom.xml"] else { return nil }
        for key in ["maven.compiler.release", "maven.compiler.target", "<release>"] {
            guard let range = pom.range(of: key) else { continue }
            let after = pom[range.upperBound...].drop(while: { !$0.isNumber })
            if let version = javaVersionNumber(String(after.prefix(while: { $0.isNumber || $0 == "." }))) { return version }
        }
        return nil
    }

    // MARK: - Artifacts

    private mutating func add(_ artifact: Artifact) {
        stage.artifacts.removeAll { $0.path == artifact.path && !$0.isFolderOfOutputs }
        stage.artifacts.append(artifact)
    }

    private mutating func markArtifact(at path: String, _ change: (inout Artifact) -> Void) {
        for index in stage.artifacts.indices where stage.artifacts[index].path == path
            || (stage.artifacts[index].isFolderOfOutputs && PathMath.parent(of: path) == stage.artifacts[index].path) {
            change(&stage.artifacts[index])
        }
    }
}
