/// The first Wasserstein (earth mover's) distance between two one-dimensional samples.
public enum Wasserstein {
    /// W₁ = ∫ |F₁(x) − F₂(x)| dx over the merged sorted values of two ascending, non-empty samples, as
    /// `scipy.stats.wasserstein_distance(u, v)` computes it.
    public static func distance(sorted first: [Double], _ second: [Double]) -> Double {
        precondition(!first.isEmpty && !second.isEmpty, "Wasserstein needs two non-empty samples")
        let n1 = Double(first.count)
        let n2 = Double(second.count)
        var i = 0
        var j = 0
        var total = 0.0
        var value = Swift.min(first[0], second[0])
        while i < first.count || j < second.count {
            while i < first.count && first[i] == value { i += 1 }
            while j < second.count && second[j] == value { j += 1 }
            guard i < first.count || j < second.count else { break }
            let next = Swift.min(i < first.count ? first[i] : .infinity, j < second.count ? second[j] : .infinity)
            total += abs(Double(i) / n1 - Double(j) / n2) * (next - value)
            value = next
        }
        return total
    }

    /// ∫ √(F(x)(1 − F(x))) dx over the empirical CDF F of an ascending sample. Two independent samples of sizes
    /// m and n from F have E[W₁] ≈ √(2 / (π·mn/(m + n))) times this (the empirical process: F_m − F_n ≈ a
    /// Brownian bridge B(F(x)) / √(mn/(m+n)), and E|B(t)| = √(2t(1 − t)/π)): the distance sampling noise alone
    /// gives at those sizes.
    public static func noiseIntegral(sorted values: [Double]) -> Double {
        let n = Double(values.count)
        var total = 0.0
        for index in 0..<Swift.max(values.count - 1, 0) {
            let share = Double(index + 1) / n
            total += (share * (1 - share)).squareRoot() * (values[index + 1] - values[index])
        }
        return total
    }

    /// E[W₁] of two samples of sizes m and n drawn from the distribution whose `noiseIntegral` is given.
    public static func expectedNoise(noiseIntegral: Double, _ m: Int, _ n: Int) -> Double {
        let effective = Double(m) * Double(n) / Double(m + n)
        return (2 / (Double.pi * effective)).squareRoot() * noiseIntegral
    }

    /// W₁ divided by max(std(reference), 0.001) with the population standard deviation, Evidently's
    /// `wasserstein` stattest (`wasserstein_distance_norm`), so the score is in units of the reference spread.
    public static func normalizedDistance(sortedReference reference: [Double], sortedCurrent current: [Double])
        -> Double
    {
        let spread = Swift.max(Descriptive.standardDeviation(reference), 0.001)
        return distance(sorted: reference, current) / spread
    }
}
