// parser-bench: throughput of KBDockerfile on a large generated Dockerfile and per-file
// time on small real-world ones. Run with: swift run -c release parser-bench
// Every figure is the median of several runs.
import Foundation
import KBDockerfile

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let runs = Int(ProcessInfo.processInfo.environment["PARSER_BENCH_RUNS"] ?? "") ?? 9

/// A deterministic Dockerfile of about `bytes` bytes mixing every kind of instruction.
func generatedDockerfile(bytes target: Int) -> String {
    var out = "# syntax=docker/dockerfile:1.7\n# escape=\\\n\nARG BASE=debian:bookworm-slim\n"
    var i = 0
    while out.utf8.count < target {
        out += """
            FROM ${BASE} AS stage\(i)
            LABEL org.opencontainers.image.title="stage \(i)" \\
                  org.opencontainers.image.version="1.\(i).0"
            ENV PATH=/opt/stage\(i)/bin:$PATH LANG=C.UTF-8 STAGE=\(i)
            # install the toolchain for stage \(i)
            RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\
                apt-get update \\
                && apt-get install -y --no-install-recommends build-essential curl ca-certificates \\
                # keep the image small
                && rm -rf /var/lib/apt/lists/*
            COPY --from=stage\(max(0, i - 1)) --chown=1000:1000 --chmod=0755 /src/app /opt/stage\(i)/bin/app
            COPY <<EOF /etc/stage\(i).conf
            name = stage\(i)
            level = \(i % 7)
            EOF
            RUN <<-'SCRIPT' bash
            \tset -eu
            \techo "building \(i)"
            \tSCRIPT
            WORKDIR /opt/stage\(i)
            EXPOSE 80\(i % 10) 443/tcp
            HEALTHCHECK --interval=30s --timeout=3s CMD ["curl", "-fsS", "http://localhost/health"]
            USER 1000:1000
            ENTRYPOINT ["/opt/stage\(i)/bin/app", "--stage", "\(i)"]
            CMD ["--verbose"]

            """
        i += 1
    }
    return out
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func time(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    return seconds(clock.now - start)
}

// MARK: large file

let large = generatedDockerfile(bytes: 8_000_000)
let megabytes = Double(large.utf8.count) / 1_000_000
var instructionCount = 0
var parseTimes: [Double] = []
var tokenizeTimes: [Double] = []
_ = try DockerfileParser.parse(large)  // warm-up
for _ in 0..<runs {
    parseTimes.append(try time { instructionCount = try DockerfileParser.parse(large).instructions.count })
    tokenizeTimes.append(time { _ = DockerfileTokenizer.tokens(in: large) })
}
var lines = 0
for u in large.utf8 where u == 0x0A { lines += 1 }
print("parser-bench: large generated Dockerfile: \(String(format: "%.2f", megabytes)) MB, \(lines) lines, \(instructionCount) instructions, \(runs) runs")
print(String(format: "  parse:    median %.1f ms  (%.1f MB/s)   min %.1f ms  max %.1f ms",
             median(parseTimes) * 1000, megabytes / median(parseTimes), parseTimes.min()! * 1000, parseTimes.max()! * 1000))
print(String(format: "  tokenize: median %.1f ms  (%.1f MB/s)   min %.1f ms  max %.1f ms",
             median(tokenizeTimes) * 1000, megabytes / median(tokenizeTimes), tokenizeTimes.min()! * 1000, tokenizeTimes.max()! * 1000))

// MARK: small files

let fixtures = packageRoot.appendingPathComponent("Tests/KBDockerfileTests/Fixtures/real-world")
let names = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []).filter { $0.hasSuffix(".Dockerfile") }.sorted()
let small = names.compactMap { try? String(decoding: Data(contentsOf: fixtures.appendingPathComponent($0)), as: UTF8.self) }
guard !small.isEmpty else {
    print("parser-bench: no fixtures found in \(fixtures.path)")
    exit(1)
}
let averageBytes = small.reduce(0) { $0 + $1.utf8.count } / small.count
let rounds = 200
var perFile: [Double] = []
var perFileTokens: [Double] = []
for _ in 0..<runs {
    let t = try time {
        for _ in 0..<rounds { for s in small { _ = try DockerfileParser.parse(s) } }
    }
    perFile.append(t / Double(rounds * small.count))
    let k = time {
        for _ in 0..<rounds { for s in small { _ = DockerfileTokenizer.tokens(in: s) } }
    }
    perFileTokens.append(k / Double(rounds * small.count))
}
print("parser-bench: \(small.count) real-world Dockerfiles (average \(averageBytes) bytes), \(rounds) rounds, \(runs) runs")
print(String(format: "  parse:    median %.1f µs per file  (min %.1f, max %.1f)",
             median(perFile) * 1e6, perFile.min()! * 1e6, perFile.max()! * 1e6))
print(String(format: "  tokenize: median %.1f µs per file  (min %.1f, max %.1f)",
             median(perFileTokens) * 1e6, perFileTokens.min()! * 1e6, perFileTokens.max()! * 1e6))
