import Foundation

/// Where a site may be written. SiteWriter already refuses to replace a folder kb did not
/// write; these are the places that are wrong whatever they hold, told apart so that the
/// message says what went wrong: the knowledge base itself, a folder it reads, or a folder
/// that holds it (which the swap would carry away).
public enum OutputFolder {
    /// Why `output` cannot receive the site of the knowledge base at `root`, or nil.
    public static func refusal(output: URL, root: URL) -> String? {
        let target = resolved(output), base = resolved(root)
        if target == "/" {
            return "the output folder is the file system's root; choose a folder of its own, such as Site/"
        }
        if target == base {
            return "the output folder is the knowledge base's root itself; kb would replace the knowledge base with its site"
        }
        if base.hasPrefix(target + "/") {
            return "the output folder holds the knowledge base (\(base)); kb would replace the knowledge base with its site"
        }
        for source in ["Content", "Examples"] {
            let folder = base + "/" + source
            if target == folder || target.hasPrefix(folder + "/") {
                return "the output folder is inside \(source)/, which kb reads: the site would become part of its own sources"
            }
        }
        return nil
    }

    /// The absolute path with `.`, `..` and symbolic links resolved, also for a path that does
    /// not exist yet (its nearest existing folder is resolved, the rest appended).
    static func resolved(_ url: URL) -> String {
        var existing = url.standardizedFileURL
        var missing: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            missing.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent().standardizedFileURL
        }
        var path = existing.resolvingSymlinksInPath().path
        for component in missing { path = path == "/" ? "/" + component : path + "/" + component }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
