import Foundation
import Testing

/// `--version`, `--help` of every subcommand, and the shell completion scripts.
@Suite struct HelpAndCompletionTests {
    /// The subcommands as `kb --help` lists them.
    static func subcommands() throws -> [String] {
        let help = try KBBinary.run(["--help"])
        guard let section = help.stdout.range(of: "SUBCOMMANDS:") else { return [] }
        return help.stdout[section.upperBound...]
            .split(separator: "\n")
            .prefix { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("See 'kb help") }
            // "  name   summary"; a summary's continuation lines are indented further.
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    @Test func versionIsPrinted() throws {
        let result = try KBBinary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.firstMatch(of: /^[0-9]+\.[0-9]+\.[0-9]+\n$/) != nil, "\(result.stdout)")
    }

    @Test func everySubcommandIsListed() throws {
        let listed = Set(try Self.subcommands())
        let expected: Set = ["build", "check", "lint", "rules", "explain", "record", "parse", "init", "serve"]
        #expect(expected.isSubset(of: listed), "listed: \(listed.sorted())")
    }

    @Test(arguments: ["build", "check", "lint", "rules", "explain", "record", "parse", "init", "serve"])
    func helpHasAnExample(_ command: String) throws {
        let result = try KBBinary.run([command, "--help"])
        #expect(result.status == 0)
        let overview = try #require(result.stdout.range(of: "OVERVIEW:"))
        let usage = try #require(result.stdout.range(of: "USAGE:"))
        let discussion = result.stdout[overview.upperBound..<usage.lowerBound]
        #expect(discussion.contains("Example"), "kb \(command) --help has no example")
        // The example runs this very command.
        #expect(discussion.contains("kb \(command)"), "kb \(command) --help: the example does not show kb \(command)")
    }

    @Test func listedSubcommandsAllHaveExamples() throws {
        for command in try Self.subcommands() where command != "help" {
            let result = try KBBinary.run([command, "--help"])
            #expect(result.stdout.contains("Example"), "kb \(command) --help has no example")
        }
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScript(_ shell: String) throws {
        let result = try KBBinary.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.count > 500)
        for command in ["build", "lint", "serve", "init"] {
            #expect(result.stdout.contains(command), "\(shell) completion does not mention \(command)")
        }
        switch shell {
        case "bash": #expect(result.stdout.contains("-F _kb kb"))
        case "zsh": #expect(result.stdout.hasPrefix("#compdef kb"))
        default: #expect(result.stdout.contains("complete -c 'kb'"))
        }
    }
}
