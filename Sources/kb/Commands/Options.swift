import ArgumentParser
import Foundation
import KBRules

/// `--root`, shared by every command that reads a knowledge base.
struct RootOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The knowledge base's root folder (holds Content/).", valueName: "DIR"))
    var root: String = "."

    var rootURL: URL { URL(fileURLWithPath: root) }

    /// The root as messages show it: nothing for the current folder.
    var displayRoot: String {
        var shown = root
        while shown.hasSuffix("/") && shown.count > 1 { shown.removeLast() }
        return shown == "." ? "" : shown
    }
}

/// `--format` and `--fail-on`, shared by the commands that report diagnostics.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: "Report format: text, json, sarif, github.")
    var format: ReportFormat = .text

    @Option(name: .customLong("fail-on"), help: "Fail (exit 1) on findings at or above: error, warning, info, style, never (default: kb.yaml's fail_on, else error).")
    var failOn: FailureThreshold?

    /// The command line wins over kb.yaml, which wins over the default.
    func threshold(configured: FailureThreshold?) -> FailureThreshold {
        failOn ?? configured ?? .error
    }
}

extension FailureThreshold: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}

enum Output {
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
