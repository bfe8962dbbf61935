import ArgumentParser
// Linked for its malloc, which replaces glibc's for the whole process (see Package.swift).
import CMimalloc
import Foundation

struct KB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Build and check a knowledge base about minimal container images.",
        version: KBVersion.string,
        subcommands: [
            BuildCommand.self, CheckCommand.self, LintCommand.self, RulesCommand.self, ExplainCommand.self,
            RecordCommand.self, ParseCommand.self, InitCommand.self, ServeCommand.self,
        ]
    )
}

enum KBVersion {
    static let string = "0.1.0"
}

/// Exit codes of DESIGN.md: 0 clean, 1 findings or failed checks, 2 bad invocation,
/// configuration or unreadable input.
enum KBExit {
    static let findings = ExitCode(1)
    static let badInput = ExitCode(2)
}

@main
enum Main {
    static func main() {
        do {
            var command = try KB.parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            // swift-argument-parser uses 64 for usage errors; kb documents 2.
            let code = KB.exitCode(for: error)
            if code == .success {
                KB.exit(withError: error)
            }
            FileHandle.standardError.write(Data((KB.fullMessage(for: error) + "\n").utf8))
            if code == .validationFailure {
                FileHandle.standardError.write(Data("Run 'kb --help' for usage.\n".utf8))
            }
            Foundation.exit(KBExit.badInput.rawValue)
        }
    }
}
