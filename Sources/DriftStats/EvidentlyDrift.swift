/// Evidently 0.7's default drift decision for one column (`_get_default_stattest` in
/// `evidently/legacy/calculations/stattests/registry.py`, with each test's default threshold): with at most
/// 1 000 reference values, Kolmogorov–Smirnov (numeric, p ≤ 0.05), χ² (p < 0.05) or, for two values, the
/// two-proportion Z-test (p < 0.05); above that, normed Wasserstein (numeric, ≥ 0.1) or Jensen–Shannon
/// (≥ 0.1). Numeric columns with at most five distinct values in both samples together take the categorical
/// tests. Integer columns with at most ten distinct values are categorical (`INTEGER_CARDINALITY_LIMIT`).
public enum EvidentlyDrift {
    public struct Decision: Sendable, Equatable {
        /// Evidently's stattest name: `ks`, `chisquare`, `z`, `wasserstein` or `jensenshannon`.
        public var test: String
        /// The p-value or distance the test compares with its threshold.
        public var score: Double
        public var threshold: Double
        /// True when the score is a p-value (drift below the threshold), false for a distance (drift at or above).
        public var isPValue: Bool
        public var drifted: Bool
    }

    /// Reference sizes up to this get statistical tests, larger ones distances.
    public static let largestReferenceForTests = 1_000
    public static let pValueThreshold = 0.05
    public static let distanceThreshold = 0.1
    /// Integer columns with at most this many distinct reference values are categorical.
    public static let integerCardinalityLimit = 10

    /// Whether Evidently types an ascending numeric reference sample as categorical: integers only, at most ten
    /// distinct values (pandas reads such a CSV column as int64 when no cell is missing).
    public static func isCategorical(sortedReference reference: [Double]) -> Bool {
        reference.allSatisfy { $0 == $0.rounded(.towardZero) && abs($0) < 9.2e18 }
            && EvidentlyBinning.distinctCount(sorted: reference, atMost: integerCardinalityLimit + 1)
                <= integerCardinalityLimit
    }

    /// A numeric column (both samples ascending, non-empty). `categorical` types it as categorical (see
    /// `isCategorical`); its values are then the categories.
    public static func numeric(sortedReference reference: [Double], sortedCurrent current: [Double], categorical: Bool)
        -> Decision
    {
        let counts = EvidentlyBinning.valueCounts(sortedReference: reference, sortedCurrent: current)
        if categorical || counts.values.count <= 5 {
            return categories(
                reference: counts.reference, current: counts.current,
                jensenShannon: {
                    let shares = EvidentlyBinning.shares(sortedReference: reference, sortedCurrent: current)
                    return JensenShannon.distance(shares.reference, shares.current)
                })
        }
        if reference.count <= largestReferenceForTests {
            let p = KolmogorovSmirnov.test(sorted: reference, current).pValue
            return Decision(
                test: "ks", score: p, threshold: pValueThreshold, isPValue: true, drifted: p <= pValueThreshold)
        }
        let distance = Wasserstein.normalizedDistance(sortedReference: reference, sortedCurrent: current)
        return Decision(
            test: "wasserstein", score: distance, threshold: distanceThreshold, isPValue: false,
            drifted: distance >= distanceThreshold)
    }

    /// A categorical column, from both samples' non-empty category counts.
    public static func categorical(reference: CategoryCounts, current: CategoryCounts) -> Decision {
        let keys = reference.categories.union(current.categories).sorted()
        return categories(
            reference: keys.map { reference[$0] }, current: keys.map { current[$0] },
            jensenShannon: {
                JensenShannon.distance(
                    keys.map { Double(reference[$0]) / Double(reference.total) },
                    keys.map { Double(current[$0]) / Double(current.total) })
            })
    }

    /// The categorical branch over counts of the same ordered keys (each present in one sample at least).
    private static func categories(reference: [Int], current: [Int], jensenShannon: () -> Double)
        -> Decision
    {
        let (n1, n2) = (reference.reduce(0, +), current.reduce(0, +))
        if n1 > largestReferenceForTests {
            let distance = jensenShannon()
            return Decision(
                test: "jensenshannon", score: distance, threshold: distanceThreshold, isPValue: false,
                drifted: distance >= distanceThreshold)
        }
        let p: Double
        let test: String
        if reference.count > 2 {
            let scale = Double(n2) / Double(n1)
            test = "chisquare"
            p =
                ChiSquared.test(observed: current.map(Double.init), expected: reference.map { Double($0) * scale })
                .pValue
        } else if reference.count == 1 {
            test = "z"
            p = 1  // one value in both samples
        } else {
            // The first (smallest) key is 0, the other 1; the Z-test counts the ones.
            test = "z"
            p = ProportionsZTest.pValue(successes: reference[1], of: n1, current[1], of: n2)
        }
        return Decision(test: test, score: p, threshold: pValueThreshold, isPValue: true, drifted: p < pValueThreshold)
    }
}
