import Foundation

/// Runs independent pieces of work on every core and gives their results back in input
/// order, so that what runs in parallel can never change what is written.
public enum Parallel {
    /// Cores to use: all of them, or `KB_JOBS` when set (1 makes every step sequential,
    /// which profilers and debuggers like).
    public static let jobs: Int = {
        if let text = ProcessInfo.processInfo.environment["KB_JOBS"], let value = Int(text), value >= 1 { return value }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// `items.map(transform)`, with the items spread over the cores. `transform` must not
    /// touch shared mutable state; the items and results need not be `Sendable` because
    /// each is touched by exactly one worker and handed back only after all have finished.
    public static func map<Item, Value>(_ items: [Item], _ transform: (Item) throws -> Value) rethrows -> [Value] {
        guard jobs > 1, items.count > 1 else { return try items.map(transform) }
        return try withoutActuallyEscaping(transform) { transform in
            let work = Work(items: items, transform: transform)
            // Chunks of several items keep the cost of handing out work small, and more
            // chunks than cores keep both cores busy when items differ in size.
            let count = items.count
            let chunkSize = max(1, count / (jobs * 16))
            let chunks = (count + chunkSize - 1) / chunkSize
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = chunk * chunkSize
                work.run(start..<min(start + chunkSize, count))
            }
            return try work.results()
        }
    }

    /// Runs `body` for each item on every core, for work whose effect is outside (files).
    public static func forEach<Item>(_ items: [Item], _ body: (Item) throws -> Void) rethrows {
        _ = try map(items, body)
    }
}

/// The slots of one `Parallel.map`: slot i is written by the worker that ran item i only.
private final class Work<Item, Value>: @unchecked Sendable {
    private let items: [Item]
    private let transform: (Item) throws -> Value
    private let slots: UnsafeMutableBufferPointer<Result<Value, any Error>?>

    init(items: [Item], transform: @escaping (Item) throws -> Value) {
        self.items = items
        self.transform = transform
        slots = .allocate(capacity: items.count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    func run(_ range: Range<Int>) {
        for index in range {
            slots[index] = Result { try transform(items[index]) }
        }
    }

    /// The values in input order, or the error of the first item (in input order) that failed.
    func results() throws -> [Value] {
        try slots.map { try $0!.get() }
    }
}
