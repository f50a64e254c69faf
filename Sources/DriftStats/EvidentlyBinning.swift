#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bins Evidently 0.7 uses for PSI and Jensen–Shannon (`get_binned_data`), reproduced operation by
/// operation so the shares are bit-identical: Sturges equal-width edges from `numpy.histogram_bin_edges`
/// (width = range / (log₂ n + 1), ⌈range / width⌉ bins, edges i·step + min with the last edge = max) counted as
/// `numpy.histogram` counts against explicit edges ([eᵢ, eᵢ₊₁), the last bin closed), or one bin per distinct
/// value when the reference has at most 20 distinct values.
public enum EvidentlyBinning {
    /// Largest number of distinct reference values that still gets one bin per value.
    public static let maximumDistinctForValueBins = 20

    /// Bin shares of both samples (count / sample size), zeros left in. Samples ascending, non-empty.
    public static func shares(sortedReference reference: [Double], sortedCurrent current: [Double])
        -> (reference: [Double], current: [Double])
    {
        precondition(!reference.isEmpty && !current.isEmpty, "binning needs non-empty samples")
        if distinctCount(sorted: reference, atMost: maximumDistinctForValueBins + 1) > maximumDistinctForValueBins {
            let edges = sturgesEdges(
                minimum: Swift.min(reference[0], current[0]),
                maximum: Swift.max(reference[reference.count - 1], current[current.count - 1]),
                count: reference.count + current.count)
            return (
                histogram(sorted: reference, edges: edges).map { Double($0) / Double(reference.count) },
                histogram(sorted: current, edges: edges).map { Double($0) / Double(current.count) }
            )
        }
        let counts = valueCounts(sortedReference: reference, sortedCurrent: current)
        return (
            counts.reference.map { Double($0) / Double(reference.count) },
            counts.current.map { Double($0) / Double(current.count) }
        )
    }

    /// One bin per distinct value of either ascending sample: the values and how often each sample has them.
    public static func valueCounts(sortedReference reference: [Double], sortedCurrent current: [Double])
        -> (values: [Double], reference: [Int], current: [Int])
    {
        var keys: [Double] = []
        var i = 0
        var j = 0
        var referenceCounts: [Int] = []
        var currentCounts: [Int] = []
        while i < reference.count || j < current.count {
            let value = Swift.min(
                i < reference.count ? reference[i] : .infinity, j < current.count ? current[j] : .infinity)
            var r = 0
            var c = 0
            while i < reference.count && reference[i] == value {
                i += 1
                r += 1
            }
            while j < current.count && current[j] == value {
                j += 1
                c += 1
            }
            keys.append(value)
            referenceCounts.append(r)
            currentCounts.append(c)
        }
        return (keys, referenceCounts, currentCounts)
    }

    /// Zero shares become 0.0001, or the smallest non-zero share / 10⁶ when that is ≤ 0.0001 (`feel_zeroes`).
    public static func floorZeroShares(_ shares: [Double]) -> [Double] {
        let smallest = shares.filter { $0 != 0 }.min() ?? 0
        let replacement = smallest <= 0.0001 ? smallest / 1_000_000 : 0.0001
        return shares.map { $0 == 0 ? replacement : $0 }
    }

    /// `numpy.histogram_bin_edges(values, bins='sturges')` for data spanning [minimum, maximum] with `count` values.
    public static func sturgesEdges(minimum: Double, maximum: Double, count: Int) -> [Double] {
        var first = minimum
        var last = maximum
        if first == last {
            first -= 0.5
            last += 0.5
        }
        let width = (maximum - minimum) / (log2(Double(count)) + 1.0)
        guard width.isFinite else {
            // A span beyond the largest double (numpy fails here): the same number of bins, computed in halves.
            let binCount = Int((log2(Double(count)) + 1.0).rounded(.up))
            let halfStep = (last / 2 - first / 2) / Double(binCount)
            var edges = (0...binCount).map { first + Double($0) * halfStep + Double($0) * halfStep }
            edges[binCount] = last
            return edges
        }
        let binCount = width != 0 ? Int(((last - first) / width).rounded(.up)) : 1
        let step = (last - first) / Double(binCount)
        var edges = (0...binCount).map { Double($0) * step + first }
        edges[binCount] = last
        return edges
    }

    /// `numpy.histogram(values, edges)[0]` for an ascending sample: counts in [eᵢ, eᵢ₊₁), the last bin closed.
    public static func histogram(sorted values: [Double], edges: [Double]) -> [Int] {
        let bounds = values.withUnsafeBufferPointer { sorted in
            edges.enumerated().map { index, edge in
                index == edges.count - 1
                    ? upperBound(values, edge) : PopulationStabilityIndex.binIndex(of: edge, edges: sorted)
            }
        }
        return (0..<(edges.count - 1)).map { bounds[$0 + 1] - bounds[$0] }
    }

    /// Number of distinct values in an ascending sample, counting no further than `limit`.
    public static func distinctCount(sorted values: [Double], atMost limit: Int) -> Int {
        var count = 0
        var index = 0
        while index < values.count && count < limit {
            let value = values[index]
            count += 1
            index = upperBound(values, value)
        }
        return count
    }

    /// First index whose value is > `value` (`searchsorted(side='right')`).
    static func upperBound(_ values: [Double], _ value: Double) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) >> 1
            if values[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
