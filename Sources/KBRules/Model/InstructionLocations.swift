import KBDockerfile

/// Precise places inside an instruction, for findings that point at a word rather than
/// at the whole instruction: an image name, a variable, the `apt-get` of one command.
extension Instruction {
    /// Where the `occurrence`-th (0-based) whole word `word` is written in the instruction
    /// (its logical line: continuation lines included, heredoc bodies not). A word is
    /// delimited by the start or end of the text, white space, quotes, `=`, `,`, `[`, `]`,
    /// `;`, `&`, `|`, `(` and `)`.
    func sourceRange(ofWord word: String, occurrence: Int = 0) -> SourceRange? {
        let text = Array(original.utf8)
        let needle = Array(word.utf8)
        guard !needle.isEmpty, needle.count <= text.count else { return nil }
        let delimiters = Set(" \t\"'=,[];&|()".utf8)
        var found = 0
        var index = 0
        while index + needle.count <= text.count {
            if text[index..<(index + needle.count)].elementsEqual(needle),
               index == 0 || delimiters.contains(text[index - 1]),
               index + needle.count == text.count || delimiters.contains(text[index + needle.count]) {
                if found == occurrence { return sourceRange(ofOriginal: index..<(index + needle.count)) }
                found += 1
            }
            index += 1
        }
        return nil
    }

    /// Where the last whole word `word` is written (the stage name of a FROM, whose image
    /// may contain the same text).
    func sourceRange(ofLastWord word: String) -> SourceRange? {
        var occurrence = 0
        var last: SourceRange?
        while let range = sourceRange(ofWord: word, occurrence: occurrence) {
            last = range
            occurrence += 1
        }
        return last
    }

    /// Where a piece of text (not necessarily a whole word) first appears, such as `$HOME`
    /// inside `$HOME/bin`.
    func sourceRange(ofText piece: String) -> SourceRange? {
        let text = Array(original.utf8)
        let needle = Array(piece.utf8)
        guard !needle.isEmpty, needle.count <= text.count else { return nil }
        for index in 0...(text.count - needle.count) where text[index..<(index + needle.count)].elementsEqual(needle) {
            return sourceRange(ofOriginal: index..<(index + needle.count))
        }
        return nil
    }

    /// The simple commands of a `RUN` (or of a `CMD`/`ENTRYPOINT`), as the model reads them.
    var shellCommands: [ShellCommand] { ShellCommandParser.parse(runScript) }

    /// Where the command at `index` of `commands` (this instruction's `shellCommands`)
    /// starts: its program word, counting how often that word appeared in the commands
    /// before it. Falls back to the whole instruction when the word is not in the
    /// instruction's own line (a heredoc body, a word built by quotes).
    func sourceRange(ofCommandAt index: Int, in commands: [ShellCommand]) -> SourceRange {
        guard commands.indices.contains(index), let program = commands[index].words.first else { return range }
        let before = commands[..<index].reduce(0) { count, command in count + command.words.filter { $0 == program }.count }
        return sourceRange(ofWord: program, occurrence: before) ?? range
    }

    /// The range of the flag with this name, or of the instruction.
    func rangeOfFlag(_ name: String) -> SourceRange { flag(name)?.range ?? range }
}
