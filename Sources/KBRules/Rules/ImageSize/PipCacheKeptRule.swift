import KBDockerfile

struct PipCacheKeptRule: Rule {
    static let description = RuleDescription(
        id: "KB207", name: "pip-cache-kept", severity: .info, category: .imageSize, scope: .instruction,
        summary: "pip install without --no-cache-dir in the final image.",
        rationale: """
            pip keeps every package it downloads, and every wheel it builds, in a cache under \
            ~/.cache/pip so that the next install is faster. In an image there is no next install: the \
            cache is a second copy of the dependencies, frozen into the layer of the RUN that filled it. \
            `pip install --no-cache-dir`, or `ENV PIP_NO_CACHE_DIR=1` before the installs, or a BuildKit \
            cache mount on /root/.cache/pip keeps it out. kb reports it where it ships: the final stage and \
            the stages it is built on.
            """,
        equivalents: ["DL3042"],
        examples: [
            .triggering("""
                FROM python:3.12-slim
                COPY requirements.txt .
                ↓RUN pip install -r requirements.txt
                """),
            .triggering("""
                FROM python:3.12-slim
                RUN python3 -m venv /opt/venv \\
                 ↓&& /opt/venv/bin/python -m pip install flask
                """),
            .passing("""
                FROM python:3.12-slim
                COPY requirements.txt .
                RUN pip install --no-cache-dir -r requirements.txt
                """),
            .passing("""
                FROM python:3.12-slim
                ENV PIP_NO_CACHE_DIR=1
                RUN pip install flask
                """),
            .passing("""
                FROM python:3.12-slim
                RUN --mount=type=cache,target=/root/.cache/pip pip install flask
                """, note: "A cache mount keeps the cache out of the layer and reuses it across builds."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        // Where each stage's lineage first turns the cache off, found once per stage: a
        // scan per RUN would be quadratic in the length of the file.
        var disabledFrom: [Int: Int?] = [:]
        for run in build.instructions where run.kind == .run {
            let stage = build.stage(containing: run)
            if let stage, !build.isShipped(stage) { continue }
            if let stage {
                if disabledFrom[stage.index] == nil { disabledFrom[stage.index] = firstCacheSetting(in: stage, build: build) }
                if let offset = disabledFrom[stage.index] ?? nil, offset < run.range.start.offset { continue }
            }
            if run.mounts.contains(where: { ($0["target"] ?? $0["dst"] ?? $0["destination"]).map { $0.hasPrefix("/root/.cache") || $0.hasSuffix("/.cache/pip") } ?? false }) { continue }
            let commands = build.commands(of: run)
            for (index, command) in commands.enumerated() {
                guard let arguments = command.pipInstallArguments,
                      !arguments.contains(where: { $0 == "--no-cache-dir" || $0.hasPrefix("--no-cache-dir=") }),
                      !command.assignments.contains(where: { $0.name == "PIP_NO_CACHE_DIR" }) else { continue }
                findings.append(finding(at: run.sourceRange(ofCommandAt: index, in: commands), """
                    pip install keeps what it downloads and builds in ~/.cache/pip, in a layer that ships: add --no-cache-dir \
                    (or set ENV PIP_NO_CACHE_DIR=1 before the installs)
                    """))
            }
        }
    }

    /// The offset of the first `ENV PIP_NO_CACHE_DIR=…` or `ARG PIP_NO_CACHE_DIR=…` in the stage
    /// or the ones it is built on: a RUN after it keeps no cache.
    private func firstCacheSetting(in stage: Stage, build: BuildModel) -> Int? {
        build.lineage(of: stage).flatMap(\.instructions).filter { instruction in
            let kind = instruction.kind
            return (kind == .env || kind == .arg) && instruction.keyValuePairs.contains { $0.key == "PIP_NO_CACHE_DIR" && $0.rawValue != nil }
        }.map(\.range.start.offset).min()
    }
}
