import Foundation
import KBContent
import KBMarkdown

/// Templates and static assets of the site. The built-in theme is compiled into the kb
/// binary, so a copied binary still builds complete sites; `--theme DIR` overrides any
/// file of it by name.
public struct Theme: Sendable {
    /// Template sources by name without extension (`layout`, `article`).
    public private(set) var templates: [String: String]
    /// Static files by their path in the site's `assets/` folder (`style.css`).
    public private(set) var assets: [String: [UInt8]]

    public static var builtIn: Theme {
        var templates: [String: String] = [:]
        var assets: [String: [UInt8]] = [:]
        for (name, bytes) in BuiltInTheme.files {
            if name.hasSuffix(".mustache") {
                templates[String(name.dropLast(".mustache".count))] = String(decoding: bytes, as: UTF8.self)
            } else {
                assets[name] = bytes
            }
        }
        return Theme(templates: templates, assets: assets)
    }

    /// The built-in theme with every file of `folder` put in place of the one of the same name.
    public static func overriding(with folder: URL) throws -> Theme {
        var theme = Theme.builtIn
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw SiteError(path: folder.path, message: "cannot read the theme folder: \(error.localizedDescription)")
        }
        let realFolder = folder.standardizedFileURL.resolvingSymlinksInPath().path
        for name in names where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            if let problem = FileNameCheck.problem(name) {
                throw SiteError(path: folder.appendingPathComponent(FileNameCheck.printable(name)).path, message: problem)
            }
            // A theme file is published as an asset: a link out of the theme folder would
            // publish whatever it points at (a key, a password file).
            let real = url.resolvingSymlinksInPath().path
            guard real.hasPrefix(realFolder + "/") else {
                throw SiteError(path: url.path, message: "a symbolic link to \(real), outside the theme folder: refused, not read")
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), isDirectory.boolValue { continue }
            guard InputLimits.size(of: url) != nil else {
                throw SiteError(path: url.path, message: "not a regular file (a named pipe, socket or device): not read")
            }
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            if name.hasSuffix(".mustache") {
                guard let text = String(data: data, encoding: .utf8) else {
                    throw SiteError(path: url.path, message: "a template must be UTF-8 text")
                }
                theme.templates[String(name.dropLast(".mustache".count))] = text
            } else {
                theme.assets[name] = [UInt8](data)
            }
        }
        return theme
    }

    /// A hash of every template and asset: part of every page's key in the build cache.
    var signature: UInt64 {
        var hash = StableHash()
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            hash.combine(name)
            hash.combine(text)
        }
        for (name, bytes) in assets.sorted(by: { $0.key < $1.key }) {
            hash.combine(name)
            bytes.withUnsafeBytes { hash.combine($0) }
        }
        return hash.value
    }

    /// The templates parsed into a library, with a clear error for a broken template.
    func library() throws -> TemplateLibrary {
        var parsed: [String: Template] = [:]
        for (name, source) in templates.sorted(by: { $0.key < $1.key }) {  // the same first error every time
            do {
                parsed[name] = try Template(parsing: source)
            } catch {
                throw SiteError(path: "\(name).mustache", line: error.line, message: "template does not parse: \(error.message)")
            }
        }
        return TemplateLibrary(parsed)
    }
}

/// The files compiled into the binary from Sources/KBSite/Theme.
enum BuiltInTheme {
    static let files: [(String, [UInt8])] = [
        ("layout.mustache", PackageResources.layout_mustache),
        ("index.mustache", PackageResources.index_mustache),
        ("article.mustache", PackageResources.article_mustache),
        ("tags.mustache", PackageResources.tags_mustache),
        ("tag.mustache", PackageResources.tag_mustache),
        ("not-found.mustache", PackageResources.not_found_mustache),
        ("examples.mustache", PackageResources.examples_mustache),
        ("example.mustache", PackageResources.example_mustache),
        ("rules.mustache", PackageResources.rules_mustache),
        ("rule.mustache", PackageResources.rule_mustache),
        ("style.css", PackageResources.style_css),
        ("search.js", PackageResources.search_js),
    ]
}

/// A problem that stops the site from being rendered or written.
public struct SiteError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public var line: Int?
    public let message: String

    public init(path: String, line: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}
