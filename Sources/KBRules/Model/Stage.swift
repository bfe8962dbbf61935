import KBDockerfile

/// One `FROM` and the instructions up to the next: what it starts from and what it holds.
public struct Stage: Sendable {
    /// What a stage is built on.
    public enum Base: Sendable, Hashable {
        /// `FROM scratch`: an empty file system.
        case scratch
        /// `FROM build`: an earlier stage, by index.
        case stage(Int)
        /// An image from a registry.
        case image(ImageReference)
        /// Text kb cannot resolve (an ARG without a default, say).
        case unresolved(String)
    }

    /// The stage's values live in one reference, copied only when a stage that shares it
    /// changes: rules copy stages freely (`for stage in build.stages`), and a copy is then
    /// one reference count instead of one per field.
    final class Storage: @unchecked Sendable {
        let index: Int
        let from: Instruction
        let name: String?
        let baseText: String
        let base: Base
        let platform: String?
        let instructions: [Instruction]
        var baseTraits: ImageTraits? = nil
        var traits: ImageTraits? = nil
        var workdir: String = "/"
        var workdirInstructions: [Instruction] = []
        var environment: [String: String] = [:]
        var environmentSetBy: [String: Instruction] = [:]
        var user: (value: String, instruction: Instruction)? = nil
        var installedPackages: Set<String> = []
        var artifacts: [Artifact] = []
        var commands: [(command: ShellCommand, run: Instruction)] = []
        var copies: [CopyOperation] = []
        var copiedFiles: [String: String] = [:]
        var hasUnknownBuildSteps = false
        var hasUnknownFileCopies = false
        var isFinal = false

        init(index: Int, from: Instruction, name: String?, baseText: String, base: Base, platform: String?, instructions: [Instruction]) {
            self.index = index
            self.from = from
            self.name = name
            self.baseText = baseText
            self.base = base
            self.platform = platform
            self.instructions = instructions
        }

        func copy() -> Storage {
            let copy = Storage(index: index, from: from, name: name, baseText: baseText, base: base, platform: platform, instructions: instructions)
            copy.baseTraits = baseTraits
            copy.traits = traits
            copy.workdir = workdir
            copy.workdirInstructions = workdirInstructions
            copy.environment = environment
            copy.environmentSetBy = environmentSetBy
            copy.user = user
            copy.installedPackages = installedPackages
            copy.artifacts = artifacts
            copy.commands = commands
            copy.copies = copies
            copy.copiedFiles = copiedFiles
            copy.hasUnknownBuildSteps = hasUnknownBuildSteps
            copy.hasUnknownFileCopies = hasUnknownFileCopies
            copy.isFinal = isFinal
            return copy
        }
    }

    private var storage: Storage

    init(index: Int, from: Instruction, name: String?, baseText: String, base: Base, platform: String?, instructions: [Instruction]) {
        storage = Storage(index: index, from: from, name: name, baseText: baseText, base: base, platform: platform, instructions: instructions)
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    public var index: Int { storage.index }
    public var from: Instruction { storage.from }
    /// `AS name`, lower-cased.
    public var name: String? { storage.name }
    /// The image as written and after ARG substitution.
    public var baseText: String { storage.baseText }
    public var base: Base { storage.base }
    public var platform: String? { storage.platform }
    /// The instructions after `FROM`, in order.
    public var instructions: [Instruction] { storage.instructions }

    /// What the base provides (nil: an image kb does not know).
    public internal(set) var baseTraits: ImageTraits? {
        get { storage.baseTraits }
        _modify {
            makeUnique()
            yield &storage.baseTraits
        }
    }
    /// The base's traits changed by what the stage installs and copies.
    public internal(set) var traits: ImageTraits? {
        get { storage.traits }
        _modify {
            makeUnique()
            yield &storage.traits
        }
    }
    /// The working directory at the end of the stage.
    public internal(set) var workdir: String {
        get { storage.workdir }
        _modify {
            makeUnique()
            yield &storage.workdir
        }
    }
    /// Whether the stage itself sets a WORKDIR (before the instruction at the given index, see `workdirSet(before:)`).
    public internal(set) var workdirInstructions: [Instruction] {
        get { storage.workdirInstructions }
        _modify {
            makeUnique()
            yield &storage.workdirInstructions
        }
    }
    /// ENV values at the end of the stage (ARG values are not kept in the image).
    public internal(set) var environment: [String: String] {
        get { storage.environment }
        _modify {
            makeUnique()
            yield &storage.environment
        }
    }
    /// Where each ENV was set, for findings.
    public internal(set) var environmentSetBy: [String: Instruction] {
        get { storage.environmentSetBy }
        _modify {
            makeUnique()
            yield &storage.environmentSetBy
        }
    }
    /// The last `USER`, if any.
    public internal(set) var user: (value: String, instruction: Instruction)? {
        get { storage.user }
        _modify {
            makeUnique()
            yield &storage.user
        }
    }
    /// Packages installed with apt-get, apk, dnf, yum or microdnf.
    public internal(set) var installedPackages: Set<String> {
        get { storage.installedPackages }
        _modify {
            makeUnique()
            yield &storage.installedPackages
        }
    }
    /// Native binaries, jlink runtimes and classes present in the stage, where they are.
    public internal(set) var artifacts: [Artifact] {
        get { storage.artifacts }
        _modify {
            makeUnique()
            yield &storage.artifacts
        }
    }
    /// Every simple command of every RUN, with the RUN it belongs to.
    public internal(set) var commands: [(command: ShellCommand, run: Instruction)] {
        get { storage.commands }
        _modify {
            makeUnique()
            yield &storage.commands
        }
    }
    /// Destination paths of every COPY and ADD, resolved against the WORKDIR, with their
    /// source paths and where they come from (a stage index, an image, or the build context).
    public internal(set) var copies: [CopyOperation] {
        get { storage.copies }
        _modify {
            makeUnique()
            yield &storage.copies
        }
    }
    /// Files that `cp` put in place during a RUN: destination → the file it is a copy of.
    /// This is how kb knows that /rootfs/lib/ld-musl-x86_64.so.1 is musl's loader.
    public internal(set) var copiedFiles: [String: String] {
        get { storage.copiedFiles }
        _modify {
            makeUnique()
            yield &storage.copiedFiles
        }
    }
    /// A command whose outputs kb cannot know (`make`, a script) ran here: rules about
    /// what was copied out of this stage stay silent for paths they do not recognise.
    public internal(set) var hasUnknownBuildSteps: Bool {
        get { storage.hasUnknownBuildSteps }
        _modify {
            makeUnique()
            yield &storage.hasUnknownBuildSteps
        }
    }
    /// A RUN copied files kb cannot name (`xargs cp`, globs, variables): folders copied out
    /// of this stage may hold anything.
    public internal(set) var hasUnknownFileCopies: Bool {
        get { storage.hasUnknownFileCopies }
        _modify {
            makeUnique()
            yield &storage.hasUnknownFileCopies
        }
    }
    /// Whether the stage is the one the build produces (the last, or the `--target`).
    public internal(set) var isFinal: Bool {
        get { storage.isFinal }
        _modify {
            makeUnique()
            yield &storage.isFinal
        }
    }

    public var displayName: String { name ?? "stage \(index)" }

    /// CMD and ENTRYPOINT of this stage (the last ones win, but all are listed).
    public var commandInstructions: [Instruction] {
        instructions.filter { $0.kind == .cmd || $0.kind == .entrypoint }
    }
}

/// A COPY or ADD as the model sees it.
public struct CopyOperation: Sendable {
    public enum Source: Sendable, Hashable {
        case context
        case stage(Int)
        case image(String)
    }

    public let instruction: Instruction
    public let source: Source
    /// Source paths as written.
    public let sources: [String]
    /// The destination, resolved against the stage's WORKDIR.
    public let destination: String

    /// Where a source path lands: inside the destination folder when it ends in `/` or
    /// several sources are copied, at the destination itself otherwise.
    public func landingPath(for source: String, item: String) -> String {
        let intoFolder = destination.hasSuffix("/") || sources.count > 1
        let normalizedSource = PathMath.normalize(source)
        if item == normalizedSource {
            return intoFolder ? PathMath.resolve(PathMath.basename(item), in: destination) : PathMath.normalize(destination)
        }
        // The item is inside a copied folder: the folder's contents land in the destination.
        let rest = item.dropFirst(normalizedSource == "/" ? 1 : normalizedSource.count + 1)
        return PathMath.resolve(String(rest), in: destination)
    }
}

extension Stage {
    /// Whether a path this stage holds may be a folder that RUN filled with files kb did not
    /// follow: not a file kb knows (a built binary, a file `cp` put there), and some
    /// command or COPY of the stage wrote below it (`mkdir -p /rootfs/etc`, `--root /rootfs`,
    /// `DESTDIR=/out`).
    func mayHoldTree(at path: String) -> Bool {
        guard path != "/", !path.containsBytes("*"), !path.containsBytes("?"), copiedFiles[path] == nil,
              !artifacts.contains(where: { $0.path == path && !$0.isFolderOfOutputs }) else { return false }
        return mentions(path + "/") || commands.contains { $0.command.words.contains { $0 == path || $0.hasSuffix("=" + path) } }
            || copies.contains { $0.destination == path || $0.destination.hasPrefix(path + "/") }
    }

    /// Whether a word of a command of this stage contains this text (a path below a folder).
    func mentions(_ text: String) -> Bool {
        commands.contains { $0.command.words.contains { $0.containsBytes(text) } }
    }

    /// A package manager installed into another root here: `apk add --root /rootfs`,
    /// `dnf --installroot=/rootfs`, `debootstrap … /rootfs`.
    func installsPackages(into path: String) -> Bool {
        commands.contains { entry in
            let words = entry.command.words
            guard let program = entry.command.program, ["apk", "dnf", "yum", "microdnf", "tdnf", "debootstrap", "rpm"].contains(program) else { return false }
            return words.contains { $0 == path || $0 == path + "/" || $0.hasSuffix("=" + path) || $0.hasSuffix("=" + path + "/") }
        }
    }
}
