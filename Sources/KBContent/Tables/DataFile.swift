import Foundation
import KBRules
import Yams

/// `Content/data/NAME.yaml`: figures cited from elsewhere, with their source.
public struct DataFile: Sendable {
    public struct Column: Sendable {
        public let title: String
        /// `bytes`, `seconds`, `count` or `text`.
        public let unit: String
    }

    public let name: String
    public let title: String
    public let sourceTitle: String
    public let sourceURL: String
    public let sourceDate: String
    public let columns: [Column]
    public let rows: [[String]]
    public let baseline: Int?

    static let units: Set<String> = ["bytes", "seconds", "count", "text"]

    /// Reads a data file by name; every problem is reported with the data file's line.
    /// An empty problem list means the file does not exist.
    static func load(name: String, knowledgeBase: KnowledgeBase) -> Result<DataFile, Diagnostics> {
        let relative = "Content/data/\(name).yaml"
        let shown = knowledgeBase.display(relative)
        guard !name.contains(".."), !name.hasPrefix("/"), !name.contains("\0"), name.allSatisfy({ $0.isLetter || $0.isNumber || "-_/.".contains($0) }) else {
            return .failure(Diagnostics([ContentCheck.linkOutsideRoot.at(shown, line: 1, "a data name is a file name under Content/data/, not a path ('\(name)')")]))
        }
        let url = knowledgeBase.root.appendingPathComponent(relative)
        let real = url.resolvingSymlinksInPath().path
        guard real.hasPrefix(knowledgeBase.root.path + "/") else {
            return .failure(Diagnostics([ContentCheck.linkOutsideRoot.at(shown, line: 1, "the data file leads outside the knowledge base: not read")]))
        }
        if let tooLarge = InputLimits.problem(url, limit: InputLimits.metadataBytes, kind: "data files", shown: shown) {
            return .failure(Diagnostics([tooLarge]))
        }
        guard let data = FileManager.default.contents(atPath: url.path) else { return .failure(Diagnostics([])) }
        guard case let .success(text) = TextDecoding.decode(data) else {
            return .failure(Diagnostics([ContentCheck.invalidDataFile.at(shown, line: 1, "not UTF-8 text")]))
        }
        return parse(text, name: name, file: shown)
    }

    static func parse(_ text: String, name: String, file: String) -> Result<DataFile, Diagnostics> {
        var problems: [Diagnostic] = []
        func fail(_ line: Int, _ message: String) { problems.append(ContentCheck.invalidDataFile.at(file, line: line, message)) }
        let root: Node
        switch YAMLReading.compose(text) {
        case let .failure(problem):
            return .failure(Diagnostics([ContentCheck.invalidDataFile.at(file, line: problem.line, column: problem.column, problem.message)]))
        case let .success(node):
            guard let node, node.orderedPairs != nil else {
                return .failure(Diagnostics([ContentCheck.invalidDataFile.at(file, line: 1, "a data file is a mapping with title, source, columns and rows")]))
            }
            root = node
        }
        var fields: [String: Node] = [:]
        for pair in root.orderedPairs ?? [] {
            fields[pair.key] = pair.value
            if !["title", "source", "columns", "rows", "baseline"].contains(pair.key) {
                fail(pair.keyNode.line, "unknown key '\(pair.key)' (known: title, source, columns, rows, baseline)")
            }
        }
        let title = fields["title"]?.scalar?.string ?? name
        var sourceFields: [String: String] = [:]
        if let source = fields["source"], let pairs = source.orderedPairs {
            for pair in pairs { sourceFields[pair.key] = pair.value.scalar?.string }
        }
        for key in ["title", "url", "date"] where (sourceFields[key] ?? "").isEmpty {
            fail(fields["source"]?.line ?? 1, "source needs a \(key): every cited figure says where it comes from")
        }
        var columns: [Column] = []
        if case let .sequence(list)? = fields["columns"] {
            for column in list {
                let pairs = Dictionary((column.orderedPairs ?? []).map { ($0.key, $0.value.scalar?.string ?? "") }, uniquingKeysWith: { a, _ in a })
                let unit = pairs["unit"] ?? "text"
                if !units.contains(unit) { fail(column.line, "unit '\(unit)' is not one of bytes, seconds, count, text") }
                guard let title = pairs["title"], !title.isEmpty else {
                    fail(column.line, "a column needs a title")
                    continue
                }
                columns.append(Column(title: title, unit: unit))
            }
        } else {
            fail(root.line, "columns: a list of {title, unit}")
        }
        var rows: [[String]] = []
        if case let .sequence(list)? = fields["rows"] {
            for row in list {
                guard case let .sequence(cells) = row else {
                    fail(row.line, "a row is a list of cells, one per column")
                    continue
                }
                let values = cells.map { $0.scalar?.string ?? "" }
                if values.count != columns.count {
                    fail(row.line, "this row has \(values.count) cells for \(columns.count) columns")
                }
                for (index, column) in columns.enumerated() where index < values.count && column.unit != "text" {
                    guard let number = Double(values[index]), number.isFinite else {
                        fail(row.line, "'\(values[index])' in column \(column.title) is not a number")
                        continue
                    }
                    if column.unit != "seconds", !(0...InputLimits.maximumQuantity).contains(number) {
                        fail(row.line, "'\(values[index])' in column \(column.title) is out of range (from 0 to 10^18 \(column.unit))")
                    }
                }
                rows.append(values)
            }
        } else {
            fail(root.line, "rows: a list of rows")
        }
        var baseline: Int?
        if let node = fields["baseline"] {
            if let index = node.scalar.flatMap({ Int($0.string) }), index >= 0, index < rows.count {
                baseline = index
            } else {
                fail(node.line, "baseline is the index of a row, from 0 to \(max(rows.count - 1, 0))")
            }
        }
        guard problems.isEmpty else { return .failure(Diagnostics(problems)) }
        return .success(DataFile(
            name: name, title: title, sourceTitle: sourceFields["title"] ?? "", sourceURL: sourceFields["url"] ?? "",
            sourceDate: sourceFields["date"] ?? "", columns: columns, rows: rows, baseline: baseline))
    }

    /// The table: the file's columns, plus a ratio column when there is a baseline and sizes.
    func table(caption: String?, articlePath: String, line: Int) -> SizeTable {
        let sizeColumn = columns.firstIndex { $0.unit == "bytes" }
        var headers = columns.map { (title: $0.title, isNumeric: $0.unit != "text") }
        let showRatio = baseline != nil && sizeColumn != nil
        if showRatio { headers.append(("vs. baseline", true)) }
        let note = SizeTable.Note(text: "Cited from \(sourceTitle), \(sourceDate).", url: sourceURL)
        var rows: [[SizeTable.Cell]] = []
        var bars: [(String, Int?)] = []
        for (index, row) in self.rows.enumerated() {
            var cells: [SizeTable.Cell] = []
            for (columnIndex, column) in columns.enumerated() {
                let value = columnIndex < row.count ? row[columnIndex] : ""
                let text: String
                switch column.unit {
                case "bytes": text = Double(value).map { SizeFormat.bytes(Int($0)) } ?? value
                case "seconds": text = value + " s"
                default: text = value
                }
                cells.append(SizeTable.Cell(text: text, isNumeric: column.unit != "text", exampleSlug: nil, note: columnIndex == sizeColumn ? 1 : nil))
            }
            if showRatio, let sizeColumn, let baseline {
                let size = Int(Double(row[sizeColumn]) ?? 0)
                let base = Int(Double(self.rows[baseline][sizeColumn]) ?? 0)
                cells.append(SizeTable.Cell(text: index == baseline ? "baseline" : SizeFormat.ratio(size, baseline: base), isNumeric: true, exampleSlug: nil, note: nil))
            }
            rows.append(cells)
            bars.append((row.first ?? "", sizeColumn.flatMap { Int(Double(row[$0]) ?? 0) }))
        }
        return SizeTable(
            caption: caption ?? title, headers: headers, rows: rows, bars: sizeColumn == nil ? [] : bars,
            notes: [note], articlePath: articlePath, line: line)
    }
}
