import KBDockerfile

/// What the rules about the run stage share: the artifacts that end up in the image that
/// runs, with the instruction that put them there.
extension BuildModel {
    struct ShippedArtifact {
        let artifact: Artifact
        /// The COPY that brought it into the final stage, or the RUN that built it there.
        let placedBy: Instruction
        let builtIn: Stage
    }

    /// Artifacts present in the final stage.
    func shippedArtifacts(_ kind: Artifact.Kind) -> [ShippedArtifact] {
        guard let final = finalStage else { return [] }
        return final.artifacts.filter { $0.kind == kind }.map { artifact in
            ShippedArtifact(artifact: artifact, placedBy: artifact.copiedBy.last ?? artifact.builtBy, builtIn: stages[artifact.builtInStage])
        }
    }

    /// A human name for a base: `scratch`, `alpine:3.20`, `stage build (alpine:3.20)`.
    func describeBase(of stage: Stage) -> String {
        switch stage.base {
        case .scratch: return "scratch"
        case let .stage(parent): return "stage '\(stages[parent].displayName)' (\(describeBase(of: stages[parent])))"
        case let .image(reference): return reference.description
        case let .unresolved(text): return text
        }
    }
}

extension Artifact {
    /// `/app (built by gcc without -static in stage 'build')`.
    func describe(in model: BuildModel) -> String {
        "\(path) (built in stage '\(model.stages[builtInStage].displayName)' by \(reason))"
    }
}

extension LibC {
    /// The loader a dynamic binary asks for, by C library (x86-64 names).
    var loader: String {
        switch self {
        case .glibc: "/lib64/ld-linux-x86-64.so.2"
        case .musl: "/lib/ld-musl-x86_64.so.1"
        case .uclibc: "/lib/ld64-uClibc.so.0"
        case .none: "no loader"
        }
    }
}
