import Foundation

/// Wall-clock time of each step of a build, printed to standard error when `KB_TIMINGS` is
/// set: where a build's time goes, without a profiler.
public enum Timings {
    public static let enabled = ProcessInfo.processInfo.environment["KB_TIMINGS"] != nil

    /// Runs `body`, and reports how long it took under `name`.
    public static func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
            let label = name.padding(toLength: max(name.count, 20), withPad: " ", startingAt: 0)
            FileHandle.standardError.write(Data("kb timings: \(label) \(String(format: "%8.1f", milliseconds)) ms\n".utf8))
        }
        return try body()
    }

    /// A line of its own among the timings (why a step was skipped, say).
    public static func note(_ text: @autoclosure () -> String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("kb timings: \(text())\n".utf8))
    }
}
