import CCmark

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A heading as written: level, plain text, and where it starts.
public struct Heading: Sendable, Hashable {
    public let level: Int
    public let text: String
    public let line: Int

    public init(level: Int, text: String, line: Int) {
        self.level = level
        self.text = text
        self.line = line
    }
}

/// A link or image destination as written, with its position.
public struct Link: Sendable, Hashable {
    public let destination: String
    public let isImage: Bool
    public let line: Int
    public let column: Int

    public init(destination: String, isImage: Bool = false, line: Int, column: Int) {
        self.destination = destination
        self.isImage = isImage
        self.line = line
        self.column = column
    }
}

/// A code block: its info string (language and attributes) and body.
public struct CodeBlock: Sendable, Hashable {
    public let info: String
    public let body: String
    /// Line of the opening fence (or first line of an indented block).
    public let line: Int
    /// Line of the first body line.
    public var bodyLine: Int { isFenced ? line + 1 : line }
    public let isFenced: Bool
    /// Last line of the block: the closing fence, or the document's last line for a fence
    /// never closed.
    public let endLine: Int

    public init(info: String, body: String, line: Int, isFenced: Bool = true, endLine: Int? = nil) {
        self.info = info
        self.body = body
        self.line = line
        self.isFenced = isFenced
        self.endLine = max(line, endLine ?? line)
    }

    /// The document line of line `n` (1-based) of the body, kept within the block: a parser
    /// that reports a problem "at the end" names the line after the body, which for a fence
    /// never closed at the end of the document is past its last line.
    public func documentLine(ofBodyLine n: Int) -> Int {
        min(max(bodyLine + n - 1, line), endLine)
    }

    /// The first word of the info string, lower-cased: `dockerfile`, `kb-sizes`, `go`.
    public var language: String {
        String(info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "").lowercased()
    }
}

/// An inline code span, which kb uses for computed figures (`kb:size SLUG`).
public struct InlineCode: Sendable, Hashable {
    public let text: String
    public let line: Int
    public let column: Int

    public init(text: String, line: Int, column: Int) {
        self.text = text
        self.line = line
        self.column = column
    }
}

/// What the renderer asks the caller while it writes HTML. Every hook is optional; a hook
/// that returns nil leaves cmark's own rendering in place.
public struct RenderHooks {
    /// Opening and closing markup of the n-th heading (document order).
    public var heading: ((_ heading: Heading, _ index: Int) -> (open: RawHTML, close: RawHTML)?)?
    /// New destination for a link or image.
    public var linkDestination: ((Link) -> String?)?
    /// Replacement markup for a whole code block.
    public var codeBlock: ((CodeBlock) -> RawHTML?)?
    /// Replacement markup for an inline code span.
    public var inlineCode: ((InlineCode) -> RawHTML?)?

    public init(
        heading: ((Heading, Int) -> (open: RawHTML, close: RawHTML)?)? = nil,
        linkDestination: ((Link) -> String?)? = nil,
        codeBlock: ((CodeBlock) -> RawHTML?)? = nil,
        inlineCode: ((InlineCode) -> RawHTML?)? = nil
    ) {
        self.heading = heading
        self.linkDestination = linkDestination
        self.codeBlock = codeBlock
        self.inlineCode = inlineCode
    }
}

/// One Markdown document parsed by cmark (CommonMark, default safe mode).
///
/// Line numbers are shifted by `lineOffset` so that they refer to the original file when
/// the body followed a front-matter block.
public final class MarkdownDocument: @unchecked Sendable {
    // Immutable after init: the tree is not kept (a page's tree is ten times its text, and a
    // build holds every article); rendering parses the source again.
    private let source: String
    public let lineOffset: Int

    public private(set) var headings: [Heading] = []
    public private(set) var links: [Link] = []
    public private(set) var codeBlocks: [CodeBlock] = []
    public private(set) var inlineCodes: [InlineCode] = []
    /// The words a reader sees, for search: text, inline code and code blocks, without markup.
    public private(set) var plainText = ""

    public init(_ text: String, lineOffset: Int = 0) {
        self.lineOffset = lineOffset
        self.source = text
        guard let root = MarkdownDocument.parse(text) else { return }
        collect(root)
        cmark_node_free(root)
    }

    private static func parse(_ text: String) -> OpaquePointer? {
        var text = text
        return text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parse_document(chars.baseAddress, chars.count, CMARK_OPT_DEFAULT)
            }
        }
    }

    /// Renders the body to HTML, calling the hooks on the way.
    public func renderHTML(hooks: RenderHooks = RenderHooks()) -> String {
        guard let root = MarkdownDocument.parse(source) else { return "" }
        defer { cmark_node_free(root) }
        apply(hooks, to: root)
        guard let cString = cmark_render_html(root, CMARK_OPT_DEFAULT) else { return "" }
        defer { free(cString) }
        return String(cString: cString)
    }

    // MARK: - Collecting

    private func collect(_ root: OpaquePointer) {
        var words: [String] = []
        var lineStarts: [String.Index]?
        forEachNode(root) { node, entering in
            guard entering else { return }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING:
                headings.append(heading(node))
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                links.append(link(node))
            case CMARK_NODE_CODE_BLOCK:
                codeBlocks.append(codeBlock(node, &lineStarts))
                words.append(string(cmark_node_get_literal(node)))
            case CMARK_NODE_CODE:
                inlineCodes.append(inlineCode(node))
                words.append(string(cmark_node_get_literal(node)))
            case CMARK_NODE_TEXT:
                words.append(string(cmark_node_get_literal(node)))
            default:
                break
            }
        }
        plainText = words.joined(separator: " ")
    }

    private func line(_ node: OpaquePointer) -> Int { Int(cmark_node_get_start_line(node)) + lineOffset }

    private func heading(_ node: OpaquePointer) -> Heading {
        Heading(level: Int(cmark_node_get_heading_level(node)), text: plainText(of: node), line: line(node))
    }

    private func link(_ node: OpaquePointer) -> Link {
        Link(
            destination: string(cmark_node_get_url(node)),
            isImage: cmark_node_get_type(node) == CMARK_NODE_IMAGE,
            line: line(node),
            column: Int(cmark_node_get_start_column(node))
        )
    }

    private func codeBlock(_ node: OpaquePointer, _ lineStarts: inout [String.Index]?) -> CodeBlock {
        let info = string(cmark_node_get_fence_info(node))
        return CodeBlock(
            info: info,
            body: string(cmark_node_get_literal(node)),
            line: line(node),
            isFenced: !info.isEmpty || isFenceLine(Int(cmark_node_get_start_line(node)), &lineStarts),
            endLine: Int(cmark_node_get_end_line(node)) + lineOffset
        )
    }

    /// cmark 0.30 has no accessor for "fenced"; an opening fence is a line of ``` or ~~~.
    private func isFenceLine(_ line: Int, _ lineStarts: inout [String.Index]?) -> Bool {
        let starts = lineStarts ?? MarkdownDocument.lineStarts(of: source)
        lineStarts = starts
        guard line >= 1, line <= starts.count else { return false }
        let utf8 = source.utf8
        var index = starts[line - 1]
        while index < utf8.endIndex, utf8[index] == UInt8(ascii: " ") { index = utf8.index(after: index) }
        let rest = utf8[index...]
        return rest.starts(with: "```".utf8) || rest.starts(with: "~~~".utf8)
    }

    /// Where each line of the source starts: built the first time an unfenced-looking block
    /// needs it, once however many blocks ask.
    private static func lineStarts(of source: String) -> [String.Index] {
        var starts = [source.utf8.startIndex]
        var index = source.utf8.startIndex
        while let newline = source.utf8[index...].firstIndex(of: UInt8(ascii: "\n")) {
            index = source.utf8.index(after: newline)
            starts.append(index)
        }
        return starts
    }

    private func inlineCode(_ node: OpaquePointer) -> InlineCode {
        InlineCode(text: string(cmark_node_get_literal(node)), line: line(node), column: Int(cmark_node_get_start_column(node)))
    }

    /// Text of a heading's inlines, as a reader sees it (code spans keep their text).
    private func plainText(of node: OpaquePointer) -> String {
        var text = ""
        forEachNode(node) { child, entering in
            guard entering else { return }
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE:
                text += string(cmark_node_get_literal(child))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            default:
                break
            }
        }
        return text
    }

    // MARK: - Rewriting before rendering

    private func apply(_ hooks: RenderHooks, to root: OpaquePointer) {
        // Collect first, then mutate: replacing nodes while iterating would confuse the iterator.
        var headingNodes: [OpaquePointer] = []
        var linkNodes: [OpaquePointer] = []
        var codeBlockNodes: [OpaquePointer] = []
        var inlineCodeNodes: [OpaquePointer] = []
        forEachNode(root) { node, entering in
            guard entering else { return }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING: headingNodes.append(node)
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE: linkNodes.append(node)
            case CMARK_NODE_CODE_BLOCK: codeBlockNodes.append(node)
            case CMARK_NODE_CODE: inlineCodeNodes.append(node)
            default: break
            }
        }
        if let hook = hooks.linkDestination {
            for (node, link) in zip(linkNodes, links) {
                if let destination = hook(link) { cmark_node_set_url(node, destination) }
            }
        }
        if let hook = hooks.inlineCode {
            for (node, code) in zip(inlineCodeNodes, inlineCodes) {
                if let markup = hook(code) { replace(node, with: markup, type: CMARK_NODE_CUSTOM_INLINE) }
            }
        }
        if let hook = hooks.codeBlock {
            for (node, block) in zip(codeBlockNodes, codeBlocks) {
                if let markup = hook(block) { replace(node, with: markup, type: CMARK_NODE_CUSTOM_BLOCK) }
            }
        }
        if let hook = hooks.heading {
            for (index, (node, heading)) in zip(headingNodes, headings).enumerated() {
                guard let markup = hook(heading, index) else { continue }
                wrapChildren(of: node, open: markup.open, close: markup.close)
            }
        }
    }

    /// Replaces a node by a custom node whose markup cmark writes as is.
    private func replace(_ node: OpaquePointer, with markup: RawHTML, type: cmark_node_type) {
        guard let custom = cmark_node_new(type) else { return }
        cmark_node_set_on_enter(custom, markup.markup)
        cmark_node_set_on_exit(custom, "")
        cmark_node_replace(node, custom)
        cmark_node_free(node)
    }

    /// Replaces a heading by a custom block with the given open/close markup around the
    /// heading's own inlines, so that they are still rendered (and sanitised) by cmark.
    private func wrapChildren(of node: OpaquePointer, open: RawHTML, close: RawHTML) {
        guard let custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        cmark_node_set_on_enter(custom, open.markup)
        cmark_node_set_on_exit(custom, close.markup)
        while let child = cmark_node_first_child(node) {
            cmark_node_unlink(child)
            cmark_node_append_child(custom, child)
        }
        cmark_node_replace(node, custom)
        cmark_node_free(node)
    }

    // MARK: - Helpers

    private func forEachNode(_ root: OpaquePointer, _ body: (OpaquePointer, Bool) -> Void) {
        guard let iterator = cmark_iter_new(root) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            body(node, event == CMARK_EVENT_ENTER)
        }
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }
}
