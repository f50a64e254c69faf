#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Jensen–Shannon distance between two discrete distributions.
public enum JensenShannon {
    /// √((KL(p‖m) + KL(q‖m)) / 2) with m = (p + q)/2 and natural logarithms, after normalising p and q to sum
    /// to one: `scipy.spatial.distance.jensenshannon(p, q)`. p and q are counts or shares over the same bins.
    public static func distance(_ p: [Double], _ q: [Double]) -> Double {
        precondition(p.count == q.count && !p.isEmpty, "Jensen-Shannon needs two distributions over the same bins")
        let pTotal = p.reduce(0, +)
        let qTotal = q.reduce(0, +)
        var left = 0.0
        var right = 0.0
        for index in p.indices {
            let pi = p[index] / pTotal
            let qi = q[index] / qTotal
            let mi = (pi + qi) / 2
            left += relativeEntropy(pi, mi)
            right += relativeEntropy(qi, mi)
        }
        return ((left + right) / 2).squareRoot()
    }

    /// x·log(x/y), 0 when x = 0 (`scipy.special.rel_entr`).
    @inline(__always)
    static func relativeEntropy(_ x: Double, _ y: Double) -> Double {
        if x > 0 && y > 0 { return x * log(x / y) }
        if x == 0 && y >= 0 { return 0 }
        return .infinity
    }
}
