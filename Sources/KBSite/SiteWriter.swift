import CSystem
import Foundation

/// Writes a site so that the output folder is always either the previous complete site or
/// the new complete one: files go to a temporary folder beside it, which is then swapped in.
public enum SiteWriter {
    /// Marks a folder as written by kb; kb replaces no folder without it.
    public static let markerName = ".kb-site"
    static let markerText = "This folder is written by `kb build` and replaced whole on every build.\n"

    public static func publish(_ files: [SiteFile], to output: URL) throws {
        let staging = try SiteStaging(output: output)
        do {
            for file in files { try staging.write(file) }
        } catch {
            staging.discard()
            throw error
        }
        try staging.commit()
    }

    /// An existing output that kb did not write is someone's folder: never replace it.
    static func refuseForeignOutput(_ output: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw SiteError(path: output.path, message: "the output path is a file; kb writes a folder there only if it does not exist or was written by kb")
        }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        if contents.isEmpty { return }
        if !FileManager.default.fileExists(atPath: output.appendingPathComponent(markerName).path) {
            throw SiteError(
                path: output.path,
                message: "the output folder exists and was not written by kb (no \(markerName) file in it); refusing to replace it. Choose another --output or remove it yourself")
        }
    }

    static func swapIn(_ staging: URL, at output: URL) throws {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: output.path) else {
            try fileManager.moveItem(at: staging, to: output)
            return
        }
        // One atomic exchange: there is never a moment without a complete site.
        let aside = staging.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).old-\(getpid())")
        try exchange(staging, output, aside: aside)
        try removeSiteFolder(staging)  // now holds the previous site
    }

    /// Exchanges two folders in one atomic step (RENAME_EXCHANGE). Where the file system
    /// cannot, three renames through `aside`: the old one is kept until the new is in, and put
    /// back if the new one cannot be moved; a kill between the first two leaves `aside`.
    static func exchange(_ new: URL, _ old: URL, aside: URL) throws {
        if kb_rename_exchange(new.path, old.path) == 0 { return }
        let fileManager = FileManager.default
        try fileManager.moveItem(at: old, to: aside)
        do {
            try fileManager.moveItem(at: new, to: old)
        } catch {
            try? fileManager.moveItem(at: aside, to: old)
            throw error
        }
        try fileManager.moveItem(at: aside, to: new)
    }

    /// Temporary folders of an interrupted build: removed only when they carry kb's marker,
    /// or are empty (a build killed between creating its folder and writing the marker).
    static func removeLeftovers(beside output: URL) {
        let parent = output.deletingLastPathComponent()
        let prefixes = [".\(output.lastPathComponent).tmp-", ".\(output.lastPathComponent).old-"]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where prefixes.contains(where: { name.hasPrefix($0) }) {
            let folder = parent.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(markerName).path)
                || (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
                try? removeSiteFolder(folder)
            }
        }
    }

    /// Removes a folder kb wrote, its marker last, so that a removal cut short (kb killed)
    /// leaves a folder the next build still knows as its own. `interruption`, for tests, runs
    /// after each entry that is removed; if it throws, the removal stops there.
    static func removeSiteFolder(_ folder: URL, interruption: (() throws -> Void)? = nil) throws {
        let fileManager = FileManager.default
        for name in try fileManager.contentsOfDirectory(atPath: folder.path) where name != markerName {
            try fileManager.removeItem(at: folder.appendingPathComponent(name))
            try interruption?()
        }
        try fileManager.removeItem(at: folder)
    }

    static func ensureFolder(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SiteError(path: folder.path, message: "cannot create the folder: \(error.localizedDescription)")
        }
    }

    /// Not empty, not absolute, no NUL, no `.` or `..` component. On bytes: this runs for
    /// every page.
    static func isSafeRelativePath(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            guard let first = bytes.first, first != UInt8(ascii: "/"), !bytes.contains(0) else { return false }
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "/") {
                let length = end - start
                if (length == 1 || length == 2) && bytes[start..<end].allSatisfy({ $0 == UInt8(ascii: ".") }) { return false }
                start = end + 1
            }
            return true
        }
    }
}

