import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import KBContent
import KBSite
import KBTestSupport
import Testing

/// One hostile input: files laid over a small knowledge base, the page where the input is
/// shown, the exact escaped (or neutralised) form that must be on it, and the dangerous form
/// that must not. Every page of every site is also checked for what no content may produce
/// (see `SiteInvariants`).
struct Attack: Sendable, CustomTestStringConvertible {
    let name: String
    let files: [String: String]
    let page: String
    let present: [String]
    let absent: [String]
    /// Record the example `ex` with this output (a current recording, so its page shows it).
    var recordedStdout: String?

    var testDescription: String { name }

    /// Markdown in the body of `Content/a.md`, after two headings (which make a table of contents).
    static func body(_ name: String, _ markdown: String, present: [String], absent: [String]) -> Attack {
        Attack(name: name, files: ["Content/a.md": HostileSite.article(body: markdown)], page: "articles/a.html", present: present, absent: absent)
    }

    /// Front-matter lines of `Content/a.md` (its title is `Attack` unless the lines set one).
    static func frontMatter(_ name: String, _ yaml: String, page: String = "articles/a.html", present: [String], absent: [String]) -> Attack {
        Attack(name: name, files: ["Content/a.md": HostileSite.article(frontMatter: yaml)], page: page, present: present, absent: absent)
    }

    /// Files of the example `ex` (shown on examples/ex.html), over its harmless defaults.
    static func example(_ name: String, _ files: [String: String], page: String = "examples/ex.html", stdout: String? = nil, present: [String], absent: [String]) -> Attack {
        Attack(name: name, files: files, page: page, present: present, absent: absent, recordedStdout: stdout)
    }
}

/// The knowledge base every attack is laid over: two articles, an example, a data file, and a
/// base_url so that atom.xml and sitemap.xml are written too.
enum HostileSite {
    static func article(frontMatter: String = "", body: String = "") -> String {
        let title = frontMatter.contains("title:") ? "" : "title: Attack\n"
        return "---\n\(title)\(frontMatter)\n---\n## First part\n\nText.\n\n## Second part\n\n\(body)\n"
    }

    static let base: [String: String] = [
        "kb.yaml": "title: Hostile\nbase_url: https://example.org/kb/\n",
        "Content/a.md": article(),
        "Content/b.md": "---\ntitle: Bee\n---\n## Target\n",
        "Content/img.png": "PNG",
        "Content/data/d.yaml": dataFile(),
        "Examples/ex/Dockerfile": "FROM scratch\nCOPY hi /hi\nENTRYPOINT [\"/hi\"]\n",
        "Examples/ex/hi": "binary\n",
        "Examples/ex/example.yaml": "title: Example\nrun:\n  stdout: \"hi\\n\"\n",
    ]

    static func dataFile(title: String = "Sizes", sourceTitle: String = "A source", url: String = "https://example.org/s", column: String = "Image", cell: String = "scratch") -> String {
        """
        title: '\(title)'
        source: {title: '\(sourceTitle)', url: '\(url)', date: 2020-01-01}
        columns:
          - {title: '\(column)'}
          - {title: Size, unit: bytes}
        rows:
          - ['\(cell)', 2008801]
          - [debian, 80000000]

        """
    }

    static func recording(digest: String, stdout: String) throws -> String {
        let output = String(decoding: try JSONSerialization.data(withJSONObject: [stdout], options: [.fragmentsAllowed]), as: UTF8.self).dropFirst().dropLast()
        return """
            {"recordings": [{"build_seconds": 1.5, "context_digest": "\(digest)", "date": "2026-11-28T06:00:00Z",
              "engine": {"name": "buildah", "version": "1.28.2"}, "image": {"layers": 1, "size_bytes": 1000},
              "matched": true, "platform": "linux/amd64",
              "run": {"exit_code": 0, "seconds": 0.1, "stderr": "", "stdout": \(output), "timed_out": false}}]}

            """
    }

    /// Renders the site of the base knowledge base with `attack`'s files in place: every file by path.
    static func render(_ attack: Attack) throws -> [String: String] {
        var files = base
        for (path, text) in attack.files { files[path] = text }
        let folder = try TemporaryFolder(files)
        if let stdout = attack.recordedStdout {
            let digest = try #require(try ExampleCatalog.load(root: folder.url)["ex"]?.context?.digest)
            try folder.write("Examples/ex/results.json", try recording(digest: digest, stdout: stdout))
        }
        let knowledgeBase = try ContentLoader.load(root: folder.url)
        var pages: [String: String] = [:]
        for file in try SiteRenderer().render(knowledgeBase) {
            pages[file.path] = String(decoding: file.contents, as: UTF8.self)
        }
        return pages
    }
}

@Suite struct HostileMarkdownTests {
    static let attacks: [Attack] = rawHTML + links + headingsAndCode + dockerfiles + frontMatter + examples + dataFiles + names

    // MARK: Raw HTML: cmark's safe mode leaves a comment in its place.

    /// An HTML block right after the article's second heading, as cmark leaves it.
    static let omittedBlock = "aria-label=\"Link to this section\">#</a></h2>\n<!-- raw HTML omitted -->\n"

    static let rawHTML: [Attack] = [
        .body("script block", "<script>alert(1)</script>",
              present: [omittedBlock], absent: ["alert(1)"]),
        .body("script inline", "one <script>alert(1)</script> two",
              present: ["<p>one <!-- raw HTML omitted -->alert(1)<!-- raw HTML omitted --> two</p>"], absent: ["<script>alert"]),
        .body("upper-case script", "x <SCRIPT SRC=//evil.example/x.js></SCRIPT>",
              present: ["<p>x <!-- raw HTML omitted --><!-- raw HTML omitted --></p>"], absent: ["evil.example"]),
        .body("img onerror", "a <img src=x onerror=alert(1)> b",
              present: ["<p>a <!-- raw HTML omitted --> b</p>"], absent: ["onerror"]),
        .body("svg onload", "<svg onload=alert(1)>",
              present: [omittedBlock], absent: ["onload"]),
        .body("iframe", "<iframe src=\"javascript:alert(1)\"></iframe>",
              present: [omittedBlock], absent: ["iframe", "javascript"]),
        .body("style block", "<style>body { background: url(javascript:alert(1)) }</style>",
              present: [omittedBlock], absent: ["background: url"]),
        .body("div onclick", "<div onclick=\"alert(1)\">click</div>",
              present: [omittedBlock], absent: ["onclick"]),
        .body("details ontoggle", "<details open ontoggle=alert(1)>x</details>",
              present: [omittedBlock], absent: ["ontoggle"]),
        .body("raw anchor with javascript", "see <a href=\"javascript:alert(1)\">here</a>",
              present: ["<p>see <!-- raw HTML omitted -->here<!-- raw HTML omitted --></p>"], absent: ["javascript"]),
        .body("comment that closes early", "<!--><script>alert(1)</script>-->",
              present: [omittedBlock], absent: ["<script>alert"]),
        .body("CDATA and processing instruction", "a <![CDATA[<script>alert(1)</script>]]> b <?php echo 1 ?> c",
              present: ["<p>a <!-- raw HTML omitted --> b <!-- raw HTML omitted --> c</p>"], absent: ["CDATA", "php"]),
        .body("object data", "<object data=\"javascript:alert(1)\"></object>",
              present: ["<p><!-- raw HTML omitted --><!-- raw HTML omitted --></p>"], absent: ["<object"]),
        .body("form action", "<form action=\"javascript:alert(1)\"><button>go</button></form>",
              present: [omittedBlock], absent: ["<form", "<button"]),
        .body("meta refresh", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
              present: [omittedBlock], absent: ["http-equiv"]),
        .body("base href", "<base href=\"javascript:alert(1)//\">",
              present: [omittedBlock], absent: ["<base"]),
        .body("math xlink", "<math><a xlink:href=\"javascript:alert(1)\">x</a></math>",
              present: ["<p><!-- raw HTML omitted --><!-- raw HTML omitted -->x<!-- raw HTML omitted --><!-- raw HTML omitted --></p>"], absent: ["xlink"]),
    ]

    // MARK: Links and images: dangerous schemes lose their address.

    static let links: [Attack] = [
        .body("javascript link", "[x](javascript:alert(1))",
              present: ["<p><a href=\"\">x</a></p>"], absent: ["javascript"]),
        .body("mixed-case javascript link", "[x](JaVaScRiPt:alert(1))",
              present: ["<p><a href=\"\">x</a></p>"], absent: ["JaVaScRiPt"]),
        .body("decimal entity javascript link", "[x](&#106;avascript:alert(1))",
              present: ["<p><a href=\"\">x</a></p>"], absent: ["avascript"]),
        .body("hex entity javascript link", "[x](&#x6A;&#x61;vascript:alert(1))",
              present: ["<p><a href=\"\">x</a></p>"], absent: ["vascript"]),
        .body("named entity colon", "[x](javascript&colon;alert(1))",
              present: ["<p><a href=\"\">x</a></p>"], absent: ["alert(1)"]),
        .body("tab inside the scheme", "[x](<java\tscript:alert(1)>)",
              present: ["<p><a href=\"\">x</a></p>"], absent: ["script:alert"]),
        .body("leading space and control character", "[x](< \u{1}javascript:alert(1)>)",
              present: ["<p><a href=\"\">x</a></p>"], absent: ["javascript"]),
        .body("autolink", "<javascript:alert(1)>",
              present: ["<p><a href=\"\">javascript:alert(1)</a></p>"], absent: ["href=\"javascript"]),
        .body("reference definition", "[x][r]\n\n[r]: javascript:alert(1) \"t\"",
              present: ["<p><a href=\"\" title=\"t\">x</a></p>"], absent: ["href=\"javascript"]),
        .body("data text/html link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
              present: ["<p><a href=\"\">x</a></p>"], absent: ["data:"]),
        .body("data svg image", "![i](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
              present: ["<p><img src=\"\" alt=\"i\" /></p>"], absent: ["data:"]),
        .body("data png image", "![i](data:image/png;base64,iVBORw0KGgo=)",
              present: ["<p><img src=\"\" alt=\"i\" /></p>"], absent: ["data:"]),
        .body("vbscript link", "[x](vbscript:msgbox(1))",
              present: ["<p><a href=\"\">x</a></p>"], absent: ["vbscript"]),
        .body("file link", "[x](file:///etc/passwd)",
              present: ["<p><a href=\"\">x</a></p>"], absent: ["/etc/passwd"]),
        .body("title attribute breaks out", "[x](https://example.org \"\\\" onmouseover=\\\"alert(1)\")",
              present: ["<a href=\"https://example.org\" title=\"&quot; onmouseover=&quot;alert(1)\">x</a>"], absent: ["\" onmouseover"]),
        .body("alt attribute breaks out", "![\" onerror=\"alert(1)](img.png)",
              present: ["<img src=\"../files/img.png\" alt=\"&quot; onerror=&quot;alert(1)\" />"], absent: ["\" onerror"]),
        .body("HTML in link text", "[<img src=x onerror=alert(1)>](b.md)",
              present: ["<a href=\"b.html\"><!-- raw HTML omitted --></a>"], absent: ["onerror"]),
        .body("quote in a link destination", "[x](b.md\"onmouseover=\"alert(1))",
              present: ["<a href=\"b.md%22onmouseover=%22alert(1)\">x</a>"], absent: ["\"onmouseover"]),
    ]

    // MARK: Headings (anchors and the table of contents), code spans and other code blocks.

    static let headingsAndCode: [Attack] = [
        .body("script in a heading", "## <script>alert(1)</script> setup",
              present: ["<h2 id=\"scriptalert1script-setup\">", "<a href=\"#scriptalert1script-setup\">&lt;script&gt;alert(1)&lt;/script&gt; setup</a>"],
              absent: ["<script>alert"]),
        .body("quotes in a heading", "## \" onmouseover=\"alert(1)",
              present: ["<h2 id=\"-onmouseoveralert1\">", "<a href=\"#-onmouseoveralert1\">&quot; onmouseover=&quot;alert(1)</a>"],
              absent: ["\" onmouseover"]),
        .body("inline code", "`</code><script>alert(1)</script>`",
              present: ["<code>&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code>"], absent: ["<script>alert"]),
        .body("figure span with HTML", "`kb:size <img src=x onerror=alert(1)>`",
              present: ["<code>kb:size &lt;img src=x onerror=alert(1)&gt;</code>"], absent: ["<img src=x"]),
        .body("info string closes the class", "```\"><script>alert(1)</script>\ncode\n```",
              present: ["<pre><code class=\"language-&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">code"], absent: ["<script>alert"]),
        .body("info string event attribute", "```js onerror=alert(1)\nx\n```",
              present: ["<pre><code class=\"language-js\">x"], absent: ["onerror"]),
        .body("code block body", "```html\n</code></pre><script>alert(1)</script>\n```",
              present: ["<pre><code class=\"language-html\">&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"], absent: ["<script>alert"]),
        .body("kb-sizes with HTML", "```kb-sizes\ncaption: <script>alert(1)</script>\nexamples: [\"<img src=x onerror=alert(1)>\"]\n```",
              present: ["<pre><code class=\"language-kb-sizes\">caption: &lt;script&gt;alert(1)&lt;/script&gt;"], absent: ["<script>alert", "<img src=x"]),
    ]

    // MARK: Dockerfile blocks: captions, and the highlighted file.

    static let dockerfiles: [Attack] = [
        .body("dockerfile title with a tag", "```dockerfile title=\"<img src=x onerror=alert(1)>\"\nFROM scratch\n```",
              present: ["<span class=\"block-title\">&lt;img src=x onerror=alert(1)&gt;</span>"], absent: ["<img src=x"]),
        .body("dockerfile title with quotes", "```dockerfile title='\" onmouseover=\"alert(1)'\nFROM scratch\n```",
              present: ["<span class=\"block-title\">&quot; onmouseover=&quot;alert(1)</span>"], absent: ["\" onmouseover"]),
        .body("dockerfile unknown example with a tag", "```dockerfile example=\"<script>alert(1)</script>\"\n```",
              present: ["<pre><code class=\"language-dockerfile\"></code></pre>"], absent: ["<script>alert"]),
        .body("dockerfile comment", "```dockerfile\nFROM scratch\n# <script>alert(1)</script>\n```",
              present: ["<span class=\"tok-comment\"># &lt;script&gt;alert(1)&lt;/script&gt;</span>"], absent: ["<script>alert"]),
        .body("dockerfile label", "```dockerfile\nFROM scratch\nLABEL x=\"<svg onload=alert(1)>\"\n```",
              present: ["<span class=\"tok-string\">&quot;&lt;svg onload=alert(1)&gt;&quot;</span>"], absent: ["<svg onload"]),
        .body("dockerfile heredoc", "```dockerfile\nFROM scratch\nCOPY <<EOF /x\n</span></code></pre><script>alert(1)</script>\nEOF\n```",
              present: ["<span class=\"tok-heredoc\">&lt;/span&gt;&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span>"], absent: ["<script>alert"]),
        .body("dockerfile parse error message", "```dockerfile\nFROM scratch\n<script>alert(1)</script>\n```",
              present: ["&lt;script&gt;alert(1)&lt;/script&gt;"], absent: ["<script>alert"]),
        .example("example Dockerfile comment", ["Examples/ex/Dockerfile": "FROM scratch\n# <img src=x onerror=alert(1)>\nCOPY hi /hi\n"],
                 present: ["<span class=\"tok-comment\"># &lt;img src=x onerror=alert(1)&gt;</span>"], absent: ["<img src=x"]),
        .example("example Dockerfile heredoc", ["Examples/ex/Dockerfile": "FROM scratch\nCOPY <<EOF /x\n<script>alert(1)</script>\nEOF\n"],
                 present: ["<span class=\"tok-heredoc\">&lt;script&gt;alert(1)&lt;/script&gt;</span>"], absent: ["<script>alert"]),
        .example("included example in an article", [
            "Examples/ex/Dockerfile": "FROM scratch\nLABEL note=\"</pre><script>alert(1)</script>\"\n",
            "Content/a.md": HostileSite.article(body: "```dockerfile example=ex\n```"),
        ], page: "articles/a.html",
                 present: ["<span class=\"tok-string\">&quot;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;</span>"], absent: ["<script>alert"]),
    ]

    // MARK: Front matter: title, summary, tags, extra values, dates, and kb.yaml.

    static let frontMatter: [Attack] = [
        .frontMatter("title in head and heading", "title: \"</title><script>alert(1)</script>\"",
                     present: ["<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; · Hostile</title>", "<h1>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>"],
                     absent: ["<script>alert"]),
        .frontMatter("title on the home page", "title: \"<img src=x onerror=alert(1)>\"", page: "index.html",
                     present: ["<a href=\"articles/a.html\">&lt;img src=x onerror=alert(1)&gt;</a>"], absent: ["<img src=x"]),
        .frontMatter("title in the pager", "title: \"<b onmouseover=alert(1)>A</b>\"\norder: 1", page: "articles/b.html",
                     present: ["href=\"a.html\"><span>Previous</span> &lt;b onmouseover=alert(1)&gt;A&lt;/b&gt;</a>"], absent: ["<b onmouseover"]),
        .frontMatter("title on the 404 page", "title: \"<svg onload=alert(1)>\"", page: "404.html",
                     present: ["<a href=\"https://example.org/kb/articles/a.html\">&lt;svg onload=alert(1)&gt;</a>"], absent: ["<svg onload"]),
        .frontMatter("summary in meta and page", "summary: '\"><script>alert(1)</script>'",
                     present: ["<meta name=\"description\" content=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">", "<p class=\"summary\">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>"],
                     absent: ["<script>alert"]),
        .frontMatter("tag with a tag", "tags: [\"<script>alert(1)</script>\"]",
                     present: ["<a href=\"../tags/scriptalert1script.html\">&lt;script&gt;alert(1)&lt;/script&gt;</a>"], absent: ["<script>alert"]),
        .frontMatter("tag page", "tags: [\"<i onmouseover=alert(1)>t</i>\"]", page: "tags/i-onmouseoveralert1ti.html",
                     present: ["<h1>Tagged “&lt;i onmouseover=alert(1)&gt;t&lt;/i&gt;”</h1>"], absent: ["<i onmouseover"]),
        .frontMatter("tag with quotes", "tags: ['\" onmouseover=\"alert(1)']", page: "tags/index.html",
                     present: ["<a href=\"-onmouseoveralert1.html\">&quot; onmouseover=&quot;alert(1)</a>"], absent: ["\" onmouseover"]),
        .frontMatter("extra values are not published", "extra:\n  banner: \"<script>alert(1)</script>\"\n  nested: {x: \"<img src=x onerror=alert(1)>\"}",
                     present: ["<h1>Attack</h1>"], absent: ["alert(1)", "onerror"]),
        .frontMatter("date with markup is refused", "date: \"2026-01-01T<script xmlns='http://www.w3.org/1999/xhtml'>alert(1)</script>\"", page: "atom.xml",
                     present: ["<updated>1970-01-01T00:00:00Z</updated>"], absent: ["<script", "alert(1)"]),
        .frontMatter("title and summary in atom.xml", "title: \"<script>alert(1)</script>\"\nsummary: \"]]><x:script xmlns:x='http://www.w3.org/1999/xhtml'>alert(2)</x:script>\"", page: "atom.xml",
                     present: ["<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>", "<summary>]]&gt;&lt;x:script xmlns:x=&#39;http://www.w3.org/1999/xhtml&#39;&gt;alert(2)&lt;/x:script&gt;</summary>"],
                     absent: ["<script", "<x:script"]),
        .frontMatter("search index title, summary, tags", "title: \"</script><script>alert(1)</script>\"\nsummary: \"<!--\\L-->\"\ntags: [\"<b>\"]", page: "search-index.js",
                     present: [#"["article","articles/a.html","\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e","\u003c!--\u2028--\u003e","#, #""\u003cb\u003e","#],
                     absent: ["</script", "\u{2028}"]),
        Attack(name: "search index headings and body",
               files: ["Content/a.md": HostileSite.article(body: "## </script><script>alert(1)</script>\n\nBody </script> text <!-- x -->")],
               page: "search-index.js",
               present: [#"["\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e","scriptscriptalert1script"]"#], absent: ["</script", "<!--"]),
        Attack(name: "site title and description in kb.yaml",
               files: ["kb.yaml": "title: \"</title><script>alert(1)</script>\"\ndescription: \"\\\"><img src=x onerror=alert(2)>\"\nbase_url: https://example.org/kb/\n"],
               page: "index.html",
               present: ["<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>", "<meta name=\"description\" content=\"&quot;&gt;&lt;img src=x onerror=alert(2)&gt;\">"],
               absent: ["<script>alert", "<img src=x"]),
        Attack(name: "site title in atom.xml",
               files: ["kb.yaml": "title: \"<script>alert(1)</script>\"\nbase_url: https://example.org/kb/\n"],
               page: "atom.xml",
               present: ["<author><name>&lt;script&gt;alert(1)&lt;/script&gt;</name></author>"], absent: ["<script>"]),
    ]

    // MARK: Examples: example.yaml, results.json, the files shown.

    static let examples: [Attack] = [
        .example("example title", ["Examples/ex/example.yaml": "title: \"<script>alert(1)</script>\"\nrun: {stdout: \"hi\"}\n"],
                 present: ["<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>", "<title>&lt;script&gt;alert(1)&lt;/script&gt; · Examples · Hostile</title>"], absent: ["<script>alert"]),
        .example("example title in the index", ["Examples/ex/example.yaml": "title: \"<img src=x onerror=alert(1)>\"\nrun: {stdout: \"hi\"}\n"], page: "examples/index.html",
                 present: ["<a href=\"ex.html\">&lt;img src=x onerror=alert(1)&gt;</a>"], absent: ["<img src=x"]),
        .example("example summary", ["Examples/ex/example.yaml": "title: E\nsummary: \"\\\"><svg onload=alert(1)>\"\nrun: {stdout: \"hi\"}\n"],
                 present: ["<p class=\"summary\">&quot;&gt;&lt;svg onload=alert(1)&gt;</p>", "<meta name=\"description\" content=\"&quot;&gt;&lt;svg onload=alert(1)&gt;\">"], absent: ["<svg onload"]),
        .example("example expected output", ["Examples/ex/example.yaml": "title: E\nrun: {stdout: \"</p><script>alert(1)</script>\"}\n"],
                 present: ["<p class=\"expectation\">Runs and prints: &lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>"], absent: ["<script>alert"]),
        .example("example expected error", ["Examples/ex/example.yaml": "title: E\nrun: {fails: true, stderr_contains: \"<iframe src=javascript:alert(1)>\"}\n"],
                 present: ["Fails on purpose: its error output contains “&lt;iframe src=javascript:alert(1)&gt;”."], absent: ["<iframe"]),
        .example("example tags", ["Examples/ex/example.yaml": "title: E\ntags: [\"<b onclick=alert(1)>\"]\nrun: {stdout: \"hi\"}\n"],
                 present: [">&lt;b onclick=alert(1)&gt;</a></li>"], absent: ["<b onclick"]),
        .example("recorded output", [:], stdout: "</code></pre><script>alert(1)</script>\n",
                 present: ["<pre><code>&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>"], absent: ["<script>alert"]),
        .example("cited source", ["Examples/ex/results.json": """
            {"cited": {"size_bytes": 1000, "note": "<img src=x onerror=alert(2)>", "source": {"title": "<script>alert(1)</script>", "url": "https://example.org/a", "date": "2020-01-01"}}}
            """],
                 present: ["<a href=\"https://example.org/a\">&lt;script&gt;alert(1)&lt;/script&gt;</a>", "&lt;img src=x onerror=alert(2)&gt;</p>"], absent: ["<script>alert", "<img src=x"]),
        .example("cited source with a javascript address is refused", ["Examples/ex/results.json": """
            {"cited": {"size_bytes": 1000, "source": {"title": "Source", "url": "javascript:alert(1)", "date": "2020-01-01"}}}
            """],
                 present: ["<p class=\"callout\">Not recorded yet. Run kb record ex.</p>"], absent: ["javascript:"]),
        .example("source file shown", ["Examples/ex/hi": "</code></pre><script>alert(1)</script>\n"],
                 present: ["<details><summary>hi</summary>\n<pre><code>&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>"], absent: ["<script>alert"]),
        .example("source file name", ["Examples/ex/<img src=x onerror=alert(1)>.txt": "x"],
                 present: ["<summary>&lt;img src=x onerror=alert(1)&gt;.txt</summary>"], absent: ["<img src=x"]),
        .example("example.yaml shown as a file", ["Examples/ex/example.yaml": "title: E\nrun: {stdout: \"hi\"}\n# </code></pre><script>alert(1)</script>\n"],
                 present: ["# &lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"], absent: ["<script>alert"]),
    ]

    // MARK: Data files (kb-table).

    static let dataFiles: [Attack] = [
        Attack(name: "data title as caption",
               files: ["Content/data/d.yaml": HostileSite.dataFile(title: "<script>alert(1)</script>"), "Content/a.md": HostileSite.article(body: "```kb-table\ndata: d\n```")],
               page: "articles/a.html", present: ["<caption>&lt;script&gt;alert(1)&lt;/script&gt;</caption>"], absent: ["<script>alert"]),
        Attack(name: "data cell and chart label",
               files: ["Content/data/d.yaml": HostileSite.dataFile(cell: "<img src=x onerror=alert(1)>"), "Content/a.md": HostileSite.article(body: "```kb-table\ndata: d\n```")],
               page: "articles/a.html",
               present: ["<th scope=\"row\">&lt;img src=x onerror=alert(1)&gt;</th>", "<title>&lt;img src=x onerror=alert(1)&gt;</title></rect>"], absent: ["<img src=x"]),
        Attack(name: "data column title",
               files: ["Content/data/d.yaml": HostileSite.dataFile(column: "\"><svg onload=alert(1)>"), "Content/a.md": HostileSite.article(body: "```kb-table\ndata: d\n```")],
               page: "articles/a.html", present: ["<th scope=\"col\">&quot;&gt;&lt;svg onload=alert(1)&gt;</th>"], absent: ["<svg onload"]),
        Attack(name: "data source",
               files: ["Content/data/d.yaml": HostileSite.dataFile(sourceTitle: "<b>src</b>", url: "javascript:alert(1)"), "Content/a.md": HostileSite.article(body: "```kb-table\ndata: d\n```")],
               page: "articles/a.html", present: ["Cited from &lt;b&gt;src&lt;/b&gt;, 2020-01-01.</li>"], absent: ["javascript:", "<b>src"]),
        Attack(name: "kb-table caption",
               files: ["Content/a.md": HostileSite.article(body: "```kb-table\ndata: d\ncaption: \"<script>alert(1)</script>\"\n```")],
               page: "articles/a.html", present: ["<caption>&lt;script&gt;alert(1)&lt;/script&gt;</caption>"], absent: ["<script>alert"]),
    ]

    // MARK: File and folder names that would read as a scheme.

    static let names: [Attack] = [
        Attack(name: "article named like a javascript address",
               files: ["Content/javascript:alert(1).md": "---\ntitle: Zed\norder: 2\n---\n", "Content/a.md": HostileSite.article(frontMatter: "order: 1")],
               page: "articles/a.html", present: ["<a class=\"pager-next\" rel=\"next\" href=\"javascript%3Aalert(1).html\">"], absent: ["href=\"javascript:"]),
        Attack(name: "article file name with markup in the sitemap",
               files: ["Content/<svg onload=alert(1)>.md": "---\ntitle: Svg\n---\n"],
               page: "sitemap.xml", present: ["<loc>https://example.org/kb/articles/&lt;svg onload=alert(1)&gt;.html</loc>"], absent: ["<svg"]),
        Attack(name: "article file name with markup on the home page",
               files: ["Content/<svg onload=alert(1)>.md": "---\ntitle: Svg\n---\n"],
               page: "index.html", present: ["<a href=\"articles/&lt;svg onload=alert(1)&gt;.html\">Svg</a>"], absent: ["<svg"]),
        Attack(name: "example named like a javascript address",
               files: ["Examples/javascript:alert(1)/Dockerfile": "FROM scratch\n", "Examples/javascript:alert(1)/example.yaml": "title: J\nrun: {stdout: x}\n"],
               page: "examples/index.html", present: ["<a href=\"javascript%3Aalert(1).html\">J</a>"], absent: ["href=\"javascript:"]),
    ]

    @Test func thereAreAtLeastFiftyDistinctAttacks() {
        #expect(Self.attacks.count >= 50)
        #expect(Set(Self.attacks.map(\.name)).count == Self.attacks.count)
    }

    @Test(arguments: attacks)
    func isShownEscapedAndNeverLive(_ attack: Attack) throws {
        let pages = try HostileSite.render(attack)
        let page = try #require(pages[attack.page], "no \(attack.page) among \(pages.keys.sorted().filter { !$0.hasPrefix("rules/") })")
        // Reported without the page itself, which would bury the text that is missing.
        for text in attack.present where !page.contains(text) {
            Issue.record("missing on \(attack.page): \(text)")
        }
        for text in attack.absent where page.contains(text) {
            Issue.record("found on \(attack.page): \(text)")
        }
        for (path, text) in pages.sorted(by: { $0.key < $1.key }) {
            for problem in SiteInvariants.problems(path: path, text) {
                Issue.record("\(path): \(problem)")
            }
        }
    }

    @Test func invariantsCatchWhatTheyAreFor() {
        // The checks themselves must be able to fail.
        #expect(SiteInvariants.problems(path: "a.html", "<p><script>alert(1)</script></p>") == ["a <script> element that is not the theme's search script"])
        #expect(SiteInvariants.problems(path: "a.html", "<p><a href=\"#\" onclick=\"x()\">x</a></p>") == ["an event handler attribute onclick on <a>"])
        #expect(SiteInvariants.problems(path: "a.html", "<a href=\" &#106;avascript:x\">x</a>") == ["href=\" &#106;avascript:x\" on <a> starts with javascript:"])
        #expect(SiteInvariants.problems(path: "a.html", "<img src=\"DATA:image/png;base64,x\">") == ["src=\"DATA:image/png;base64,x\" on <img> starts with data:"])
        #expect(SiteInvariants.problems(path: "a.html", "<iframe title=\"a > b\"></iframe>") == ["an element <iframe> that kb never writes"])
        #expect(SiteInvariants.problems(path: "a.html", "<p title='x onclick=y'>ok</p>") == [])
        #expect(SiteInvariants.problems(path: "search-index.js", "x = [\"</script>\"]") == ["a raw '<' in the search index"])
        #expect(SiteInvariants.problems(path: "atom.xml", "<feed><title><script/></title></feed>") == ["an element <script> in atom.xml"])
    }
}

/// What no page may contain, whatever the content: elements kb does not write, event-handler
/// attributes, addresses with a scheme that runs or embeds code, and markup in the search index.
enum SiteInvariants {
    /// Elements the theme and kb's own markup use. Anything else came from content.
    static let elements: Set<String> = [
        "html", "head", "meta", "title", "link", "script", "body", "a", "header", "nav", "div", "label", "input",
        "ol", "ul", "li", "main", "footer", "p", "h1", "h2", "h3", "h4", "h5", "h6", "article", "span", "figure",
        "figcaption", "pre", "code", "em", "strong", "table", "caption", "thead", "tbody", "tr", "th", "td", "sup",
        "svg", "rect", "text", "details", "summary", "br", "img", "blockquote", "hr",
    ]
    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"]
    static let refusedSchemes = ["javascript:", "vbscript:", "data:", "file:"]
    static let feedElements: Set<String> = ["feed", "title", "id", "link", "updated", "entry", "author", "name", "summary", "urlset", "url", "loc"]

    static func problems(path: String, _ text: String) -> [String] {
        if path.hasSuffix(".html") { return htmlProblems(text) }
        if path == "search-index.js" {
            var found: [String] = []
            if text.contains("<") { found.append("a raw '<' in the search index") }
            if text.unicodeScalars.contains(where: { $0 == "\u{2028}" || $0 == "\u{2029}" }) { found.append("a raw line separator in the search index") }
            return found
        }
        if path.hasSuffix(".xml") { return xmlProblems(text, name: path) }
        return []
    }

    static func htmlProblems(_ html: String) -> [String] {
        var found: [String] = []
        for tag in tags(in: html) {
            guard elements.contains(tag.name) else {
                found.append("an element <\(tag.name)> that kb never writes")
                continue
            }
            if tag.name == "script" && !(tag.attributes.count == 2 && tag.attributes[0].value.hasSuffix("assets/search.js") && tag.attributes[1].name == "defer") {
                found.append("a <script> element that is not the theme's search script")
            }
            for attribute in tag.attributes {
                if attribute.name.hasPrefix("on") { found.append("an event handler attribute \(attribute.name) on <\(tag.name)>") }
                if attribute.name == "style" { found.append("a style attribute on <\(tag.name)>") }
                guard urlAttributes.contains(attribute.name) else { continue }
                let address = String(String.UnicodeScalarView(decodeEntities(attribute.value).unicodeScalars.filter { $0.value > 0x20 })).lowercased()
                if let scheme = refusedSchemes.first(where: { address.hasPrefix($0) }) {
                    found.append("\(attribute.name)=\"\(attribute.value)\" on <\(tag.name)> starts with \(scheme)")
                }
            }
        }
        return found
    }

    struct Tag {
        let name: String
        let attributes: [(name: String, value: String)]
    }

    /// Start tags with their attributes, read the way a browser tokenizer reads them (quoted
    /// values may hold `>`); comments and the doctype are skipped.
    static func tags(in html: String) -> [Tag] {
        let chars = Array(html.unicodeScalars)
        var tags: [Tag] = []
        var i = 0
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\u{0C}" }
        while i < chars.count {
            guard chars[i] == "<" else { i += 1; continue }
            if html.unicodeScalars.count > i + 3, String(String.UnicodeScalarView(chars[i..<min(i + 4, chars.count)])) == "<!--" {
                var j = i + 4
                while j + 2 < chars.count, !(chars[j] == "-" && chars[j + 1] == "-" && chars[j + 2] == ">") { j += 1 }
                i = j + 3
                continue
            }
            i += 1
            guard i < chars.count, chars[i].properties.isAlphabetic else { continue }
            var name = ""
            while i < chars.count, !isSpace(chars[i]), chars[i] != ">", chars[i] != "/" { name.unicodeScalars.append(chars[i]); i += 1 }
            var attributes: [(String, String)] = []
            while i < chars.count, chars[i] != ">" {
                if isSpace(chars[i]) || chars[i] == "/" { i += 1; continue }
                var attribute = ""
                while i < chars.count, !isSpace(chars[i]), chars[i] != "=", chars[i] != ">", chars[i] != "/" { attribute.unicodeScalars.append(chars[i]); i += 1 }
                var value = ""
                if i < chars.count, chars[i] == "=" {
                    i += 1
                    if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
                        let quote = chars[i]
                        i += 1
                        while i < chars.count, chars[i] != quote { value.unicodeScalars.append(chars[i]); i += 1 }
                        i += 1
                    } else {
                        while i < chars.count, !isSpace(chars[i]), chars[i] != ">" { value.unicodeScalars.append(chars[i]); i += 1 }
                    }
                }
                attributes.append((attribute.lowercased(), value))
            }
            tags.append(Tag(name: name.lowercased(), attributes: attributes))
        }
        return tags
    }

    /// Numeric character references and the few named ones that matter for a scheme.
    static func decodeEntities(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            guard let semicolon = rest.firstIndex(of: ";"), rest.distance(from: rest.startIndex, to: semicolon) < 12 else {
                out += "&"
                rest = rest.dropFirst()
                continue
            }
            let entity = rest[rest.index(after: rest.startIndex)..<semicolon]
            var scalar: Unicode.Scalar?
            if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
            } else if entity.hasPrefix("#") {
                scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
            } else {
                scalar = ["colon": ":", "tab": "\t", "newline": "\n", "amp": "&", "quot": "\"", "lt": "<", "gt": ">"][String(entity)]
            }
            if let scalar {
                out.unicodeScalars.append(scalar)
                rest = rest[rest.index(after: semicolon)...]
            } else {
                out += "&"
                rest = rest.dropFirst()
            }
        }
        return out + rest
    }

    /// A feed is well-formed XML whose elements are all the feed's own.
    static func xmlProblems(_ text: String, name: String) -> [String] {
        let delegate = ElementCollector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        guard parser.parse() else { return ["\(name) is not well-formed XML"] }
        return delegate.names.filter { !feedElements.contains($0) }.map { "an element <\($0)> in \(name)" }
    }

    final class ElementCollector: NSObject, XMLParserDelegate {
        var names: [String] = []
        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            names.append(elementName)
        }
    }
}
