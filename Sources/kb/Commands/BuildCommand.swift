import ArgumentParser
import Foundation
import KBContent
import KBParallel
import KBRules
import KBSite

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Check the knowledge base and write the site.",
        discussion: """
            Reads Content/, checks every link and anchor, and writes the site to Site/ (or \
            --output). The new site replaces the old one only when the whole build succeeded.

            Example:
              kb build --root ~/notes --output /tmp/site
            """
    )

    @OptionGroup var rootOptions: RootOptions
    @OptionGroup var report: ReportOptions

    @Option(name: .long, help: ArgumentHelp("Where to write the site (default: ROOT/Site).", valueName: "DIR"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("A folder whose files replace the built-in theme's files of the same name.", valueName: "DIR"))
    var theme: String?

    @Flag(name: .long, help: "Include articles marked draft: true.")
    var drafts = false

    @Flag(name: .long, help: "Make every page again: neither use nor update the build cache (.NAME.kb-cache beside the output).")
    var noCache = false

    func run() throws {
        let started = Date()
        let outputURL = output.map { URL(fileURLWithPath: $0) } ?? rootOptions.rootURL.appendingPathComponent("Site")
        try Pipeline.refuseOutput(outputURL, shown: output, root: rootOptions.rootURL, command: "build")
        let theme: Theme
        do {
            theme = try self.theme.map { try Theme.overriding(with: URL(fileURLWithPath: $0)) } ?? .builtIn
        } catch let error as SiteError {
            Output.standardError("kb build: error: \(error)")
            throw KBExit.badInput
        }
        var listing: ContentListing?
        if !noCache {
            switch Timings.measure("edit build", { EditBuild.prepare(
                root: rootOptions.rootURL, displayRoot: rootOptions.displayRoot, output: outputURL, includeDrafts: drafts, theme: theme,
                format: report.format) })
            {
            case let .success(edit): return try finish(edit, started: started)
            case let .failure(refusal):
                Timings.note("no edit build: \(refusal)")
                listing = refusal.listing
            }
        }
        let cache = noCache ? nil : Timings.measure("open cache") {
            BuildCache(output: outputURL, root: rootOptions.rootURL, displayRoot: rootOptions.displayRoot, includeDrafts: drafts)
        }
        let knowledgeBase = try Timings.measure("load") { try Pipeline.load(rootOptions, includeDrafts: drafts, cache: cache, listing: listing) }
        let checked = Timings.measure("check") { Checker.check(knowledgeBase, cache: cache) }
        let diagnostics = checked.diagnostics
        // Printed line by line where the format allows, and the lines kept with the site.
        let printed = cache == nil ? nil : Reporter.lines(diagnostics, as: report.format).map {
            SiteRenderer.PrintedReport(format: report.format, lines: $0)
        }
        Timings.measure("report") {
            if let printed { Output.standardOutput(printed.lines.joined()) } else { Pipeline.print(diagnostics, format: report.format) }
        }
        let threshold = report.threshold(configured: knowledgeBase.configuration.failOn)
        if diagnostics.contains(where: { threshold.fails($0.severity) }) {
            Output.standardError("kb build: \(Pipeline.summary(diagnostics)); the site was not written")
            throw KBExit.findings
        }

        do {
            let written = try SiteRenderer(theme: theme).publish(knowledgeBase, checked: checked, to: outputURL, cache: cache, report: printed)
            done(articles: knowledgeBase.articles.count, written: written, started: started)
        } catch let error as SiteError {
            Output.standardError("kb build: error: \(error)")
            throw KBExit.badInput
        }
    }

    /// An edit build's report, threshold and site: what the rest of `run` does, for it.
    private func finish(_ edit: EditBuild, started: Date) throws {
        var edit = edit
        if !edit.report.isEmpty { FileHandle.standardOutput.write(edit.report) }
        let threshold = report.threshold(configured: edit.configuredFailOn)
        if edit.counts.contains(where: { $0.value > 0 && threshold.fails($0.key) }) {
            Output.standardError("kb build: \(Pipeline.summary(counts: edit.counts)); the site was not written")
            throw KBExit.findings
        }
        do {
            try edit.commit()
        } catch let error as SiteError {
            Output.standardError("kb build: error: \(error)")
            throw KBExit.badInput
        }
        done(articles: edit.articleCount, written: edit.filesWritten, started: started)
    }

    private func done(articles: Int, written: Int, started: Date) -> Never {
        let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
        let shownOutput = output ?? (rootOptions.displayRoot.isEmpty ? "Site" : rootOptions.displayRoot + "/Site")
        Output.standardError("kb build: \(articles) articles, \(written) files written to \(shownOutput)/ in \(seconds) s")
        // Done: the site and the cache are on disk. Freeing the knowledge base object by
        // object (a tenth of a second for 10 000 articles) is left to the end of the process.
        Foundation.exit(0)
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run every check of kb build without writing anything.",
        discussion: """
            Front matter, links and anchors. Exit 0 when nothing at or above --fail-on was \
            found, 1 otherwise, 2 when the knowledge base cannot be read.

            Example:
              kb check --format json > problems.json
            """
    )

    @OptionGroup var rootOptions: RootOptions
    @OptionGroup var report: ReportOptions

    @Flag(name: .long, help: "Include articles marked draft: true.")
    var drafts = false

    func run() throws {
        let knowledgeBase = try Pipeline.load(rootOptions, includeDrafts: drafts)
        let diagnostics = Checker.check(knowledgeBase).diagnostics
        Pipeline.print(diagnostics, format: report.format)
        Output.standardError("kb check: \(knowledgeBase.articles.count) articles, \(Pipeline.summary(diagnostics))")
        let threshold = report.threshold(configured: knowledgeBase.configuration.failOn)
        if diagnostics.contains(where: { threshold.fails($0.severity) }) { throw KBExit.findings }
    }
}

/// The steps shared by build and check.
enum Pipeline {
    static func load(_ options: RootOptions, includeDrafts: Bool, cache: BuildCache? = nil, listing: ContentListing? = nil) throws -> KnowledgeBase {
        do {
            return try ContentLoader.load(
                root: options.rootURL, displayRoot: options.displayRoot,
                options: .init(includeDrafts: includeDrafts), cache: cache, listing: listing)
        } catch let error as KnowledgeBaseError {
            Output.standardError("kb: error: \(error)")
            throw KBExit.badInput
        } catch let problems as Diagnostics {
            Output.standardError(Reporter.text(problems.all))
            throw KBExit.badInput
        }
    }

    /// A site is never written over the knowledge base, into a folder kb reads, or over a
    /// folder that holds the knowledge base: a bad invocation (exit 2), before anything is read.
    static func refuseOutput(_ output: URL, shown: String?, root: URL, command: String) throws {
        guard let reason = OutputFolder.refusal(output: output, root: root) else { return }
        Output.standardError("kb \(command): error: --output \(shown ?? output.path): \(reason)")
        throw KBExit.badInput
    }

    static func print(_ diagnostics: [Diagnostic], format: ReportFormat) {
        guard !diagnostics.isEmpty || format != .text else { return }
        Output.standardOutput(Reporter.render(diagnostics, as: format, rules: RuleRegistry.descriptions.map(\.descriptor), toolVersion: KBVersion.string))
    }

    static func summary(_ diagnostics: [Diagnostic]) -> String {
        var counts: [Severity: Int] = [:]
        for diagnostic in diagnostics { counts[diagnostic.severity, default: 0] += 1 }
        return summary(counts: counts)
    }

    static func summary(counts: [Severity: Int]) -> String {
        let parts = Severity.allCases.compactMap { severity -> String? in
            let count = counts[severity] ?? 0
            guard count > 0 else { return nil }
            return "\(count) \(severity.rawValue)\(count == 1 ? "" : "s")"
        }
        return parts.isEmpty ? "no problems" : parts.joined(separator: ", ")
    }
}
