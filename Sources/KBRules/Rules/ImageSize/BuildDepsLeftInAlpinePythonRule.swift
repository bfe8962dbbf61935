import KBDockerfile

struct BuildDepsLeftInAlpinePythonRule: Rule {
    static let description = RuleDescription(
        id: "KB209", name: "build-deps-left-in-alpine-python", severity: .info, category: .imageSize,
        summary: "Compilers and headers installed for pip stay in a python Alpine final image.",
        rationale: """
            On `python:alpine`, packages without a musl wheel are compiled during `pip install`, which needs \
            `build-base` and the `-dev` packages of the libraries they wrap. Once pip is done they are \
            useless, but if they were installed in the final stage they ship. "The Quest for Minimal Docker \
            Images" (part 2, 2020) measured a Django application with many dependencies at 636 MB on \
            `python:alpine` in one stage and 391 MB with two: a first stage builds the wheels \
            (`pip wheel --wheel-dir /wheels …`), the second installs them with \
            `pip install --no-index --find-links=/wheels` and never sees a compiler. Removing the packages \
            afterwards helps only within the same RUN: `apk add --virtual .build-deps …`, then \
            `pip install`, then `apk del .build-deps`. The runtime libraries (libffi, libstdc++…) may still be \
            needed in the final stage.
            """,
        article: "interpreted-languages.md#build-the-wheel-in-one-stage-install-it-in-another",
        examples: [
            .triggering("""
                FROM python:3.12-alpine
                ↓RUN apk add --no-cache build-base libffi-dev
                COPY requirements.txt .
                RUN pip install --no-cache-dir -r requirements.txt
                """),
            .passing("""
                FROM python:3.12-alpine AS wheels
                RUN apk add --no-cache build-base libffi-dev
                RUN pip wheel --wheel-dir /wheels cffi
                FROM python:3.12-alpine
                COPY --from=wheels /wheels /wheels
                RUN pip install --no-cache-dir --no-index --find-links=/wheels cffi && rm -rf /wheels
                """, note: "Wheels built in a first stage; the compiler stays there."),
            .passing("""
                FROM python:3.12-alpine
                COPY requirements.txt .
                RUN apk add --no-cache --virtual .build-deps build-base libffi-dev \\
                 && pip install --no-cache-dir -r requirements.txt \\
                 && apk del .build-deps
                """, note: "Installed and removed in the same RUN."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, final.traits?.interpreter == "python", final.traits?.interpreterVariant == "alpine" else { return }
        let runs = build.lineage(of: final).reversed().flatMap { $0.instructions.filter { $0.kind == .run } }
        for (position, run) in runs.enumerated() {
            let commands = build.commands(of: run)
            for (index, command) in commands.enumerated() where command.program == "apk" && command.packageManagerVerb?.verb == "add" {
                let buildDeps = command.installedPackageNames.filter(PackageKinds.isBuildDependency)
                guard !buildDeps.isEmpty else { continue }
                // Removed in the same RUN, by the virtual package's name or by their own.
                let virtual = command.option("--virtual", "-t")
                let deleted = commands[index...].filter { $0.program == "apk" && $0.packageManagerVerb?.verb == "del" }.flatMap { Array($0.words.dropFirst()) }
                if let virtual, deleted.contains(virtual) { continue }
                let kept = buildDeps.filter { !deleted.contains($0) }
                guard !kept.isEmpty else { continue }
                // Only when pip uses them, in this RUN or a later one.
                let laterCommands = commands[index...] + runs[(position + 1)...].flatMap { build.commands(of: $0) }
                guard laterCommands.contains(where: { $0.pipInstallArguments != nil }) else { continue }
                findings.append(finding(at: run.sourceRange(ofCommandAt: index, in: commands), """
                    \(kept.joined(separator: ", ")) stay\(kept.count == 1 ? "s" : "") in the final image after pip has used \
                    \(kept.count == 1 ? "it" : "them"): build wheels in a first stage (pip wheel --wheel-dir /wheels …) and install \
                    them here with pip install --no-index --find-links=/wheels, or use apk add --virtual .build-deps … and \
                    apk del .build-deps in the same RUN as pip install
                    """))
            }
        }
    }
}
