#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Pearson's chi-squared goodness-of-fit test and the chi-squared distribution.
public enum ChiSquared {
    public struct Result: Sendable, Equatable {
        public var statistic: Double
        public var pValue: Double
        public var degreesOfFreedom: Int

        /// The statistic, or nil where it is infinite (a category the expected counts never had).
        public var finiteStatistic: Double? { statistic.isFinite ? statistic : nil }
        /// The p-value, or nil where it is undefined (a single category).
        public var definedPValue: Double? { pValue.isNaN ? nil : pValue }
    }

    /// Σ (observed − expected)² / expected with k − 1 degrees of freedom and its upper-tail p-value, as
    /// `scipy.stats.chisquare(observed, expected)`. An expected count of zero with an observed count above it
    /// gives an infinite statistic and p = 0; a single category gives p = NaN (no degrees of freedom).
    public static func test(observed: [Double], expected: [Double]) -> Result {
        precondition(
            observed.count == expected.count && !observed.isEmpty, "chi-squared needs matching, non-empty counts")
        var statistic = 0.0
        for index in observed.indices {
            let difference = observed[index] - expected[index]
            statistic += difference * difference / expected[index]
        }
        let freedom = observed.count - 1
        return Result(
            statistic: statistic, pValue: survival(statistic, degreesOfFreedom: freedom), degreesOfFreedom: freedom)
    }

    /// Pr(X > x) for X ~ χ²(k): the regularized upper incomplete gamma Q(k/2, x/2) (`scipy.stats.chi2.sf`).
    public static func survival(_ x: Double, degreesOfFreedom k: Int) -> Double {
        if x.isNaN { return .nan }
        if k <= 0 { return .nan }  // one category: no degrees of freedom, undefined (NaN) as in scipy
        if x <= 0 { return 1 }
        if x.isInfinite { return 0 }
        return IncompleteGamma.upperRegularized(Double(k) / 2, x / 2)
    }
}

extension ChiSquared {
    /// Pearson's χ² test of homogeneity of two samples' category counts (a 2 × k contingency table), as
    /// `scipy.stats.chi2_contingency(table, correction=False)`, on a table whose sparse columns are pooled first
    /// so that the χ² approximation holds at small sizes (Cochran's rule: every expected count ≥ 5). Columns with
    /// an expected count below 5 in either row go into one pooled column; while that column's own expected
    /// count is below 5, the smallest remaining column (by total, then position) joins it. Nil when fewer than two
    /// columns remain: the samples are too small to test.
    ///
    /// Returns the pooled table's result and its column count.
    public static func homogeneity(_ first: [Int], _ second: [Int]) -> (result: Result, columns: Int)? {
        precondition(first.count == second.count, "homogeneity needs counts of the same categories")
        let (n1, n2) = (Double(first.reduce(0, +)), Double(second.reduce(0, +)))
        guard n1 > 0 && n2 > 0 else { return nil }
        let total = n1 + n2
        let columnTotals = zip(first, second).map { Double($0 + $1) }
        func sparse(_ columnTotal: Double) -> Bool { Swift.min(n1, n2) * columnTotal / total < 5 }
        var kept = first.indices.filter { columnTotals[$0] > 0 && !sparse(columnTotals[$0]) }
        var pooled = first.indices.filter { columnTotals[$0] > 0 && sparse(columnTotals[$0]) }
        while !pooled.isEmpty && sparse(pooled.reduce(0) { $0 + columnTotals[$1] }) && !kept.isEmpty {
            let smallest = kept.indices.min { columnTotals[kept[$0]] < columnTotals[kept[$1]] }!
            pooled.append(kept.remove(at: smallest))
        }
        var columns = kept.map { (Double(first[$0]), Double(second[$0])) }
        if !pooled.isEmpty {
            columns.append(pooled.reduce((0.0, 0.0)) { ($0.0 + Double(first[$1]), $0.1 + Double(second[$1])) })
        }
        guard columns.count >= 2 else { return nil }
        var statistic = 0.0
        for (a, b) in columns {
            let column = a + b
            let (expectedA, expectedB) = (n1 * column / total, n2 * column / total)
            statistic += (a - expectedA) * (a - expectedA) / expectedA + (b - expectedB) * (b - expectedB) / expectedB
        }
        let freedom = columns.count - 1
        return (
            Result(
                statistic: statistic, pValue: survival(statistic, degreesOfFreedom: freedom), degreesOfFreedom: freedom),
            columns.count
        )
    }
}
