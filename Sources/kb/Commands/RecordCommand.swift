import ArgumentParser
import Foundation
import KBContent
import KBRecord
import KBRules

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Build and run examples with a container engine and write their results.json.",
        discussion: """
            Each example under Examples/ is built with docker, podman or buildah, measured (image \
            size in bytes, layers), run, and compared with the run expectation in its \
            example.yaml. The recording is written to Examples/SLUG/results.json (atomically: \
            an interrupted run leaves the previous file). With --check nothing is built: \
            examples whose recording is missing or stale (their files changed since) are reported.

            The engine is --engine, else $KB_ENGINE, else the first of docker, podman and \
            buildah that is installed and answers. docker honours DOCKER_HOST and docker \
            contexts; --builder (or BUILDX_BUILDER) builds with a buildx builder. buildah reads \
            CONTAINERS_STORAGE_CONF, STORAGE_DRIVER and BUILDAH_ISOLATION; \
            scripts/engine-setup.sh prints the settings for a machine without a daemon.

            Exit codes: 0 all recorded and as expected; 1 an example did not build or behaved \
            otherwise than expected, or (--check) a recording is missing or stale; 2 bad \
            invocation, no engine, or an example whose files cannot be used.

            Examples:
              kb record
              kb record c-static-scratch c-dynamic-scratch --engine buildah --jobs 2
              kb record --check
            """
    )

    @Argument(help: ArgumentHelp("Examples to record (folder names in Examples/); all when none is given.", valueName: "SLUG"))
    var slugs: [String] = []

    @OptionGroup var rootOptions: RootOptions

    @Option(name: .long, help: "The engine: docker, podman or buildah (default: $KB_ENGINE, else the first found).")
    var engine: EngineKind?

    @Option(name: .long, help: ArgumentHelp("A docker buildx builder to build with (docker only).", valueName: "NAME"))
    var builder: String?

    @Option(name: .long, help: "How many examples to record at the same time.")
    var jobs: Int = 1

    @Flag(name: .long, help: "Build nothing: report examples whose recording is missing or stale.")
    var check = false

    @Flag(name: .customLong("keep-images"), help: "Keep the built images (localhost/kb-record-SLUG:latest).")
    var keepImages = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if builder != nil, let engine, engine != .docker {
            throw ValidationError("--builder names a docker buildx builder; it cannot be used with --engine \(engine.rawValue)")
        }
        if check && (engine != nil || builder != nil || keepImages || jobs != 1) {
            throw ValidationError("--check builds nothing: --engine, --builder, --jobs and --keep-images do not apply")
        }
    }

    func run() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootOptions.rootURL.path, isDirectory: &isFolder), isFolder.boolValue else {
            Output.standardError("kb record: \(rootOptions.root) is not a folder: --root names the knowledge base's root")
            throw KBExit.badInput
        }
        let catalog: ExampleCatalog
        do {
            catalog = try ExampleCatalog.load(root: rootOptions.rootURL, displayRoot: rootOptions.displayRoot)
        } catch {
            Output.standardError("kb record: \(error)")
            throw KBExit.badInput
        }
        for problem in catalog.diagnostics { Output.standardError(RecordCommand.format(problem)) }

        var selected: [Example] = []
        for slug in slugs {
            guard let example = catalog[slug] else {
                let known = catalog.slugs.isEmpty ? "there are none" : "known: " + catalog.slugs.joined(separator: ", ")
                Output.standardError("kb record: no example '\(slug)' in \(shownExamplesFolder)/ (\(known))")
                throw KBExit.badInput
            }
            if !selected.contains(where: { $0.slug == slug }) { selected.append(example) }
        }
        if slugs.isEmpty { selected = catalog.examples }
        if selected.isEmpty {
            Output.standardError("kb record: no examples in \(shownExamplesFolder)/: nothing to do")
            if !catalog.diagnostics.isEmpty { throw KBExit.badInput }
            return
        }

        let code = check ? checkRecordings(selected) : record(selected)
        let worst = catalog.diagnostics.isEmpty ? code : max(code, 2)
        if worst != 0 { throw ExitCode(worst) }
    }

    private var shownExamplesFolder: String {
        rootOptions.displayRoot.isEmpty ? ExampleCatalog.folderName : rootOptions.displayRoot + "/" + ExampleCatalog.folderName
    }

    /// `--check`: the recordings' state, without building.
    private func checkRecordings(_ examples: [Example]) -> Int32 {
        var unusable = 0
        var missing = 0
        var stale = 0
        var unexpected = 0
        for example in examples {
            let problems = example.diagnostics + example.recordingDiagnostics()
            for problem in problems.sorted() { Output.standardOutput(RecordCommand.format(problem) + "\n") }
            if !example.diagnostics.isEmpty { unusable += 1 }
            switch example.recordingDiagnostics().first?.rule {
            case ExampleCheck.missingRecording.id?: missing += 1
            case ExampleCheck.staleRecording.id?: stale += 1
            case ExampleCheck.unexpectedBehaviour.id?: unexpected += 1
            default: break
            }
        }
        let upToDate = examples.filter { example in
            switch example.recordingStatus {
            case .current, .cited: example.diagnostics.isEmpty && example.recordingDiagnostics().isEmpty
            default: false
            }
        }.count
        var parts = ["\(upToDate) of \(examples.count) up to date"]
        if missing > 0 { parts.append("\(missing) missing") }
        if stale > 0 { parts.append("\(stale) stale") }
        if unexpected > 0 { parts.append("\(unexpected) not as expected") }
        if unusable > 0 { parts.append("\(unusable) with unusable files") }
        Output.standardError("kb record --check: " + parts.joined(separator: ", "))
        if unusable > 0 { return 2 }
        return missing + stale + unexpected > 0 ? 1 : 0
    }

    private func record(_ examples: [Example]) -> Int32 {
        let runner = CommandRunner()
        let chosen = engine ?? ProcessInfo.processInfo.environment["KB_ENGINE"].flatMap { EngineKind(rawValue: $0.lowercased()) }
        if engine == nil, let named = ProcessInfo.processInfo.environment["KB_ENGINE"], !named.isEmpty, chosen == nil {
            Output.standardError("kb record: KB_ENGINE=\(named) is not an engine kb knows (docker, podman, buildah)")
            return 2
        }
        let located: (engine: any ContainerEngine, info: EngineInfo)
        do {
            located = try EngineLocator.locate(chosen, runner: runner, dockerBuilder: builder)
        } catch {
            Output.standardError("kb record: \(error)")
            return 2
        }
        let progress = ConsoleProgress(statusLine: ConsoleProgress.standardErrorIsTerminal) { report in
            Output.standardOutput(report + "\n")
        }
        let recorder = Recorder(
            engine: located.engine, engineInfo: located.info,
            options: RecordOptions(jobs: jobs, keepImages: keepImages), progress: progress)
        let summary = recorder.record(examples)
        Output.standardError(summary.line)
        return summary.exitCode
    }

    /// `path:line:col: severity: message [ID name]`, as `kb check` prints.
    static func format(_ d: Diagnostic) -> String {
        "\(d.file):\(d.line):\(d.column): \(d.severity.rawValue): \(d.message) [\(d.rule) \(d.name)]"
    }
}

extension EngineKind: ExpressibleByArgument {}
