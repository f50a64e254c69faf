#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x), a > 0, x ≥ 0: the power series
/// for x < a + 1 and Lentz's continued fraction otherwise (Numerical Recipes §6.2; cephes `igam`/`igamc`
/// choose the same way), each with the prefactor xᵃe⁻ˣ/Γ(a) formed in log space.
public enum IncompleteGamma {
    public static func upperRegularized(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0, "incomplete gamma needs a > 0")
        if x <= 0 { return 1 }
        if x < a + 1 { return 1 - series(a, x) }
        return continuedFraction(a, x)
    }

    public static func lowerRegularized(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0, "incomplete gamma needs a > 0")
        if x <= 0 { return 0 }
        if x < a + 1 { return series(a, x) }
        return 1 - continuedFraction(a, x)
    }

    private static func prefactor(_ a: Double, _ x: Double) -> Double {
        exp(a * log(x) - x - lgamma(a))
    }

    /// P(a, x) = xᵃe⁻ˣ/Γ(a+1) · Σ xⁿ / ((a+1)…(a+n)).
    private static func series(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var denominator = a
        for _ in 0..<10_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * prefactor(a, x)
    }

    /// Q(a, x) by the continued fraction 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …))), modified Lentz.
    private static func continuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return prefactor(a, x) * h
    }
}
