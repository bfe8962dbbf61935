import ArgumentParser
import Foundation
import KBContent
import KBRules

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check Dockerfiles with kb's rules.",
        discussion: """
            PATH may be a Dockerfile, a folder (every Dockerfile, *.Dockerfile and Dockerfile.* below it) or - \
            for standard input. The build context defaults to each file's folder; kb reads Go sources there to \
            tell whether cgo matters. Rules are configured by kb.yaml in the current folder (or --config).

            Examples:
              kb lint Dockerfile
              kb lint --format sarif . > kb.sarif
              cat Dockerfile | kb lint - --context app/
            """
    )

    @Argument(help: ArgumentHelp("Dockerfiles or folders to lint, or - for standard input.", valueName: "PATH"))
    var paths: [String] = ["."]

    @OptionGroup var report: ReportOptions

    @Option(name: .long, help: ArgumentHelp("Build context for every file (default: each file's folder).", valueName: "DIR"))
    var context: String?

    @Option(name: .long, help: ArgumentHelp("The stage that is built (default: the last).", valueName: "STAGE"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: ./kb.yaml when it exists).", valueName: "FILE"))
    var config: String?

    func run() throws {
        let configuration = try RuleSettings.load(config)
        let options = Linter.Options(target: target, configuration: configuration.rules)
        var jobs: [LintJob] = []
        var badInput = false
        let contextURL = context.map { URL(fileURLWithPath: $0, isDirectory: true) }
        for path in paths {
            if path == "-" {
                // No more than the limit (and one byte to tell) is read from a pipe.
                let data = (try? FileHandle.standardInput.read(upToCount: InputLimits.dockerfileBytes + 1)) ?? Data()
                guard data.count <= InputLimits.dockerfileBytes else {
                    Output.standardError("kb lint: -: " + InputLimits.message(kind: "Dockerfiles", size: data.count, limit: InputLimits.dockerfileBytes, atLeast: true))
                    badInput = true
                    continue
                }
                jobs.append(LintJob(source: String(decoding: data, as: UTF8.self), displayPath: "-", context: context.map(URL.init(fileURLWithPath:)), options: options))
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                Output.standardError("kb lint: \(path): no such file or folder")
                badInput = true
                continue
            }
            let files = isDirectory.boolValue ? DockerfileDiscovery.find(in: URL(fileURLWithPath: path)) : [URL(fileURLWithPath: path)]
            for file in files {
                let shown = isDirectory.boolValue ? Self.display(file, under: path) : path
                // As `kb check` does for Dockerfiles: a FIFO would block the read, and a huge
                // file take minutes (docs/formats.md, "Limits").
                guard let size = InputLimits.size(of: file) else {
                    Output.standardError("kb lint: \(shown): not a regular file (a named pipe, socket or device): not read")
                    badInput = true
                    continue
                }
                guard size <= InputLimits.dockerfileBytes else {
                    Output.standardError("kb lint: \(shown): " + InputLimits.message(kind: "Dockerfiles", size: size, limit: InputLimits.dockerfileBytes))
                    badInput = true
                    continue
                }
                guard let data = FileManager.default.contents(atPath: file.path) else {
                    Output.standardError("kb lint: \(file.path): cannot read the file")
                    badInput = true
                    continue
                }
                let contextFolder = contextURL ?? Self.folder(of: file.path)
                jobs.append(LintJob(source: String(decoding: data, as: UTF8.self), displayPath: shown, context: contextFolder, options: options))
            }
        }
        let target = self.target
        let results = LintJob.lint(jobs) { job, result in
            // Like `docker build --target`, a stage that is not there is a bad invocation.
            guard let target, let model = result.model, !model.isFragment, model.stage(named: target) == nil else {
                return (diagnostics: result.diagnostics, missingTarget: nil as String?)
            }
            let names = model.stages.compactMap(\.name)
            let problem = "kb lint: \(job.displayPath): no stage named '\(target)'"
                + (names.isEmpty ? " (its stages have no names)" : " (stages: \(names.joined(separator: ", ")))")
            return (diagnostics: result.diagnostics, missingTarget: problem)
        }
        let diagnostics = results.flatMap(\.diagnostics)
        for problem in results.compactMap(\.missingTarget) {
            Output.standardError(problem)
            badInput = true
        }
        Output.standardOutput(Reporter.render(diagnostics, as: report.format, rules: RuleRegistry.descriptions.map(\.descriptor), toolVersion: KBVersion.string))
        Output.standardError("kb lint: \(jobs.count) Dockerfile\(jobs.count == 1 ? "" : "s"), \(Pipeline.summary(diagnostics))")
        if badInput { throw KBExit.badInput }
        let threshold = report.threshold(configured: configuration.failOn)
        if diagnostics.contains(where: { threshold.fails($0.severity) }) { throw KBExit.findings }
    }

    /// The folder a file is in, by string (`URL.deletingLastPathComponent` is slow on Linux,
    /// and this runs for every file).
    static func folder(of path: String) -> URL {
        guard let slash = path.lastIndex(of: "/") else { return URL(fileURLWithPath: ".", isDirectory: true) }
        return URL(fileURLWithPath: slash == path.startIndex ? "/" : String(path[..<slash]), isDirectory: true)
    }

    /// `folder/sub/Dockerfile` as the user would write it.
    static func display(_ file: URL, under folder: String) -> String {
        let base = URL(fileURLWithPath: folder).standardizedFileURL.path
        let full = file.standardizedFileURL.path
        guard full.hasPrefix(base + "/") else { return full }
        let relative = String(full.dropFirst(base.count + 1))
        return folder == "." ? relative : (folder.hasSuffix("/") ? folder + relative : folder + "/" + relative)
    }
}

/// kb.yaml's rule settings, for the commands that lint.
enum RuleSettings {
    struct Loaded {
        let rules: RuleConfiguration
        let failOn: FailureThreshold?
    }

    static func load(_ path: String?, root: URL = URL(fileURLWithPath: ".")) throws -> Loaded {
        let url = path.map(URL.init(fileURLWithPath:)) ?? root.appendingPathComponent(Configuration.fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            if let path {
                Output.standardError("kb: \(path): no such configuration file")
                throw KBExit.badInput
            }
            return Loaded(rules: RuleConfiguration(), failOn: nil)
        }
        let shown = path ?? Configuration.fileName
        do {
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw Diagnostics([ConfigurationCheck.at(shown, line: 1, "cannot read the file")])
            }
            let configuration = try Configuration.parse(String(decoding: data, as: UTF8.self), file: shown)
            return Loaded(rules: try ruleConfiguration(configuration, file: shown), failOn: configuration.failOn)
        } catch let problems as Diagnostics {
            Output.standardError(Reporter.text(problems.all))
            throw KBExit.badInput
        }
    }

    static func ruleConfiguration(_ configuration: Configuration, file: String) throws -> RuleConfiguration {
        try RuleConfiguration(settings: configuration.rules.map {
            RuleConfiguration.Setting(rule: $0.rule, severity: $0.severity, file: file, line: $0.line)
        })
    }
}
