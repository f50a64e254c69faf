/// Sorting of `Double` samples by radix sort: each value's bits are mapped to an unsigned key with the same
/// order (sign bit flipped for positives, all bits flipped for negatives); three stable passes of 11, 11 and
/// 10 bits order the keys by their upper 32 bits (sign, exponent and 20 mantissa bits), and the runs that
/// share those bits, few and short in real data, are then sorted by their full key. Several times faster than
/// a comparison sort for the sample sizes drift tests see, and exact for any input (a run as long as the array
/// is a plain sort).
/// NaN must not occur (callers drop missing values first).
public enum RadixSort {
    /// Below this many values a comparison sort is faster than the counting passes.
    static let comparisonSortLimit = 1_200
    /// The passes' digits: (shift, bits), least significant first. Digits of 11 bits keep the three histograms
    /// in 48 KiB: with two 16-bit passes, clearing and summing 2¹⁷ counters cost more than sorting a window of a
    /// few thousand values.
    private static let digits: [(shift: UInt64, bits: Int)] = [(32, 11), (43, 11), (54, 10)]
    private static let histogramStride = 1 << 11

    public static func sorted(_ values: [Double]) -> [Double] {
        var copy = values
        sort(&copy)
        return copy
    }

    /// Sorts in place; −0.0 sorts before +0.0.
    public static func sort(_ values: inout [Double]) {
        guard values.count > comparisonSortLimit else {
            values.sort()
            return
        }
        let (keys, _) = sortedKeys([values], normalizingZero: false)
        values = keys.map(value(of:))
    }

    /// The keys of two samples sorted together, each with a tag saying which sample it came from (1: first,
    /// 0: second): the merged order a two-sample statistic walks, produced by the radix passes themselves so no
    /// data-dependent merge is needed afterwards. −0.0 is taken as +0.0 so the two compare equal as values do.
    public static func mergedKeys(_ first: [Double], _ second: [Double]) -> (keys: [UInt64], fromFirst: [UInt8]) {
        sortedKeys([first, second], normalizingZero: true)
    }

    /// The order-preserving key of a value.
    @inline(__always)
    static func key(of value: Double) -> UInt64 {
        let bits = value.bitPattern
        return bits & (1 << 63) == 0 ? bits | (1 << 63) : ~bits
    }

    @inline(__always)
    static func value(of key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }

    /// Sorts the keys of all `samples` together; a key's tag is 1 for the first sample and 0 for the others.
    private static func sortedKeys(_ samples: [[Double]], normalizingZero: Bool) -> (keys: [UInt64], fromFirst: [UInt8])
    {
        let count = samples.reduce(0) { $0 + $1.count }
        var keys = [UInt64](repeating: 0, count: count)
        var tags = [UInt8](repeating: 0, count: count)
        var histogram = [Int](repeating: 0, count: digits.count * histogramStride)
        keys.withUnsafeMutableBufferPointer { keys in
            tags.withUnsafeMutableBufferPointer { tags in
                histogram.withUnsafeMutableBufferPointer { histogram in
                    var index = 0
                    for (number, sample) in samples.enumerated() {
                        let tag: UInt8 = number == 0 ? 1 : 0
                        sample.withUnsafeBufferPointer { values in
                            for value in values {
                                let k = key(of: normalizingZero ? value + 0.0 : value)
                                keys[index] = k
                                tags[index] = tag
                                // One counter per pass, for the `digits` above.
                                histogram[Int((k >> 32) & 0x7FF)] += 1
                                histogram[histogramStride + Int((k >> 43) & 0x7FF)] += 1
                                histogram[2 * histogramStride + Int(k >> 54)] += 1
                                index += 1
                            }
                        }
                    }
                }
            }
        }
        guard count > 1 else { return (keys, tags) }
        var scratchKeys = [UInt64](repeating: 0, count: count)
        var scratchTags = [UInt8](repeating: 0, count: count)
        var resultInScratch = false
        histogram.withUnsafeMutableBufferPointer { histogram in
            keys.withUnsafeMutableBufferPointer { keys in
                tags.withUnsafeMutableBufferPointer { tags in
                    scratchKeys.withUnsafeMutableBufferPointer { otherKeys in
                        scratchTags.withUnsafeMutableBufferPointer { otherTags in
                            var (sourceKeys, sourceTags, targetKeys, targetTags) = (keys, tags, otherKeys, otherTags)
                            for (pass, (shift, bits)) in digits.enumerated() {
                                let base = pass * histogramStride
                                let mask: UInt64 = (1 << bits) - 1
                                // A pass where every key has the same digit changes nothing: skip it.
                                if histogram[base + Int((sourceKeys[0] >> shift) & mask)] == count { continue }
                                var offset = 0
                                for digit in 0..<(1 << bits) {
                                    let size = histogram[base + digit]
                                    histogram[base + digit] = offset
                                    offset += size
                                }
                                for index in 0..<count {
                                    let k = sourceKeys[index]
                                    let digit = base + Int((k >> shift) & mask)
                                    let position = histogram[digit]
                                    targetKeys[position] = k
                                    targetTags[position] = sourceTags[index]
                                    histogram[digit] = position + 1
                                }
                                swap(&sourceKeys, &targetKeys)
                                swap(&sourceTags, &targetTags)
                                resultInScratch.toggle()
                            }
                            sortRunsSharingUpperHalf(sourceKeys, tags: sourceTags)
                        }
                    }
                }
            }
        }
        return resultInScratch ? (scratchKeys, scratchTags) : (keys, tags)
    }

    /// Sorts, by full key, each run of keys whose upper 32 bits are equal (the radix passes left them
    /// unordered), moving each key's tag with it.
    private static func sortRunsSharingUpperHalf(
        _ keys: UnsafeMutableBufferPointer<UInt64>, tags: UnsafeMutableBufferPointer<UInt8>
    ) {
        var start = 0
        while start < keys.count {
            let upper = keys[start] >> 32
            var end = start + 1
            while end < keys.count && keys[end] >> 32 == upper { end += 1 }
            if end - start > 32 {
                var pairs = (start..<end).map { (keys[$0], tags[$0]) }
                pairs.sort { $0.0 < $1.0 }
                for (offset, pair) in pairs.enumerated() {
                    keys[start + offset] = pair.0
                    tags[start + offset] = pair.1
                }
            } else if end - start > 1 {
                for index in (start + 1)..<end {  // insertion sort
                    let (key, tag) = (keys[index], tags[index])
                    var position = index
                    while position > start && keys[position - 1] > key {
                        keys[position] = keys[position - 1]
                        tags[position] = tags[position - 1]
                        position -= 1
                    }
                    keys[position] = key
                    tags[position] = tag
                }
            }
            start = end
        }
    }
}
