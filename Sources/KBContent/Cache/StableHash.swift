/// A fast 64-bit hash that is the same in every run (Swift's `Hasher` is seeded per process),
/// for the build cache: which file changed, which page must be made again. Not for security:
/// nothing here defends against someone crafting collisions in their own knowledge base.
public struct StableHash: Sendable {
    public private(set) var value: UInt64 = 0x9E37_79B9_7F4A_7C15

    public init() {}

    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = StableHash()
        hash.combine(bytes)
        return hash.value
    }

    public static func of(_ text: String) -> UInt64 {
        var hash = StableHash()
        hash.combine(text)
        return hash.value
    }

    public mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            mix(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < count {
            tail |= UInt64(bytes[index]) << shift
            shift += 8
            index += 1
        }
        // The length goes in too, so that "ab" + "c" and "a" + "bc" differ.
        mix(tail ^ UInt64(count) << 56)
        mix(UInt64(count))
    }

    public mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combine(UnsafeRawBufferPointer($0)) }
    }

    public mutating func combine(_ number: Int) { mix(UInt64(bitPattern: Int64(number))) }

    public mutating func combine(_ number: UInt64) { mix(number) }

    public mutating func combine(_ flag: Bool) { mix(flag ? 1 : 2) }

    public mutating func combine(_ text: String?) {
        if let text { combine(text) } else { mix(0xFFFF_FFFF_0000_0001) }
    }

    public mutating func combine(_ texts: [String]) {
        combine(texts.count)
        for text in texts { combine(text) }
    }

    private mutating func mix(_ word: UInt64) {
        // One round of a multiply-rotate mix (as in xxHash64), then a final avalanche.
        var h = value ^ (word &* 0xC2B2_AE3D_27D4_EB4F)
        h = (h << 31) | (h >> 33)
        h = h &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        value = h &* 0x1656_67B1_9E37_79F9
    }
}
