import KBDockerfile

struct AssetsBuiltInAppStageRule: Rule {
    static let description = RuleDescription(
        id: "KB210", name: "assets-built-in-app-stage", severity: .warning, category: .imageSize,
        summary: "Node is installed in a Python, Ruby or PHP application image only to build front-end assets.",
        rationale: """
            Front-end assets are often built with Node tools (a bundler, Sass, UglifyJS) although the \
            application itself runs on Python, Ruby or PHP. Installing Node in the application image to \
            build them leaves Node, npm and the whole `node_modules` tree in the image that runs, where \
            nothing uses them, and rebuilds the assets whenever the application's layers change. A separate \
            stage built `FROM node` produces the files, and the application stage copies only the output; \
            "The Quest for Minimal Docker Images" (part 2) even suggests one stage for JavaScript and one for \
            CSS, so that each is rebuilt only when its sources change. kb reports it when the final stage \
            runs Node tools in a RUN (node, npm, npx, yarn, pnpm, webpack, sass…) and its CMD or ENTRYPOINT \
            starts something other than Node.
            """,
        article: "interpreted-languages.md#multi-stage-builds-for-front-end-assets",
        examples: [
            .triggering("""
                FROM python:3.12-slim
                ↓RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
                COPY . /app
                RUN cd /app/frontend && npm ci && npm run build
                CMD ["gunicorn", "--chdir", "/app", "site.wsgi"]
                """),
            .passing("""
                FROM node:20-slim AS assets
                COPY frontend /frontend
                RUN cd /frontend && npm ci && npm run build
                FROM python:3.12-slim
                COPY . /app
                COPY --from=assets /frontend/dist /app/static
                CMD ["gunicorn", "--chdir", "/app", "site.wsgi"]
                """),
            .passing("""
                FROM node:20-slim
                COPY . /app
                RUN cd /app && npm ci --omit=dev
                CMD ["node", "/app/server.js"]
                """, note: "A Node application needs Node."),
        ])

    static let nodePrograms: Set<String> = ["node", "nodejs", "npm", "npx", "yarn", "yarnpkg", "pnpm", "corepack", "bun"]
    static let assetTools: Set<String> = ["webpack", "sass", "node-sass", "uglifyjs", "esbuild", "vite", "rollup", "parcel", "gulp", "grunt", "tsc"]

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage else { return }
        let lineage = build.lineage(of: final)
        if lineage.last?.baseTraits?.interpreter == "node" { return }
        let commands = lineage.reversed().flatMap(\.commands)
        let isNodeTool = { (command: ShellCommand) -> Bool in
            guard let program = command.program else { return false }
            return AssetsBuiltInAppStageRule.nodePrograms.contains(program) || AssetsBuiltInAppStageRule.assetTools.contains(program)
        }
        guard let assetBuild = commands.first(where: { isNodeTool($0.command) }) else { return }

        // What the image runs: something that is not Node.
        let startup = lineage.lazy.map(\.effectiveCommands).first { !$0.isEmpty } ?? []
        let startupPrograms = startup.flatMap { build.commands(of: $0).compactMap(\.program) }
        let runtime: String
        if let first = startupPrograms.first {
            guard !startupPrograms.contains(where: AssetsBuiltInAppStageRule.nodePrograms.contains) else { return }
            runtime = first
        } else if let interpreter = lineage.last?.baseTraits?.interpreter, ["python", "ruby", "php"].contains(interpreter) {
            runtime = interpreter
        } else {
            return
        }

        // Point at the install of Node when the stage does it, else at the first asset build.
        let install = commands.first { $0.command.installedPackageNames.contains(where: PackageKinds.isNodeTooling) }
        let target = install ?? assetBuild
        let location = target.run.sourceRange(ofCommandAt: build.commands(of: target.run).firstIndex(of: target.command) ?? 0, in: build.commands(of: target.run))
        let tool = assetBuild.command.words.prefix(3).joined(separator: " ")
        findings.append(finding(at: location, """
            \(final.mention) runs \(runtime) but \(install != nil ? "installs Node and " : "")builds assets with `\(tool)` \
            (line \(assetBuild.run.range.start.line)), so Node and its tools ship in the application image: build the assets in a \
            separate stage (FROM node:20-slim AS assets) and COPY --from=assets only the output
            """))
    }
}
