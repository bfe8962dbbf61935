import Foundation
@testable import KBSite
import KBTestSupport
import Testing

@Suite struct SiteWriterTests {
    @Test func writesANewSiteWithItsMarker() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("Site")
        try SiteWriter.publish([SiteFile(path: "index.html", text: "home"), SiteFile(path: "articles/a.html", text: "a")], to: output)
        #expect(folder.files(under: "Site") == [".kb-site", "articles/a.html", "index.html"])
        #expect(try folder.read("Site/articles/a.html") == "a")
    }

    @Test func replacesThePreviousSiteWhole() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("Site")
        try SiteWriter.publish([SiteFile(path: "old.html", text: "old"), SiteFile(path: "index.html", text: "1")], to: output)
        try SiteWriter.publish([SiteFile(path: "index.html", text: "2")], to: output)
        #expect(folder.files(under: "Site") == [".kb-site", "index.html"])
        #expect(try folder.read("Site/index.html") == "2")
        // No temporary folders are left beside the output.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["Site"])
    }

    @Test func aFailedWriteLeavesThePreviousSiteUntouched() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("Site")
        try SiteWriter.publish([SiteFile(path: "index.html", text: "previous")], to: output)
        #expect(throws: SiteError.self) {
            try SiteWriter.publish([SiteFile(path: "index.html", text: "new"), SiteFile(path: "../escape.html", text: "x")], to: output)
        }
        #expect(try folder.read("Site/index.html") == "previous")
        #expect(!folder.exists("escape.html"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["Site"])
    }

    @Test func refusesToReplaceAFolderKbDidNotWrite() throws {
        let folder = try TemporaryFolder(["Site/precious.txt": "mine"])
        #expect(throws: SiteError.self) {
            try SiteWriter.publish([SiteFile(path: "index.html", text: "x")], to: folder.url.appendingPathComponent("Site"))
        }
        #expect(try folder.read("Site/precious.txt") == "mine")
    }

    @Test func refusesToReplaceAFile() throws {
        let folder = try TemporaryFolder(["Site": "a file"])
        #expect(throws: SiteError.self) {
            try SiteWriter.publish([SiteFile(path: "index.html", text: "x")], to: folder.url.appendingPathComponent("Site"))
        }
        #expect(try folder.read("Site") == "a file")
    }

    @Test func anEmptyFolderMayBeUsed() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("Site"), withIntermediateDirectories: false)
        try SiteWriter.publish([SiteFile(path: "index.html", text: "x")], to: folder.url.appendingPathComponent("Site"))
        #expect(try folder.read("Site/index.html") == "x")
    }

    @Test func leftoversOfAnInterruptedBuildAreCleanedOnlyWhenMarked() throws {
        let folder = try TemporaryFolder([
            ".Site.tmp-1-2/.kb-site": "", ".Site.tmp-1-2/index.html": "half",
            ".Site.tmp-9-9/notes.txt": "not ours",
        ])
        try SiteWriter.publish([SiteFile(path: "index.html", text: "x")], to: folder.url.appendingPathComponent("Site"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [".Site.tmp-9-9", "Site"])
    }

    /// A build killed between creating its staging folder and writing the marker into it
    /// leaves an empty folder: nothing of anyone's, so the next build removes it too.
    @Test func anEmptyStagingFolderOfAKilledBuildIsRemoved() throws {
        let folder = try TemporaryFolder(["keep.txt": "x"])
        for name in [".Site.tmp-4242-7", ".Site.old-4242", ".Other.tmp-1-1"] {
            try FileManager.default.createDirectory(at: folder.url.appendingPathComponent(name), withIntermediateDirectories: false)
        }
        try SiteWriter.publish([SiteFile(path: "index.html", text: "x")], to: folder.url.appendingPathComponent("Site"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [".Other.tmp-1-1", "Site", "keep.txt"])
    }

    /// Removing the previous site after the swap, or a leftover, takes the marker last: a
    /// build killed halfway through leaves a folder that is still recognisably kb's.
    @Test func aRemovalCutShortKeepsTheMarker() throws {
        let folder = try TemporaryFolder([
            ".Site.tmp-7-7/.kb-site": "", ".Site.tmp-7-7/index.html": "old", ".Site.tmp-7-7/articles/a.html": "a",
            ".Site.tmp-7-7/z.css": "z",
        ])
        struct Killed: Error {}
        let staging = folder.url.appendingPathComponent(".Site.tmp-7-7")
        var removed = 0
        #expect(throws: Killed.self) {
            try SiteWriter.removeSiteFolder(staging) {
                removed += 1
                if removed == 2 { throw Killed() }
            }
        }
        #expect(folder.files(under: ".Site.tmp-7-7").count == 2)
        #expect(folder.exists(".Site.tmp-7-7/.kb-site"))
        try SiteWriter.publish([SiteFile(path: "index.html", text: "x")], to: folder.url.appendingPathComponent("Site"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["Site"])
    }

    @Test func safeRelativePaths() {
        #expect(SiteWriter.isSafeRelativePath("articles/a.html"))
        #expect(!SiteWriter.isSafeRelativePath("/etc/passwd"))
        #expect(!SiteWriter.isSafeRelativePath("a/../../b"))
        #expect(!SiteWriter.isSafeRelativePath(""))
        for safe in ["a", "a/.b", "..a/b", "a/b..", "a//b", "a/", "...", "tags/c++.html", "é/ü.html"] {
            #expect(SiteWriter.isSafeRelativePath(safe), "\(safe)")
        }
        for unsafe in [".", "..", "./a", "a/.", "a/..", "a/./b", "a/\0b", "\0"] {
            #expect(!SiteWriter.isSafeRelativePath(unsafe), "\(unsafe.debugDescription)")
        }
    }
}
