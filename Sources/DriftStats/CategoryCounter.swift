#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Counts categories given as UTF-8 bytes in an open-addressing table keyed by an FNV-1a hash, keeping each
/// distinct category's bytes once. It exists for hot paths (CSV columns, event streams): a `[String: Int]`
/// pays for SipHash and String handling on every value, this pays a short hash and one byte comparison.
public struct CategoryCounter: Sendable {
    private var slots: [Int32]  // entry index, −1 when empty; the count is a power of two
    private var hashes: [UInt64] = []
    /// Every distinct category's bytes, back to back; entry i spans keyStarts[i] ..< keyStarts[i + 1].
    private var keyBytes: [UInt8] = []
    private var keyStarts: [Int] = [0]
    private var counts: [Int] = []
    public private(set) var total = 0

    public init() {
        slots = [Int32](repeating: -1, count: 64)
    }

    /// Adds one occurrence of the category spelled by `bytes`.
    public mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if hashes[entry] == hash && matches(entry, bytes) {
                counts[entry] += 1
                total += 1
                return
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(counts.count)
        hashes.append(hash)
        keyBytes.append(contentsOf: bytes)
        keyStarts.append(keyBytes.count)
        counts.append(1)
        total += 1
        if counts.count * 2 > slots.count { grow() }
    }

    /// Adds one occurrence of `category`.
    public mutating func add(_ category: String) {
        if let done: Void = category.utf8.withContiguousStorageIfAvailable({ add($0) }) { return done }
        var copy = category
        copy.withUTF8 { add($0) }
    }

    /// The counts by category.
    public var categoryCounts: CategoryCounts {
        var result = CategoryCounts()
        for entry in counts.indices {
            result.add(
                String(decoding: keyBytes[keyStarts[entry]..<keyStarts[entry + 1]], as: UTF8.self), count: counts[entry]
            )
        }
        return result
    }

    private func matches(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = keyStarts[entry]
        let length = keyStarts[entry + 1] - start
        guard length == bytes.count else { return false }
        return keyBytes.withUnsafeBufferPointer { stored in
            length == 0 || memcmp(stored.baseAddress! + start, bytes.baseAddress!, length) == 0
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (entry, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }
}
