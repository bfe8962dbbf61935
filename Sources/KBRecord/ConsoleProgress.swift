import Foundation

/// Shows a recording's progress: each example's report as it finishes, and, on a terminal,
/// a status line on standard error saying which example is at which step, and for how long.
public final class ConsoleProgress: RecordProgress, @unchecked Sendable {
    private let statusLine: Bool
    private let report: @Sendable (String) -> Void
    private let lock = NSLock()
    private var total = 0
    private var finished = 0
    /// Examples in progress, in the order they started: slug, step, when the step began.
    private var active: [(slug: String, step: RecordStep, since: Date)] = []
    private var shown = false
    private let stop = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private var ticking = false

    /// `statusLine`: draw the status line (only when standard error is a terminal).
    /// `report`: prints one finished example's report.
    public init(statusLine: Bool, report: @escaping @Sendable (String) -> Void) {
        self.statusLine = statusLine
        self.report = report
    }

    /// Whether standard error is a terminal, so a status line can be redrawn in place.
    public static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    public func waiting(_ reason: String) {
        FileHandle.standardError.write(Data("kb record: \(reason)\n".utf8))
    }

    public func notice(_ text: String) {
        FileHandle.standardError.write(Data("kb record: \(text)\n".utf8))
    }

    public func begin(total: Int) {
        lock.lock()
        self.total = total
        lock.unlock()
        guard statusLine else { return }
        ticking = true
        let thread = Thread { [self] in
            // Redraw once a second so the elapsed time moves while an engine works.
            while stop.wait(timeout: .now() + 1) == .timedOut {
                lock.lock()
                draw()
                lock.unlock()
            }
            stopped.signal()
        }
        thread.start()
    }

    public func step(_ slug: String, _ step: RecordStep) {
        lock.lock()
        defer { lock.unlock() }
        active.removeAll { $0.slug == slug }
        active.append((slug, step, Date()))
        draw()
    }

    public func finish(_ outcome: ExampleOutcome) {
        lock.lock()
        defer { lock.unlock() }
        active.removeAll { $0.slug == outcome.slug }
        finished += 1
        clear()
        report(outcome.report)
        draw()
    }

    public func end() {
        if ticking {
            stop.signal()
            stopped.wait()
            ticking = false
        }
        lock.lock()
        clear()
        lock.unlock()
    }

    /// Called with the lock held.
    private func draw() {
        guard statusLine, !active.isEmpty else { return clear() }
        let now = Date()
        let steps = active.map { "\($0.slug): \($0.step.rawValue) \(Int(now.timeIntervalSince($0.since)))s" }
        var line = "[\(finished)/\(total)] " + steps.joined(separator: " · ")
        let width = ConsoleProgress.terminalWidth()
        if line.count >= width { line = String(line.prefix(max(1, width - 2))) + "…" }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        shown = true
    }

    private func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 10 { return Int(size.ws_col) }
        return 80
    }
}
