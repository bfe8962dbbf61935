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

    public let index: Int
    public let from: Instruction
    /// `AS name`, lower-cased.
    public let name: String?
    /// The image as written and after ARG substitution.
    public let baseText: String
    public let base: Base
    public let platform: String?
    /// The instructions after `FROM`, in order.
    public let instructions: [Instruction]

    /// What the base provides (nil: an image kb does not know).
    public internal(set) var baseTraits: ImageTraits?
    /// The base's traits changed by what the stage installs and copies.
    public internal(set) var traits: ImageTraits?
    /// The working directory at the end of the stage.
    public internal(set) var workdir: String = "/"
    /// Whether the stage itself sets a WORKDIR (before the instruction at the given index, see `workdirSet(before:)`).
    public internal(set) var workdirInstructions: [Instruction] = []
    /// ENV values at the end of the stage (ARG values are not kept in the image).
    public internal(set) var environment: [String: String] = [:]
    /// Where each ENV was set, for findings.
    public internal(set) var environmentSetBy: [String: Instruction] = [:]
    /// The last `USER`, if any.
    public internal(set) var user: (value: String, instruction: Instruction)?
    /// Packages installed with apt-get, apk, dnf, yum or microdnf.
    public internal(set) var installedPackages: Set<String> = []
    /// Native binaries, jlink runtimes and classes present in the stage, where they are.
    public internal(set) var artifacts: [Artifact] = []
    /// Every simple command of every RUN, with the RUN it belongs to.
    public internal(set) var commands: [(command: ShellCommand, run: Instruction)] = []
    /// Destination paths of every COPY and ADD, resolved against the WORKDIR, with their
    /// source paths and where they come from (a stage index, an image, or the build context).
    public internal(set) var copies: [CopyOperation] = []
    /// A command whose outputs kb cannot know (`make`, a script) ran here: rules about
    /// what was copied out of this stage stay silent for paths they do not recognise.
    public internal(set) var hasUnknownBuildSteps = false

    /// Files that `cp` put in place during a RUN: destination → the file it is a copy of.
    /// This is how kb knows that /rootfs/lib/ld-musl-x86_64.so.1 is musl's loader.
    public internal(set) var copiedFiles: [String: String] = [:]
    /// A RUN copied files kb cannot name (`xargs cp`, globs, variables): folders copied out
    /// of this stage may hold anything.
    public internal(set) var hasUnknownFileCopies = false

    /// Whether the stage is the one the build produces (the last, or the `--target`).
    public internal(set) var isFinal = false

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
