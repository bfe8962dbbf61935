import ArgumentParser
import Foundation
import KBDockerfile

/// `kb parse FILE... [--format dump|json]`: runs kb's BuildKit-compatible Dockerfile parser.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse Dockerfiles and print what BuildKit's parser sees.",
        discussion: """
            dump prints BuildKit's AST dump, one (instruction "argument" …) line per \
            instruction. json prints, for each file, an array of {cmd, sub_cmd, json, \
            original, start_line, end_line, flags, value, heredocs}: the shape of the \
            Python dockerfile package, so the two can be compared. With several files, \
            dump separates them with ==> FILE <== headers and json prints an object keyed \
            by file. Use - to read standard input. Parser warnings go to standard error.

            Exit status: 0 all files parsed, 1 a file was rejected (path:line:col: error: \
            message on standard error), 2 bad invocation or unreadable file.

            Example:
              kb parse Examples/c-dynamic-scratch/Dockerfile --format json
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case dump, json
    }

    @Argument(help: ArgumentHelp("Dockerfiles to parse (- for standard input).", valueName: "FILE"))
    var files: [String] = []

    @Option(name: .long, help: "Output format: dump or json.")
    var format: Format = .dump

    func validate() throws {
        if files.isEmpty {
            throw ValidationError("Give at least one Dockerfile (or - for standard input).")
        }
        if files.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("Standard input (-) can be read only once.")
        }
    }

    func run() throws {
        var status: Int32 = 0
        var outputs: [(name: String, text: String)] = []
        for path in files {
            let name = path == "-" ? "<stdin>" : path
            let bytes: [UInt8]
            do {
                bytes = try Self.read(path)
            } catch {
                Self.standardError("kb parse: error: cannot read \(name): \(error.reason)")
                status = 2
                continue
            }
            do {
                let dockerfile = try DockerfileParser.parse(utf8: bytes)
                for warning in dockerfile.warnings {
                    Self.standardError("\(name):\(warning.range.start.line):\(warning.range.start.column): warning: \(warning.message)")
                }
                outputs.append((name, format == .dump ? dockerfile.dump() : dockerfile.commandsJSON()))
            } catch {
                Self.standardError("\(name):\(error.line):\(error.column): error: \(error.message)")
                if status == 0 { status = 1 }
            }
        }
        Self.standardOutput(render(outputs))
        if status != 0 { throw ExitCode(status) }
    }

    private func render(_ outputs: [(name: String, text: String)]) -> String {
        guard !outputs.isEmpty else { return "" }
        switch format {
        case .dump:
            if files.count == 1 { return outputs[0].text + "\n" }
            return outputs.map { "==> \($0.name) <==\n\($0.text)\n" }.joined(separator: "\n")
        case .json:
            if files.count == 1 { return outputs[0].text + "\n" }
            let members = outputs.map { output in
                "  " + Self.jsonString(output.name) + ": " + output.text.replacingOccurrences(of: "\n", with: "\n  ")
            }
            return "{\n" + members.joined(separator: ",\n") + "\n}\n"
        }
    }

    struct ReadFailure: Error {
        var reason: String
    }

    static func read(_ path: String) throws(ReadFailure) -> [UInt8] {
        if path == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReadFailure(reason: "no such file")
        }
        if isDirectory.boolValue { throw ReadFailure(reason: "is a directory") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw ReadFailure(reason: "permission denied") }
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ReadFailure(reason: error.localizedDescription)
        }
    }

    static func jsonString(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
