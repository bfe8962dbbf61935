import KBDockerfile

/// A Dockerfile understood as a build: stages with resolved bases, what each stage holds,
/// and which artifacts the final image receives. Rules read this, not lines.
public struct BuildModel: Sendable {
    public let dockerfile: Dockerfile
    /// `ARG`s before the first `FROM`, with their defaults.
    public let globalArguments: [(name: String, value: String?, instruction: Instruction)]
    public let stages: [Stage]
    /// The build context's text files, when a context is known.
    public let context: BuildContextFiles?
    /// Whether this is a fragment (no FROM expected): only instruction-scoped rules run.
    public let isFragment: Bool
    /// The `--target` that was asked for, when one was.
    public let target: String?

    public init(
        dockerfile: Dockerfile, context: BuildContextFiles? = nil, target: String? = nil, isFragment: Bool = false,
        catalog: ImageCatalog = .standard
    ) {
        self.dockerfile = dockerfile
        self.context = context
        self.isFragment = isFragment
        self.target = target?.lowercased()
        var analyzer = BuildAnalyzer(dockerfile: dockerfile, context: context, catalog: catalog)
        analyzer.run(target: target?.lowercased())
        self.globalArguments = analyzer.globalArguments
        self.stages = analyzer.stages
        self.finalStageIndex = stages.firstIndex(where: \.isFinal)
        var commands: [Int: [ShellCommand]] = [:]
        for stage in stages {
            for (command, run) in stage.commands { commands[run.range.start.offset, default: []].append(command) }
            for instruction in stage.instructions where instruction.kind == .cmd || instruction.kind == .entrypoint {
                commands[instruction.range.start.offset] = instruction.shellCommands
            }
        }
        self.runCommands = commands
        // Each stage's lineage root, and the stages the final image is made of, worked out
        // once: rules ask for them per instruction, and a chain of stages can be long.
        var roots: [Int] = []
        for stage in stages {
            if case let .stage(parent) = stage.base, parent < stage.index, roots.indices.contains(parent) {
                roots.append(roots[parent])
            } else {
                roots.append(stage.index)
            }
        }
        self.rootIndices = roots
        var shipped: Set<Int> = []
        var next = finalStageIndex
        while let index = next, stages.indices.contains(index), shipped.insert(index).inserted {
            if case let .stage(parent) = stages[index].base, parent < index { next = parent } else { next = nil }
        }
        self.shippedIndices = shipped
    }

    /// The first stage of each stage's lineage (itself when it starts from an image).
    let rootIndices: [Int]
    /// The final stage and the stages it is built on.
    let shippedIndices: Set<Int>

    /// The simple commands of each RUN of the stages, as the analysis parsed them, and of
    /// each CMD and ENTRYPOINT, by start offset: rules read these instead of parsing again.
    private let runCommands: [Int: [ShellCommand]]

    /// The simple commands of a RUN (or of a CMD or ENTRYPOINT): `instruction.shellCommands`,
    /// parsed once per build.
    public func commands(of instruction: Instruction) -> [ShellCommand] {
        if [.run, .cmd, .entrypoint].contains(instruction.kind), let parsed = runCommands[instruction.range.start.offset] { return parsed }
        return instruction.shellCommands
    }

    /// The stage the build produces: the `--target`, or the last one.
    public var finalStage: Stage? { finalStageIndex.map { stages[$0] } }

    /// Where `finalStage` is in `stages`.
    public let finalStageIndex: Int?

    /// Every instruction of the file, ONBUILD triggers excluded, in order.
    public var instructions: [Instruction] { dockerfile.instructions }

    public func stage(named name: String) -> Stage? {
        let key = name.lowercased()
        return stages.first { $0.name == key }
    }

    /// The stage a `--from` value names: a stage name, or a stage number before `before`.
    public func stage(reference: String, before index: Int) -> Stage? {
        if let number = Int(reference) { return number >= 0 && number < index ? stages[number] : nil }
        let key = reference.lowercased()
        return stages.prefix(index).first { $0.name == key }
    }
}
