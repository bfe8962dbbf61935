import KBDockerfile

/// Which stages end up in the image: the final stage and the stages it is built on
/// (`FROM build`), whose layers it inherits. Build stages that are only copied from
/// leave nothing behind but what is copied.
extension BuildModel {
    /// The stage and the earlier stages it is built on, nearest first.
    func lineage(of stage: Stage) -> [Stage] {
        var chain = [stage]
        var current = stage
        while case let .stage(parent) = current.base, stages.indices.contains(parent), parent < current.index {
            current = stages[parent]
            chain.append(current)
        }
        return chain
    }

    /// The final stage and its ancestors: every layer of these is in the image.
    var shippedStages: [Stage] { finalStage.map(lineage(of:)) ?? [] }

    /// The indices of a stage's lineage, nearest first: `lineage(of:)` without copying stages.
    func lineageIndices(of stage: Stage) -> [Int] {
        var chain = [stage.index]
        var base = stage.base, index = stage.index
        while case let .stage(parent) = base, stages.indices.contains(parent), parent < index {
            chain.append(parent)
            base = stages[parent].base
            index = parent
        }
        return chain
    }

    /// Whether the layers of this stage are part of the final image.
    func isShipped(_ stage: Stage) -> Bool {
        shippedIndices.contains(stage.index)
    }

    /// What the lineage of a stage finally starts from: `scratch`, an image, or text kb
    /// cannot resolve.
    func rootBase(of stage: Stage) -> Stage.Base {
        guard rootIndices.indices.contains(stage.index) else { return stage.base }
        let root = rootIndices[stage.index]
        return root == stage.index ? stage.base : stages[root].base
    }

    /// The stage an instruction belongs to (nil before the first FROM, and in fragments).
    func stage(containing instruction: Instruction) -> Stage? {
        // Stages are in file order: a binary search, since rules ask this for every instruction.
        let offset = instruction.range.start.offset
        var low = 0, high = stages.count
        while low < high {
            let middle = (low + high) / 2
            if stages[middle].from.range.start.offset <= offset { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? stages[low - 1] : nil
    }

    /// The image a stage's lineage starts from, when it is one.
    func rootImage(of stage: Stage) -> ImageReference? {
        if case let .image(reference) = rootBase(of: stage) { return reference }
        return nil
    }
}

extension Stage {
    /// How messages name a stage: `stage 'build'` (as written), `the final stage` when it
    /// has no name, or `stage 2`.
    var mention: String {
        if let name = from.fromParts.name { return "stage '\(name)'" }
        return isFinal ? "the final stage" : "stage \(index)"
    }

    /// The CMD and ENTRYPOINT in effect at the end of the stage (the last of each).
    var effectiveCommands: [Instruction] {
        [instructions.last { $0.kind == .entrypoint }, instructions.last { $0.kind == .cmd }].compactMap { $0 }
    }
}
