#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The two-sided two-proportion Z-test Evidently 0.7 runs on binary columns (`z` stattest,
/// `proportions_diff_z_test`): z = (p₁ − p₂) / √(P(1 − P)(1/n₁ + 1/n₂)) with the pooled share P, and
/// p = 2·(1 − Φ(|z|)), Φ evaluated as scipy's `ndtr` (cephes) evaluates it.
public enum ProportionsZTest {
    /// `successes` of `n` in each sample; both n > 0.
    public static func pValue(successes first: Int, of n1: Int, _ second: Int, of n2: Int) -> Double {
        precondition(n1 > 0 && n2 > 0, "the Z-test needs two non-empty samples")
        let p1 = Double(first) / Double(n1)
        let p2 = Double(second) / Double(n2)
        let pooled = (p1 * Double(n1) + p2 * Double(n2)) / Double(n1 + n2)
        let z = (p1 - p2) / (pooled * (1 - pooled) * (1.0 / Double(n1) + 1.0 / Double(n2))).squareRoot()
        return 2 * (1 - normalCDF(abs(z)))
    }

    /// Φ(x) as cephes `ndtr`: 0.5 + 0.5·erf(x/√2) near zero, erfc in the tails. NaN stays NaN.
    static func normalCDF(_ x: Double) -> Double {
        let t = x * 0.7071067811865476
        if abs(t) < 0.7071067811865476 { return 0.5 + 0.5 * erf(t) }
        let y = 0.5 * erfc(abs(t))
        return t > 0 ? 1 - y : y
    }
}
