import Foundation

/// One recording at a time on a machine. A recording removes, at its end, the images and
/// containers that builds left behind while it ran; a second `kb record` running at the same
/// time would lose its own to that. Cross-process with flock(2) on a file in the temporary
/// folder, and re-entrant within a process (a test may hold it around a recording).
public enum RecordLock {
    private final class State: @unchecked Sendable {
        let lock = NSRecursiveLock()
        var depth = 0
        var fd: Int32 = -1
    }

    private static let state = State()

    public static let path = FileManager.default.temporaryDirectory.appendingPathComponent("kb-record.lock").path

    /// Runs `body` holding the lock. `waiting` is called once if another process holds it.
    public static func withLock<T>(waiting: (() -> Void)? = nil, _ body: () throws -> T) rethrows -> T {
        state.lock.lock()
        defer { state.lock.unlock() }
        if state.depth == 0 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
            if fd >= 0 {
                if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                    waiting?()
                    while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
                }
                state.fd = fd
            }
        }
        state.depth += 1
        defer {
            state.depth -= 1
            if state.depth == 0 && state.fd >= 0 {
                close(state.fd)  // releases the flock
                state.fd = -1
            }
        }
        return try body()
    }
}
