import Foundation

/// The build cache's file format: plain little-endian integers and length-prefixed UTF-8,
/// read back in the order written. Much faster than JSON for tens of thousands of records,
/// and the cache is kb's own (a version number in the header throws away any other).
public struct BinaryWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func write(_ value: Int) { write(UInt64(bitPattern: Int64(value))) }

    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            write(buffer.count)
            bytes.append(contentsOf: buffer)
        }
    }

    public mutating func write(bytes: [UInt8]) {
        write(bytes.count)
        self.bytes.append(contentsOf: bytes)
    }

    public mutating func write(_ text: String?) {
        write(text != nil)
        if let text { write(text) }
    }

    public mutating func write(_ texts: [String]) {
        write(texts.count)
        for text in texts { write(text) }
    }
}

/// Reads what `BinaryWriter` wrote; any inconsistency throws (the cache is then ignored).
public struct BinaryReader {
    public struct Corrupt: Error {
        public init() {}
    }

    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func readUInt64() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw Corrupt() }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    public mutating func readInt() throws -> Int { Int(Int64(bitPattern: try readUInt64())) }

    /// A count of things to read next: never more than there are bytes left.
    public mutating func readCount() throws -> Int {
        let count = try readInt()
        guard count >= 0, count <= bytes.count - offset else { throw Corrupt() }
        return count
    }

    public mutating func readBool() throws -> Bool {
        guard offset < bytes.count, bytes[offset] <= 1 else { throw Corrupt() }
        offset += 1
        return bytes[offset - 1] == 1
    }

    public mutating func readString() throws -> String {
        let count = try readCount()
        let text = bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[offset..<offset + count]), as: UTF8.self) }
        offset += count
        return text
    }

    public mutating func readBytes() throws -> [UInt8] {
        let count = try readCount()
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    public mutating func readOptionalString() throws -> String? {
        try readBool() ? try readString() : nil
    }

    public mutating func readStrings() throws -> [String] {
        let count = try readCount()
        return try (0..<count).map { _ in try readString() }
    }
}

extension BinaryWriter {
    public mutating func write(_ f: FileFingerprint) {
        for value in [f.device, f.inode] { write(value) }
        for value in [f.size, f.modified, f.changed] { write(value) }
    }
}

extension BinaryReader {
    public mutating func readFingerprint() throws -> FileFingerprint {
        var f = FileFingerprint()
        f.device = try readUInt64()
        f.inode = try readUInt64()
        f.size = try readInt()
        f.modified = try readInt()
        f.changed = try readInt()
        return f
    }
}
