import KBDockerfile

/// Walks a Dockerfile stage by stage and fills the model: bases, traits, working
/// directories, environment, installs, artifacts and where COPY carries them.
struct BuildAnalyzer {
    let dockerfile: Dockerfile
    let context: BuildContextFiles?
    let catalog: ImageCatalog
    let lexer: ShellLexer

    var globalArguments: [(name: String, value: String?, instruction: Instruction)] = []
    var stages: [Stage] = []
    /// The global ARG values as FROM lines see them, kept up to date as they are read.
    private var globalValues = ShellEnvironment()
    /// The last stage of each name so far: `FROM name` and `COPY --from=name` look here
    /// instead of scanning every earlier stage.
    private var stageIndexByName: [String: Int] = [:]

    /// The longest value a substitution may give, as long as the longest path (PATH_MAX).
    /// `ENV A=$A$A`, repeated, doubles A on every line, and `ENV A=x$A` lengthens it: past
    /// this length the text is kept as written, which bounds the work per line.
    static let maximumExpansion = 4096

    init(dockerfile: Dockerfile, context: BuildContextFiles?, catalog: ImageCatalog) {
        self.dockerfile = dockerfile
        self.context = context
        self.catalog = catalog
        self.lexer = ShellLexer(escapeCharacter: dockerfile.escapeCharacter)
    }

    mutating func run(target: String?) {
        var groups: [(from: Instruction, body: [Instruction])] = []
        for instruction in dockerfile.instructions {
            if instruction.kind == .from {
                groups.append((instruction, []))
            } else if groups.isEmpty {
                if instruction.kind == .arg {
                    for (key, raw) in instruction.keyValuePairs {
                        let value = raw.map { expand($0, globalValues) }
                        globalArguments.append((key, value, instruction))
                        if let value { globalValues[key] = value }
                    }
                }
            } else {
                groups[groups.count - 1].body.append(instruction)
            }
        }
        for (index, group) in groups.enumerated() {
            let stage = analyze(index: index, from: group.from, body: group.body)
            stages.append(stage)
            if let name = stage.name { stageIndexByName[name] = index }
        }
        let finalIndex = target.flatMap { name in stages.firstIndex { $0.name == name } } ?? stages.indices.last
        if let finalIndex { stages[finalIndex].isFinal = true }
    }

    // MARK: - Stages

    private func globalEnvironment() -> ShellEnvironment { globalValues }

    private func expand(_ word: String, _ environment: ShellEnvironment) -> String {
        guard let expanded = try? lexer.expand(word, environment: environment) else { return word }
        return expanded.utf8.count <= Self.maximumExpansion ? expanded : word
    }

    private func analyze(index: Int, from: Instruction, body: [Instruction]) -> Stage {
        let parts = from.fromParts
        let baseText = expand(parts.image, globalEnvironment())
        let name = parts.name.map { expand($0, globalEnvironment()).lowercased() }
        let base = resolveBase(baseText, before: index)
        var stage = Stage(
            index: index, from: from, name: name, baseText: baseText, base: base,
            platform: from.flag("platform")?.value.map { expand($0, globalEnvironment()) }, instructions: body)

        switch base {
        case .scratch:
            stage.baseTraits = .empty
        case let .stage(parent):
            let parentStage = stages[parent]
            stage.baseTraits = parentStage.traits
            stage.workdir = parentStage.workdir
            stage.environment = parentStage.environment
            stage.user = parentStage.user
            stage.installedPackages = parentStage.installedPackages
            stage.artifacts = parentStage.artifacts
            stage.hasUnknownBuildSteps = parentStage.hasUnknownBuildSteps
        case let .image(reference):
            stage.baseTraits = catalog.traits(of: reference)
            stage.workdir = stage.baseTraits?.workdir ?? "/"
        case .unresolved:
            stage.baseTraits = nil
        }
        stage.traits = stage.baseTraits

        // What a RUN or a substitution sees: the stage's ARG values, overridden by its ENV.
        // Kept up to date as they change: rebuilding it for every instruction was quadratic.
        var visible = ShellEnvironment(stage.environment.map { ($0.key, $0.value) })
        for instruction in body {
            switch instruction.kind {
            case .arg:
                for (key, raw) in instruction.keyValuePairs {
                    let value = raw.map { expand($0, visible) } ?? globalArguments.last(where: { $0.name == key })?.value
                    if let value, stage.environment[key] == nil { visible[key] = value }
                }
            case .env:
                for (key, raw) in instruction.keyValuePairs {
                    let value = expand(raw ?? "", visible)
                    stage.environment[key] = value
                    stage.environmentSetBy[key] = instruction
                    visible[key] = value
                }
            case .workdir:
                if let path = instruction.arguments.first {
                    stage.workdir = PathMath.resolve(expand(path, visible), in: stage.workdir)
                    stage.workdirInstructions.append(instruction)
                }
            case .user:
                if let user = instruction.arguments.first {
                    stage.user = (expand(user, visible), instruction)
                }
            case .run:
                // The stage is handed over, not shared: a shared stage is copied whole on its
                // next change, which made every RUN cost as much as all the RUNs before it.
                var commandAnalysis = CommandAnalysis(stage: consume stage, environment: visible, context: context, run: instruction)
                commandAnalysis.analyze(ShellCommandParser.parse(instruction.runScript))
                stage = commandAnalysis.stage
            case .copy, .add:
                copy(instruction, into: &stage, environment: visible)
            default:
                break
            }
        }
        return stage
    }

    /// Copies that bring a loader (`ld-musl-*`, `ld-linux-*`) give the image that C
    /// library; a folder of unknown contents landing on / or a lib folder makes it unknown.
    private func updateLibc(of stage: inout Stage, copying sources: [String], from origin: Stage, operation: CopyOperation) {
        var foundLoader = false
        for source in sources {
            let known = origin.copiedFiles.filter { $0.key == source || $0.key.hasPrefix(source == "/" ? "/" : source + "/") }
            for original in known.values.sorted() where noteLoader(PathMath.basename(original), in: &stage) { foundLoader = true }
            if noteLoader(PathMath.basename(source), in: &stage) { foundLoader = true }
        }
        let landsOnLibraries = ["/", "/lib", "/lib64", "/usr", "/usr/lib"].contains(PathMath.normalize(operation.destination))
        let looksLikeLibrary = sources.contains { $0.hasPrefix("/lib") || $0.hasPrefix("/usr/lib") }
        if !foundLoader, origin.hasUnknownFileCopies, landsOnLibraries || looksLikeLibrary {
            stage.traits?.libc = nil
        }
    }

    /// `COPY --from=build / /` gives the image everything the other stage had. A folder
    /// that the other stage filled (`mkdir -p /rootfs/etc`, `apk add --root /rootfs`,
    /// `make install DESTDIR=/out`) copied onto `/`, `/etc` or `/bin` may bring a passwd
    /// file, a shell or certificates that kb cannot see: what it said was missing becomes
    /// unknown, so the rules that need it stay silent.
    private func copyTrees(_ sources: [String], from origin: Stage, operation: CopyOperation, into stage: inout Stage) {
        guard stage.traits != nil else { return }
        let landing = PathMath.normalize(operation.destination)
        for path in sources {
            if path == "/" && landing == "/" {
                guard let theirs = origin.traits else {
                    stage.traits = nil
                    return
                }
                if theirs.hasShell != false { stage.traits?.hasShell = theirs.hasShell }
                if theirs.hasPasswd != false { stage.traits?.hasPasswd = theirs.hasPasswd }
                if theirs.hasCACertificates != false { stage.traits?.hasCACertificates = theirs.hasCACertificates }
                if theirs.hasTimeZoneData != false { stage.traits?.hasTimeZoneData = theirs.hasTimeZoneData }
                if stage.traits?.libc == LibC.none { stage.traits?.libc = theirs.libc }
                stage.installedPackages.formUnion(origin.installedPackages)
                continue
            }
            guard ["/", "/etc", "/bin", "/usr", "/usr/share"].contains(landing), origin.mayHoldTree(at: path) else { continue }
            func forget(_ flag: WritableKeyPath<ImageTraits, Bool?>) {
                if stage.traits?[keyPath: flag] == false { stage.traits?[keyPath: flag] = nil }
            }
            if landing == "/" || landing == "/etc" {
                if origin.mentions(path + "/etc/passwd") || landing == "/etc" && origin.mentions(path + "/passwd") {
                    stage.traits?.hasPasswd = true
                } else {
                    forget(\.hasPasswd)
                }
                forget(\.hasCACertificates)
            }
            if landing == "/" || landing == "/bin" { forget(\.hasShell) }
            if landing == "/" || landing == "/usr" || landing == "/usr/share" { forget(\.hasTimeZoneData) }
            if landing == "/", origin.installsPackages(into: path) { stage.traits?.libc = nil }
        }
    }

    @discardableResult
    private func noteLoader(_ name: String, in stage: inout Stage) -> Bool {
        guard stage.traits != nil else { return false }
        if name.hasPrefix("ld-musl") {
            if stage.traits?.libc == LibC.none || stage.traits?.libc == nil { stage.traits?.libc = .musl }
            return true
        }
        if name.hasPrefix("ld-linux") {
            if stage.traits?.libc == LibC.none || stage.traits?.libc == nil { stage.traits?.libc = .glibc }
            return true
        }
        return false
    }

    private func resolveBase(_ text: String, before index: Int) -> Stage.Base {
        let lowered = text.lowercased()
        if lowered == "scratch" { return .scratch }
        if let parent = stageIndexByName[lowered], parent < index { return .stage(parent) }
        guard !text.containsBytes("$"), let reference = ImageReference(text) else { return .unresolved(text) }
        return .image(reference)
    }


    // MARK: - COPY and ADD

    private func copy(_ instruction: Instruction, into stage: inout Stage, environment env: ShellEnvironment) {
        guard let parts = instruction.copyParts else { return }
        let destination = PathMath.resolve(expand(parts.destination, env), in: stage.workdir)
            + (parts.destination.hasSuffix("/") ? "/" : "")
        let sources = parts.sources.map { expand($0, env) }
        let source: CopyOperation.Source
        if let from = instruction.flag("from")?.value.map({ expand($0, env) }) {
            if let origin = Int(from).flatMap({ $0 >= 0 && $0 < stage.index ? $0 : nil })
                ?? stageIndexByName[from.lowercased()].flatMap({ $0 < stage.index ? $0 : nil }) {
                source = .stage(origin)
            } else {
                source = .image(from)
            }
        } else {
            source = .context
        }
        let operation = CopyOperation(instruction: instruction, source: source, sources: sources, destination: destination)
        stage.copies.append(operation)

        // Artifacts carried from another stage. `COPY --from` paths start at that stage's root.
        if case let .stage(origin) = source {
            for path in sources {
                let absolute = PathMath.resolve(path, in: "/")
                for var artifact in stages[origin].artifacts where artifact.isCopied(by: absolute) {
                    if artifact.isFolderOfOutputs && absolute.hasPrefix(artifact.path + "/") {
                        // One file picked out of a folder of outputs: now it is that file.
                        artifact.path = operation.landingPath(for: absolute, item: absolute)
                        artifact.isFolderOfOutputs = false
                    } else if artifact.isFolderOfOutputs {
                        artifact.path = operation.landingPath(for: absolute, item: artifact.path)
                    } else {
                        artifact.path = operation.landingPath(for: absolute, item: artifact.path)
                    }
                    artifact.copiedBy.append(instruction)
                    stage.artifacts.append(artifact)
                }
            }
        }

        // A whole file system, or a folder kb cannot see into, landing where an image keeps
        // its users, shell and certificates.
        if case let .stage(origin) = source {
            copyTrees(sources.map { PathMath.resolve($0, in: "/") }, from: stages[origin], operation: operation, into: &stage)
        }

        // A C library's loader copied in changes what the image can run.
        if case let .stage(origin) = source {
            updateLibc(of: &stage, copying: sources.map { PathMath.resolve($0, in: "/") }, from: stages[origin], operation: operation)
        } else if case .image = source {
            for path in sources { noteLoader(PathMath.basename(path), in: &stage) }
        }

        // What copied files provide.
        let landing = sources.map { operation.landingPath(for: PathMath.resolve($0, in: "/"), item: PathMath.resolve($0, in: "/")) }
        for path in landing + [destination] {
            if path.hasPrefix("/etc/ssl") || path.containsBytes("ca-certificates") { stage.traits?.hasCACertificates = true }
            if path.hasPrefix("/usr/share/zoneinfo") { stage.traits?.hasTimeZoneData = true }
            if path.hasPrefix("/etc/passwd") || path == "/etc" || path == "/etc/" { stage.traits?.hasPasswd = true }
            if path == "/bin/sh" || path.hasSuffix("/busybox") || path == "/bin" || path == "/bin/" { stage.traits?.hasShell = true }
        }
        for path in sources where path.hasSuffix("passwd") || path.hasSuffix("ca-certificates.crt") || path.containsBytes("zoneinfo") {
            if path.hasSuffix("passwd") { stage.traits?.hasPasswd = true }
            if path.hasSuffix("ca-certificates.crt") { stage.traits?.hasCACertificates = true }
            if path.containsBytes("zoneinfo") { stage.traits?.hasTimeZoneData = true }
        }
    }
}
