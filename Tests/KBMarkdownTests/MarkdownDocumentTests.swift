import KBMarkdown
import Testing

@Suite struct MarkdownDocumentTests {
    let source = """
        # Title

        Some [link](other.md#part) and ![image](img/a.png "t").

        ## Second *emphasis* `code`

        ```dockerfile example=c-static title="A title"
        FROM scratch
        ```

            indented code

        ```
        untagged fence
        ```

        Inline `kb:size c-static` here.
        """

    @Test func collectsHeadingsWithPlainTextAndLines() {
        let document = MarkdownDocument(source, lineOffset: 4)
        #expect(document.headings == [
            Heading(level: 1, text: "Title", line: 5),
            Heading(level: 2, text: "Second emphasis code", line: 9),
        ])
    }

    @Test func collectsLinksAndImagesWithPositions() {
        let document = MarkdownDocument(source)
        #expect(document.links == [
            Link(destination: "other.md#part", isImage: false, line: 3, column: 6),
            Link(destination: "img/a.png", isImage: true, line: 3, column: 32),
        ])
    }

    @Test func collectsCodeBlocksWithInfoAndLines() {
        let blocks = MarkdownDocument(source).codeBlocks
        #expect(blocks.count == 3)
        #expect(blocks[0].info == "dockerfile example=c-static title=\"A title\"")
        #expect(blocks[0].language == "dockerfile")
        #expect(blocks[0].body == "FROM scratch\n")
        #expect(blocks[0].line == 7)
        #expect(blocks[0].bodyLine == 8)
        #expect(blocks[0].isFenced)
        #expect(blocks[1].isFenced == false)
        #expect(blocks[1].body == "indented code\n")
        #expect(blocks[2].isFenced)
        #expect(blocks[2].language == "")
    }

    @Test func collectsInlineCode() {
        let codes = MarkdownDocument(source).inlineCodes.map(\.text)
        #expect(codes == ["code", "kb:size c-static"])
    }

    @Test func safeModeDropsRawHTMLAndDangerousURLs() {
        let html = MarkdownDocument("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick=x>b</b>\n").renderHTML()
        #expect(!html.contains("<script"))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("onclick"))
        #expect(html.contains("<!-- raw HTML omitted -->"))
    }

    @Test func hooksRewriteLinksHeadingsAndCode() {
        let document = MarkdownDocument(source)
        let hooks = RenderHooks(
            heading: { heading, index in
                (RawHTML(trustedMarkup: "<h\(heading.level) id=\"h\(index)\">"), RawHTML(trustedMarkup: "</h\(heading.level)>"))
            },
            linkDestination: { $0.destination == "other.md#part" ? "other.html#part" : nil },
            codeBlock: { $0.language == "dockerfile" ? RawHTML(trustedMarkup: "<div class=\"df\"></div>") : nil },
            inlineCode: { $0.text.hasPrefix("kb:") ? RawHTML(trustedMarkup: "<span>1 MB</span>") : nil }
        )
        let html = document.renderHTML(hooks: hooks)
        #expect(html.contains("<h1 id=\"h0\">"))
        #expect(html.contains("<h2 id=\"h1\">"))
        #expect(html.contains("Second <em>emphasis</em> <code>code</code>"))
        #expect(html.contains("<a href=\"other.html#part\">link</a>"))
        #expect(html.contains("<img src=\"img/a.png\""))
        #expect(html.contains("<div class=\"df\"></div>"))
        #expect(!html.contains("FROM scratch"))
        #expect(html.contains("<pre><code>untagged fence"))
        #expect(html.contains("Inline <span>1 MB</span> here."))
        #expect(html.contains("<code>code</code>"))
    }

    @Test func renderingTwiceGivesTheSameHTML() {
        let document = MarkdownDocument(source)
        let hooks = RenderHooks(linkDestination: { _ in "x.html" })
        #expect(document.renderHTML(hooks: hooks) == document.renderHTML(hooks: hooks))
    }

    @Test func escapesTextForHTML() {
        #expect(HTML.escape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTML.escape("plain") == "plain")
    }
}
