#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Population Stability Index between a reference and a current sample: Σ (r − c)·ln(r / c) over bin shares.
/// Two named conventions decide the bins and the treatment of empty bins:
///
/// - `reference-quantiles` (Driftwatch's default): inner edges are the reference's quantiles at i/bins
///   (numpy's linear method), the outer bins are open so every current value counts, a value equal to an
///   edge belongs to the bin below it, and an empty bin's share is floored at 0.0001.
/// - `evidently`: Evidently 0.7's `psi` stattest. Numeric data whose reference has more than 20 distinct
///   values get Sturges equal-width bins over both samples (`numpy.histogram_bin_edges(…, 'sturges')`, counted
///   as `numpy.histogram`); otherwise one bin per distinct value. Zero shares become 0.0001, or the smallest
///   non-zero share / 10⁶ when that is ≤ 0.0001, separately for each side.
public enum PopulationStabilityIndex {
    public enum Convention: String, Sendable, CaseIterable {
        case referenceQuantiles = "reference-quantiles"
        case evidently
    }

    public static let defaultBins = 10
    public static let defaultZeroShareFloor = 0.0001

    public struct Result: Sendable, Equatable {
        public var value: Double
        public var convention: Convention
        public var bins: Int
    }

    /// PSI of two ascending, non-empty numeric samples under `convention`.
    public static func numeric(
        sortedReference reference: [Double], sortedCurrent current: [Double], convention: Convention,
        bins: Int = defaultBins
    ) -> Result {
        switch convention {
        case .referenceQuantiles:
            let edges = referenceQuantileEdges(sortedReference: reference, bins: bins)
            let value = value(
                referenceCounts: binCounts(reference, edges: edges), currentCounts: binCounts(current, edges: edges))
            return Result(value: value, convention: convention, bins: edges.count + 1)
        case .evidently:
            let shares = EvidentlyBinning.shares(sortedReference: reference, sortedCurrent: current)
            let value = value(
                referenceShares: EvidentlyBinning.floorZeroShares(shares.reference),
                currentShares: EvidentlyBinning.floorZeroShares(shares.current))
            return Result(value: value, convention: convention, bins: shares.reference.count)
        }
    }

    /// The inner bin edges (bins − 1 of them) from an ascending reference sample.
    public static func referenceQuantileEdges(sortedReference: [Double], bins: Int = defaultBins) -> [Double] {
        precondition(bins >= 2, "PSI needs at least two bins")
        precondition(!sortedReference.isEmpty, "PSI needs a non-empty reference")
        return sortedReference.withUnsafeBufferPointer { sorted in
            (1..<bins).map { Quantile.linear(sorted: sorted, Double($0) / Double(bins)) }
        }
    }

    /// Counts of `values` in the bins the inner `edges` define (edges.count + 1 bins). Up to 15 edges (16 bins)
    /// take a branch-free SIMD path: comparing the value with the edges (padded with +∞) in two 8-lane vectors
    /// counts the edges below it; more edges use a binary search. Both give the bin `binIndex(of:edges:)` defines.
    public static func binCounts(_ values: [Double], edges: [Double]) -> [Int] {
        if edges.count <= 15 { return simdBinCounts(values, edges: edges) }
        var counts = [Int](repeating: 0, count: edges.count + 1)
        edges.withUnsafeBufferPointer { edges in
            for value in values {
                counts[binIndex(of: value, edges: edges)] += 1
            }
        }
        return counts
    }

    private static func simdBinCounts(_ values: [Double], edges: [Double]) -> [Int] {
        // Two SIMD8 halves: on Linux x86-64 a SIMD16<Double> comparison is lowered ~70x slower than two SIMD8.
        var low = SIMD8<Double>(repeating: .infinity)
        var high = SIMD8<Double>(repeating: .infinity)
        for (index, edge) in edges.enumerated() {
            if index < 8 { low[index] = edge } else { high[index - 8] = edge }
        }
        var counts = [Int](repeating: 0, count: edges.count + 1)
        values.withUnsafeBufferPointer { values in
            counts.withUnsafeMutableBufferPointer { counts in
                for value in values {
                    let splat = SIMD8<Double>(repeating: value)
                    // Each lane of a comparison mask is −1 (all bits set) where an edge is below the value.
                    let below =
                        unsafeBitCast(low .< splat, to: SIMD8<Int64>.self)
                        &+ unsafeBitCast(high .< splat, to: SIMD8<Int64>.self)
                    counts[Int(truncatingIfNeeded: 0 &- below.wrappedSum())] += 1
                }
            }
        }
        return counts
    }

    /// The index of the bin holding `value`: the number of edges strictly below it (binary search).
    @inlinable
    public static func binIndex(of value: Double, edges: UnsafeBufferPointer<Double>) -> Int {
        var low = 0
        var high = edges.count
        while low < high {
            let middle = (low + high) >> 1
            if edges[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// PSI from bin counts of the same bins, empty bins given the share `zeroShareFloor` (`reference-quantiles`).
    public static func value(
        referenceCounts: [Int], currentCounts: [Int], zeroShareFloor: Double = defaultZeroShareFloor
    )
        -> Double
    {
        precondition(referenceCounts.count == currentCounts.count, "PSI needs the same bins on both sides")
        let referenceTotal = Double(referenceCounts.reduce(0, +))
        let currentTotal = Double(currentCounts.reduce(0, +))
        precondition(referenceTotal > 0 && currentTotal > 0, "PSI needs non-empty samples")
        return value(
            referenceShares: referenceCounts.map { $0 == 0 ? zeroShareFloor : Double($0) / referenceTotal },
            currentShares: currentCounts.map { $0 == 0 ? zeroShareFloor : Double($0) / currentTotal })
    }

    /// Σ (r − c)·ln(r / c) over shares that are already free of zeros.
    public static func value(referenceShares: [Double], currentShares: [Double]) -> Double {
        precondition(referenceShares.count == currentShares.count, "PSI needs the same bins on both sides")
        var psi = 0.0
        for bin in referenceShares.indices {
            let r = referenceShares[bin]
            let c = currentShares[bin]
            psi += (r - c) * log(r / c)
        }
        return psi
    }
}
