// swift-tools-version:6.0
import PackageDescription

// Release builds leave out the run-time exclusivity checks (debug builds and the tests keep
// them): kb's hot loops touch class properties millions of times, and each check cost a
// thread-local lookup (about 3% of a site build, measured with callgrind).
let fast: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

// Dependency direction (see DESIGN.md): kb → KBSite/KBRecord → KBContent → KBRules → KBDockerfile,
// and KBMarkdown below KBContent. No module reaches upward.
let package = Package(
    name: "kb",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kb", targets: ["kb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        // kb serve: a small HTTP server (no SwiftNIO), see Sources/kb/Commands/ServeCommand.swift.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // libcmark from the system (Debian: libcmark-dev). Only KBMarkdown imports it.
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // mimalloc from the system (Debian: libmimalloc-dev), linked into kb ahead of glibc so
        // that it serves every malloc of the process: a build makes and frees millions of
        // small strings and arrays on both cores, and glibc's allocator took a third of the
        // CPU time of a 10 000-article build more (BENCHMARKS.md). Only the kb executable
        // links it; tests and tools use the system's allocator.
        .systemLibrary(name: "CMimalloc", providers: [.apt(["libmimalloc-dev"])]),
        // The few POSIX calls Swift's Glibc module does not expose (renameat2).
        .target(name: "CSystem"),
        .target(name: "KBMarkdown", dependencies: ["CCmark"], swiftSettings: fast),
        .target(name: "KBDockerfile", swiftSettings: fast),
        // Spreads independent work over the cores, results in input order.
        .target(name: "KBParallel", swiftSettings: fast),
        .target(name: "KBRules", dependencies: ["KBDockerfile", "KBParallel"], swiftSettings: fast),
        .target(
            name: "KBContent",
            dependencies: ["KBMarkdown", "KBRules", "KBDockerfile", "KBParallel", .product(name: "Yams", package: "Yams")],
            swiftSettings: fast
        ),
        .target(name: "KBRecord", dependencies: ["KBContent", "CSystem"]),
        .target(
            name: "KBSite",
            dependencies: ["KBContent", "KBMarkdown", "KBParallel", "CSystem"],
            resources: [.embedInCode("Theme")],
            swiftSettings: fast
        ),
        .executableTarget(
            name: "kb",
            dependencies: [
                "KBSite", "KBRecord", "KBContent", "KBRules", "KBDockerfile", "KBParallel", "CMimalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
        ),
        .executableTarget(name: "parser-bench", dependencies: ["KBDockerfile"], path: "Benchmarks/ParserBench"),

        // Helpers shared by the test targets (temporary knowledge bases on disk).
        .target(name: "KBTestSupport", path: "Tests/KBTestSupport"),
        .testTarget(name: "KBMarkdownTests", dependencies: ["KBMarkdown"]),
        .testTarget(name: "KBDockerfileTests", dependencies: ["KBDockerfile", "KBTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "KBRulesTests", dependencies: ["KBRules", "KBDockerfile"], exclude: ["Fixtures"]),
        .testTarget(name: "KBContentTests", dependencies: ["KBContent", "KBTestSupport"]),
        .testTarget(name: "KBRecordTests", dependencies: ["KBRecord", "KBContent", "KBTestSupport"], exclude: ["Fixtures"]),
        // swift-mustache only to check that kb's own template renderer gives the same bytes.
        .testTarget(
            name: "KBSiteTests",
            dependencies: ["KBSite", "KBContent", "KBRules", "KBMarkdown", "KBTestSupport", .product(name: "Mustache", package: "swift-mustache")]),
        // Runs the built kb binary on real folders.
        .testTarget(name: "EndToEndTests", dependencies: ["kb", "KBTestSupport"]),
        // The repository's CI workflow and pre-commit hooks, parsed as YAML.
        .testTarget(name: "RepositoryFilesTests", dependencies: [.product(name: "Yams", package: "Yams")]),
    ]
)

// libFuzzer targets (Fuzz/), only when KB_FUZZ is set: scripts/fuzz.sh builds them with
// `-sanitize=fuzzer,address -enable-testing` into .build-fuzz. Each main.swift hands over to
// libFuzzer's driver (CFuzzer declares it). Ordinary builds and tests never see them.
if Context.environment["KB_FUZZ"] != nil {
    package.targets += [
        .target(name: "CFuzzer", path: "Fuzz/CFuzzer"),
        .executableTarget(name: "fuzz-parser", dependencies: ["CFuzzer", "KBDockerfile"], path: "Fuzz/Parser"),
        .executableTarget(
            name: "fuzz-front-matter", dependencies: ["CFuzzer", "KBContent", "KBRules", .product(name: "Yams", package: "Yams")],
            path: "Fuzz/FrontMatter"),
        .executableTarget(
            name: "fuzz-pipeline",
            dependencies: [
                "CFuzzer", "KBContent", "KBRules", "KBSite", "KBMarkdown",
            ],
            path: "Fuzz/Pipeline"),
    ]
}
