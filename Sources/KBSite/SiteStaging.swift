import CSystem
import Foundation
import KBContent

/// The folder a build writes into, swapped in whole for the output by `commit()`: the
/// output is always either the previous complete site or the new complete one.
///
/// Without a build cache the folder is new, beside the output, and the previous site is
/// removed after the swap. With one, two complete sites take turns: the output, and a
/// spare in the cache folder (the site before it, its files hard links where unchanged).
/// A build brings the spare up to date — only the pages whose key changed are made, pages
/// the output already has are linked — and then exchanges the two. Each site's list of
/// pages and keys is kept by the folder's inode, and forgotten before the spare is touched,
/// so a build killed at any moment leaves nothing that the next one would trust wrongly.
///
/// `write` and `page` may be called from several threads; files are written as they come,
/// so a build never holds the whole site in memory.
public final class SiteStaging: SiteOutput, @unchecked Sendable {
    public let output: URL
    let folder: URL
    /// The two folders' paths, made once: a URL makes its path anew on every call, and
    /// pages are placed ten thousand at a time.
    private let outputPath: String
    private let folderPath: String
    private let reuse: Reuse?
    private var createdFolders: Set<String> = [""]
    private var written: [String: UInt64] = [:]
    private let lock = NSLock()
    /// After `commit()` with a build cache: the new site's generation in the manifests.
    public private(set) var generation: UInt64?

    /// What a build that keeps the previous site knows of the two sites.
    private struct Reuse {
        let manifestsFile: URL
        var manifests: SiteManifests
        /// Path → key of what the output and the spare hold now (empty when unknown).
        let live: [String: UInt64]
        let spare: [String: UInt64]
        let liveIsKnown: Bool
    }

    /// A fresh staging folder beside `output`.
    public init(output: URL) throws {
        self.output = output.standardizedFileURL
        try SiteStaging.prepare(self.output)
        folder = self.output.deletingLastPathComponent()
            .appendingPathComponent(".\(self.output.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        reuse = nil
        outputPath = self.output.path
        folderPath = folder.path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            // The marker goes first: a leftover of a killed build is recognisably kb's.
            try Data(SiteWriter.markerText.utf8).write(to: folder.appendingPathComponent(SiteWriter.markerName))
        } catch {
            try? SiteWriter.removeSiteFolder(folder)
            throw SiteError(path: self.output.path, message: "cannot write the site: \(error.localizedDescription)")
        }
    }

    /// The spare site in `cacheFolder`, to be brought up to date and exchanged with `output`.
    public init(output: URL, keeping cacheFolder: URL) throws {
        self.output = output.standardizedFileURL
        try SiteStaging.prepare(self.output)
        folder = cacheFolder.appendingPathComponent("site")
        outputPath = self.output.path
        folderPath = folder.path
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
            let manifestsFile = cacheFolder.appendingPathComponent("pages")
            var manifests = SiteManifests.read(manifestsFile)
            let live = SiteManifests.identity(of: self.output).flatMap { manifests.trees[$0]?.pages }
            var spare = SiteManifests.identity(of: folder).flatMap { manifests.trees[$0]?.pages }
            if spare == nil {
                // Unknown contents (a killed build, or none yet): start the spare afresh.
                try? fileManager.removeItem(at: folder)
                try fileManager.createDirectory(at: folder, withIntermediateDirectories: false)
                try Data(SiteWriter.markerText.utf8).write(to: folder.appendingPathComponent(SiteWriter.markerName))
                spare = [:]
            }
            // From here on the spare changes: forget what it held before touching it.
            if let identity = SiteManifests.identity(of: folder) { manifests.trees[identity] = nil }
            try manifests.write(to: manifestsFile)
            reuse = Reuse(manifestsFile: manifestsFile, manifests: manifests, live: live ?? [:], spare: spare ?? [:], liveIsKnown: live != nil)
        } catch let error as SiteError {
            throw error
        } catch {
            throw SiteError(path: cacheFolder.path, message: "cannot prepare the build cache: \(error.localizedDescription)")
        }
    }

    /// Before any write beside `output`: its folder exists, it is kb's (or new), and what
    /// killed builds left beside it is gone.
    static func prepare(_ output: URL) throws {
        try SiteWriter.ensureFolder(output.deletingLastPathComponent())
        try SiteWriter.refuseForeignOutput(output)
        SiteWriter.removeLeftovers(beside: output)
    }

    /// Files in the site so far (the marker not counted).
    public var filesWritten: Int {
        lock.lock()
        defer { lock.unlock() }
        return written.count
    }

    public var reusesPages: Bool { reuse != nil }

    public func write(_ file: SiteFile) throws {
        let stamp = reuse == nil ? 0 : file.contents.withUnsafeBytes { StableHash.of($0) }
        try place(file.path, stamp: stamp) { file.contents }
    }

    public func page(_ path: String, key: UInt64, render: () throws -> SiteFile) throws {
        try place(path, stamp: key) { try render().contents }
    }

    /// Puts a file in the staging folder: kept if the spare has it already, linked from the
    /// output if the output has it, written otherwise.
    private func place(_ path: String, stamp: UInt64, contents: () throws -> Data) throws {
        guard SiteWriter.isSafeRelativePath(path) else {
            throw SiteError(path: path, message: "refusing to write a page outside the output folder")
        }
        lock.lock()
        let isNew = written.updateValue(stamp, forKey: path) == nil
        lock.unlock()
        guard isNew else { throw SiteError(path: path, message: "two pages of the site have this path") }
        let target = folderPath + "/" + path
        if let reuse {
            if reuse.spare[path] == stamp { return }
            try createFolder(of: path)
            unlink(target)
            if reuse.live[path] == stamp, link(outputPath + "/" + path, target) == 0 { return }
        } else {
            try createFolder(of: path)
        }
        try SiteStaging.writeFile(target, try contents(), shownAs: outputPath + "/" + path)
    }

    /// Swaps the staging folder in for the output: the one moment the site changes.
    public func commit() throws {
        do {
            guard let reuse else {
                try SiteWriter.swapIn(folder, at: output)
                return
            }
            try commit(reuse)
        } catch let error as SiteError {
            throw error
        } catch {
            throw SiteError(path: output.path, message: "cannot write the site: \(error.localizedDescription)")
        }
    }

    private func commit(_ reuse: Reuse) throws {
        let fileManager = FileManager.default
        // Pages of the spare that the new site does not have.
        for path in reuse.spare.keys where written[path] == nil {
            unlink(folderPath + "/" + path)
            rmdir((folderPath + "/" + path as NSString).deletingLastPathComponent)  // only if now empty
        }
        var manifests = reuse.manifests
        let tree = SiteManifests.Tree(recording: written)
        if let identity = SiteManifests.identity(of: folder) { manifests.trees[identity] = tree }
        try manifests.write(to: reuse.manifestsFile)

        let hadOutput = fileManager.fileExists(atPath: output.path)
        if hadOutput {
            // `aside` is used only where RENAME_EXCHANGE is missing; one left by a killed build goes.
            let aside = folder.deletingLastPathComponent().appendingPathComponent("site-previous")
            try? fileManager.removeItem(at: aside)
            try SiteWriter.exchange(folder, output, aside: aside)
        } else {
            try fileManager.moveItem(at: folder, to: output)
        }
        // The spare is now the previous site. If what it holds is unknown (or there was none),
        // make it a copy of the new site out of hard links, so the next build starts from it.
        if !hadOutput || !reuse.liveIsKnown {
            try? fileManager.removeItem(at: folder)
            try linkCopy(of: output, to: folder, paths: written.keys)
            if let identity = SiteManifests.identity(of: folder) { manifests.trees[identity] = SiteManifests.Tree(recording: written) }
            try manifests.write(to: reuse.manifestsFile)
        }
        self.generation = tree.generation
    }

    /// Removes what was written: the output is left as it was.
    public func discard() {
        // The marker goes last, so that a removal cut short is still recognisably kb's.
        if reuse == nil { try? SiteWriter.removeSiteFolder(folder) }
        // A spare that was being updated stays; its manifest is already forgotten.
    }

    private func linkCopy(of site: URL, to copy: URL, paths: Dictionary<String, UInt64>.Keys) throws {
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: false)
        try Data(SiteWriter.markerText.utf8).write(to: copy.appendingPathComponent(SiteWriter.markerName))
        var folders: Set<String> = [""]
        for path in paths {
            let parent = (path as NSString).deletingLastPathComponent
            if folders.insert(parent).inserted {
                try FileManager.default.createDirectory(at: copy.appendingPathComponent(parent), withIntermediateDirectories: true)
            }
            guard link(site.path + "/" + path, copy.path + "/" + path) == 0 else {
                throw SiteError(path: copy.path + "/" + path, message: "cannot link the file: \(String(cString: strerror(errno)))")
            }
        }
    }

    private func createFolder(of path: String) throws {
        guard let slash = path.lastIndex(of: "/") else { return }
        let relative = String(path[..<slash])
        lock.lock()
        defer { lock.unlock() }
        guard !createdFolders.contains(relative) else { return }
        do {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(relative), withIntermediateDirectories: true)
        } catch {
            throw SiteError(path: output.path, message: "cannot write the site: \(error.localizedDescription)")
        }
        createdFolders.insert(relative)
    }

    static func writeFile(_ path: String, _ contents: Data, shownAs shown: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw writeError(shown) }
        defer { close(descriptor) }
        guard contents.withUnsafeBytes({ writeAll(descriptor, $0) }) else { throw writeError(shown) }
    }

    /// Writes every byte (a write may take only part); false with errno set when it fails.
    static func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    private static func writeError(_ path: String) -> SiteError {
        SiteError(path: path, message: "cannot write the file: \(String(cString: strerror(errno)))")
    }
}

/// For each site folder kb keeps (by device and inode, which a rename does not change): its
/// pages and their keys, and a generation, new each time a folder's pages are recorded (what
/// else describes a site, such as the state of `EditBuild`, names the generation it describes).
struct SiteManifests {
    struct Identity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    struct Tree {
        var generation: UInt64
        var pages: [String: UInt64]

        init(generation: UInt64, pages: [String: UInt64]) {
            self.generation = generation
            self.pages = pages
        }

        /// The pages as just recorded: a new generation.
        init(recording pages: [String: UInt64]) {
            self.init(generation: UInt64.random(in: 1...UInt64.max), pages: pages)
        }
    }

    var trees: [Identity: Tree] = [:]
    static let formatVersion: UInt64 = 2

    static func identity(of folder: URL) -> Identity? {
        var info = stat()
        guard lstat(folder.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    static func read(_ url: URL) -> SiteManifests {
        guard let data = FileManager.default.contents(atPath: url.path) else { return SiteManifests() }
        var reader = BinaryReader([UInt8](data))
        do {
            guard try reader.readUInt64() == formatVersion else { return SiteManifests() }
            var manifests = SiteManifests()
            for _ in 0..<(try reader.readCount()) {
                let identity = Identity(device: try reader.readUInt64(), inode: try reader.readUInt64())
                let generation = try reader.readUInt64()
                let count = try reader.readCount()
                var pages: [String: UInt64] = [:]
                pages.reserveCapacity(count)
                for _ in 0..<count {
                    let path = try reader.readString()
                    pages[path] = try reader.readUInt64()
                }
                manifests.trees[identity] = Tree(generation: generation, pages: pages)
            }
            return reader.isAtEnd ? manifests : SiteManifests()
        } catch {
            return SiteManifests()
        }
    }

    func write(to url: URL) throws {
        var writer = BinaryWriter()
        writer.write(SiteManifests.formatVersion)
        writer.write(trees.count)
        for (identity, tree) in trees.sorted(by: { ($0.key.device, $0.key.inode) < ($1.key.device, $1.key.inode) }) {
            writer.write(identity.device)
            writer.write(identity.inode)
            writer.write(tree.generation)
            writer.write(tree.pages.count)
            for (path, stamp) in tree.pages {  // in no particular order: only read back into a dictionary
                writer.write(path)
                writer.write(stamp)
            }
        }
        try Data(writer.bytes).write(to: url, options: .atomic)
    }
}

/// A change of a few files of a site kept with a spare (see `SiteStaging`): the spare is made
/// the output plus the changes, and the two are exchanged. The work is in proportion to the
/// files that differ between the two sites, not to the site; the same guarantees hold (the
/// spare's manifest is forgotten before it is touched, the output changes in one exchange).
struct SitePatch {
    let output: URL
    let spareFolder: URL
    private let manifestsFile: URL
    private var manifests: SiteManifests
    private let spareIdentity: SiteManifests.Identity
    let live: SiteManifests.Tree
    private let spare: SiteManifests.Tree

    /// nil unless kb knows what both the output and its spare hold.
    init?(output: URL, cacheFolder: URL) {
        self.output = output.standardizedFileURL
        spareFolder = cacheFolder.appendingPathComponent("site")
        manifestsFile = cacheFolder.appendingPathComponent("pages")
        manifests = SiteManifests.read(manifestsFile)
        guard let liveIdentity = SiteManifests.identity(of: self.output), let live = manifests.trees[liveIdentity],
            let spareIdentity = SiteManifests.identity(of: spareFolder), spareIdentity != liveIdentity,
            let spare = manifests.trees[spareIdentity]
        else { return nil }
        self.live = live
        self.spare = spare
        self.spareIdentity = spareIdentity
    }

    /// A changed file's new contents.
    enum Contents {
        case bytes(Data)
        /// The output's file of the same path with these byte ranges replaced (in order, not
        /// overlapping): a file of megabytes with a line changed is copied inside the kernel.
        case spliced([(range: Range<Int>, bytes: [UInt8])])
    }

    /// Files that change (path → stamp, contents): each must be a file of the output's site.
    /// Returns the new site's generation.
    mutating func apply(_ changes: [String: (stamp: UInt64, contents: Contents)]) throws -> UInt64 {
        var pages = live.pages
        for (path, change) in changes {
            guard pages[path] != nil else { throw SiteError(path: path, message: "not a file of the site: cannot change it alone") }
            pages[path] = change.stamp
        }
        manifests.trees[spareIdentity] = nil
        try manifests.write(to: manifestsFile)

        let outputPath = output.path, sparePath = spareFolder.path
        for (path, stamp) in pages where spare.pages[path] != stamp {
            let target = sparePath + "/" + path
            unlink(target)
            if let change = changes[path] {
                try createParent(of: path, in: sparePath)
                switch change.contents {
                case let .bytes(data): try SiteStaging.writeFile(target, data, shownAs: outputPath + "/" + path)
                case let .spliced(edits): try SitePatch.writeSpliced(target, from: outputPath + "/" + path, edits)
                }
            } else if link(outputPath + "/" + path, target) != 0 {
                try createParent(of: path, in: sparePath)
                guard link(outputPath + "/" + path, target) == 0 else {
                    throw SiteError(path: target, message: "cannot link the file: \(String(cString: strerror(errno)))")
                }
            }
        }
        for path in spare.pages.keys where pages[path] == nil {
            unlink(sparePath + "/" + path)
            rmdir((sparePath + "/" + path as NSString).deletingLastPathComponent)  // only if now empty
        }
        let tree = SiteManifests.Tree(recording: pages)
        manifests.trees[spareIdentity] = tree
        try manifests.write(to: manifestsFile)
        let aside = spareFolder.deletingLastPathComponent().appendingPathComponent("site-previous")
        try? FileManager.default.removeItem(at: aside)
        try SiteWriter.exchange(spareFolder, output, aside: aside)
        return tree.generation
    }

    private static func writeSpliced(_ path: String, from source: String, _ edits: [(range: Range<Int>, bytes: [UInt8])]) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw SiteError(path: source, message: "cannot read the file: \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let output = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw SiteError(path: path, message: "cannot write the file: \(String(cString: strerror(errno)))") }
        defer { close(output) }
        func copy(_ range: Range<Int>) throws {
            var offset = Int64(range.lowerBound)
            var left = range.count
            while left > 0 {
                let copied = kb_copy_file_range(input, &offset, output, UInt(left))
                if copied < 0 && errno == EINTR { continue }
                if copied <= 0 {
                    // No copy in the kernel here (another file system, an old kernel): by hand.
                    guard copied < 0, [EXDEV, ENOSYS, EINVAL, EOPNOTSUPP].contains(errno) else { throw failure(path) }
                    var buffer = [UInt8](repeating: 0, count: left)
                    guard pread(input, &buffer, left, off_t(offset)) == left else { throw failure(source) }
                    try write(buffer)
                    return
                }
                left -= Int(copied)
            }
        }
        func write(_ bytes: [UInt8]) throws {
            guard bytes.withUnsafeBytes({ SiteStaging.writeAll(output, $0) }) else { throw failure(path) }
        }
        func failure(_ path: String) -> SiteError {
            SiteError(path: path, message: "cannot write the file: \(String(cString: strerror(errno)))")
        }
        var size = stat()
        guard fstat(input, &size) == 0 else { throw failure(source) }
        var copied = 0
        for edit in edits {
            guard edit.range.lowerBound >= copied, edit.range.upperBound <= Int(size.st_size) else {
                throw SiteError(path: source, message: "the file is not the one kb wrote")
            }
            try copy(copied..<edit.range.lowerBound)
            try write(edit.bytes)
            copied = edit.range.upperBound
        }
        try copy(copied..<Int(size.st_size))
    }

    private func createParent(of path: String, in folder: String) throws {
        guard let slash = path.lastIndex(of: "/") else { return }
        do {
            try FileManager.default.createDirectory(atPath: folder + "/" + path[..<slash], withIntermediateDirectories: true)
        } catch {
            throw SiteError(path: output.path, message: "cannot write the site: \(error.localizedDescription)")
        }
    }
}
