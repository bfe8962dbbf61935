import ArgumentParser
import Foundation

/// `kb init [DIR]`: writes a new knowledge base from the templates in StarterFiles.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new knowledge base: a sample article, a runnable example, kb.yaml and a CI workflow.",
        discussion: """
            Writes Content/ (one article with a checked Dockerfile and a size table), \
            Examples/ (one example that kb record can build and run), kb.yaml, .gitignore and \
            .github/workflows/kb.yml into DIR (default: the current folder), which may exist. \
            kb build works on the result at once: the example's results.json is a cited figure \
            standing in for a recording until you run kb record.

            Nothing is ever overwritten: if any of these files exists, kb init names it, \
            writes nothing and exits with 2.

            Example:
              kb init my-notes && cd my-notes && kb build
            """
    )

    @Argument(help: ArgumentHelp("The folder of the new knowledge base (created if missing).", valueName: "DIR"))
    var directory: String = "."

    func run() throws {
        let manager = FileManager.default
        let root = URL(fileURLWithPath: directory)
        let shownRoot = directory == "." ? "" : (directory.hasSuffix("/") ? directory : directory + "/")

        // Check everything before writing anything.
        var problems: [String] = []
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: root.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            problems.append("\(directory) exists and is not a folder")
        } else {
            var reported: Set<String> = []
            for file in StarterFiles.all {
                // A file in the way of a folder the template needs is a problem too.
                let parts = file.path.split(separator: "/").map(String.init)
                for depth in 1...parts.count {
                    let partial = parts.prefix(depth).joined(separator: "/")
                    let url = root.appendingPathComponent(partial)
                    let isLast = depth == parts.count
                    var folder: ObjCBool = false
                    let present = manager.fileExists(atPath: url.path, isDirectory: &folder)
                        || (try? manager.destinationOfSymbolicLink(atPath: url.path)) != nil
                    guard present, !reported.contains(partial) else { continue }
                    if isLast {
                        reported.insert(partial)
                        problems.append("\(shownRoot)\(partial) already exists")
                    } else if !folder.boolValue {
                        reported.insert(partial)
                        problems.append("\(shownRoot)\(partial) exists and is not a folder")
                    }
                }
            }
        }
        if !problems.isEmpty {
            for problem in problems { Output.standardError("kb init: \(problem)") }
            Output.standardError("kb init: nothing was written (kb init never overwrites a file)")
            throw KBExit.badInput
        }

        do {
            for file in StarterFiles.all {
                let url = root.appendingPathComponent(file.path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                // withoutOverwriting: a file that appeared since the check is still not replaced.
                try Data(file.contents.utf8).write(to: url, options: .withoutOverwriting)
            }
        } catch {
            Output.standardError("kb init: error: \(error.localizedDescription)")
            throw KBExit.badInput
        }

        let cd = directory == "." ? "" : "cd \(directory) && "
        Output.standardError("""
            kb init: wrote \(StarterFiles.all.count) files to \(directory == "." ? "the current folder" : directory):
            \(StarterFiles.all.map { "  " + shownRoot + $0.path }.joined(separator: "\n"))
            Next: \(cd)kb build   (then open Site/index.html, or run kb serve)
                  kb record \(StarterFiles.exampleSlug)   (with docker, podman or buildah: replaces the cited figure by a real recording)
            """)
    }
}
