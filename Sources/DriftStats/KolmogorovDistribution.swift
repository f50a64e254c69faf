#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The distribution of the two-sided one-sample Kolmogorov–Smirnov statistic Dₙ, for finite n.
///
/// `survival(n:x:)` is Pr(Dₙ > x) as `scipy.stats.kstwo.sf(x, n)` computes it (scipy 1.17,
/// `scipy/stats/_ksstats.py`, after Simard & L'Ecuyer 2011): Ruben–Gambino closed forms near the ends,
/// 2·Smirnov's one-sided tail where it is exact or the tail is small, the Durbin matrix algorithm
/// (Marsaglia, Tsang & Wang 2003) or Pomeranz's recursion (1974) for small n, and the Pelz–Good expansion
/// (1976) for large n. The same method is chosen for the same (n, x) as scipy chooses.
public enum KolmogorovDistribution {
    private static let scale = 0x1p128
    private static let minimumLog = -745.1332191019412  // log of the smallest subnormal, cephes' MINLOG

    /// Pr(Dₙ > x), the p-value of an observed statistic x with sample size n (n ≥ 1).
    public static func survival(n: Int, x: Double) -> Double {
        precondition(n >= 1, "Kolmogorov distribution needs n >= 1")
        if x.isNaN { return .nan }
        if x >= 1 { return 0 }
        if x <= 0 { return 1 }
        let nd = Double(n)
        let t = nd * x
        if t <= 1 {  // Ruben–Gambino: 1/(2n) < x ≤ 1/n
            if t <= 0.5 { return 1 }
            let cdf: Double
            if n <= 140 {
                var product = 1.0
                for i in 1...n { product *= Double(i) * (1 / nd) * (2 * t - 1) }
                cdf = product
            } else {
                cdf = exp(logFactorialOverPower(n) + nd * log(2 * t - 1))
            }
            return clip(1 - cdf)
        }
        if t >= nd - 1 {  // Ruben–Gambino: x ≥ 1 − 1/n
            return clip(2 * pow(1 - x, nd))
        }
        if x >= 0.5 {  // the two one-sided tails cannot overlap: exactly twice Smirnov's
            return clip(2 * smirnovSurvival(n: n, x: x))
        }
        let nxSquared = t * x
        if n <= 140 {
            if nxSquared <= 0.754693 { return clip(1 - durbinMatrixCDF(n: n, d: x)) }
            if nxSquared <= 4 { return clip(1 - pomeranzCDF(n: n, x: x)) }
            return clip(2 * smirnovSurvival(n: n, x: x))
        }
        if nxSquared >= 370 { return 0 }
        if nxSquared >= 2.2 { return clip(2 * smirnovSurvival(n: n, x: x)) }
        let cdf: Double
        if n <= 100_000 && nd * pow(x, 1.5) <= 1.4 {
            cdf = durbinMatrixCDF(n: n, d: x)
        } else {
            cdf = pelzGoodCDF(n: n, x: x)
        }
        return clip(1 - cdf)
    }

    @inline(__always)
    private static func clip(_ p: Double) -> Double { min(max(p, 0), 1) }

    /// log(n! / nⁿ) by Stirling's series with n·log n removed up front (no cancellation).
    static func logFactorialOverPower(_ n: Int) -> Double {
        let coefficients = [
            -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
            8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
            -2.7777777777777777778e-3, 8.3333333333333333333e-2,
        ]
        let rn = 1 / Double(n)
        let u = rn / Double(n)
        var series = 0.0
        for c in coefficients { series = series * u + c }  // Horner, as numpy.polyval
        return log(Double(n)) / 2 - Double(n) + log(2 * Double.pi) / 2 + rn * series
    }

    /// Pr(Dₙ ≤ d) by the Durbin matrix algorithm in Marsaglia, Tsang & Wang's form: the (k, k) entry of
    /// Hⁿ · n!/nⁿ, with k = ⌈nd⌉, powers by squaring and explicit exponent bookkeeping against overflow.
    static func durbinMatrixCDF(n: Int, d: Double) -> Double {
        if d >= 1 { return 1 }
        let nd = Double(n) * d
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1
        var v = [Double](repeating: 0, count: m)
        var w = [Double](repeating: 0, count: m)
        var factorial = 1.0
        for j in 1...m {
            w[j - 1] = factorial
            factorial /= Double(j)
            v[j - 1] = (1 - pow(h, Double(j))) * factorial
        }
        let tail = pow(max(2 * h - 1, 0), Double(m)) - 2 * pow(h, Double(m))
        v[m - 1] = (1 + tail) * factorial
        var hMatrix = SquareMatrix(order: m)
        for i in 1..<m {
            for row in (i - 1)..<m { hMatrix[row, i] = w[row - i + 1] }
        }
        for row in 0..<m { hMatrix[row, 0] = v[row] }
        for column in 0..<m { hMatrix[m - 1, column] = v[m - 1 - column] }

        var power = SquareMatrix.identity(order: m)
        var exponent = 0
        var hExponent = 0
        var remaining = n
        while remaining > 0 {
            if remaining % 2 == 1 {
                power = power * hMatrix
                exponent += hExponent
            }
            hMatrix = hMatrix * hMatrix
            hExponent *= 2
            if abs(hMatrix[k - 1, k - 1]) > scale {
                hMatrix.scale(by: 1 / scale)
                hExponent += 128
            }
            remaining /= 2
        }
        var p = power[k - 1, k - 1]
        for i in 1...n {
            p = Double(i) * p / Double(n)
            if abs(p) < 1 / scale {
                p *= scale
                exponent -= 128
            }
        }
        return exponent == 0 ? p : scalbn(p, exponent)
    }

    /// Pr(Dₙ ≤ x) by Pomeranz's recursion over the 2n+2 crossings of the band, each step a convolution
    /// with a precomputed power series, rescaled against underflow.
    static func pomeranzCDF(n: Int, x: Double) -> Double {
        let t = Double(n) * x
        let ll = Int(t.rounded(.down))
        let f = t - Double(ll)
        let g = min(f, 1 - f)
        let ceilF = f > 0 ? 1 : 0
        let roundF = f > 0.5 ? 1 : 0
        let powers = 2 * (ll + 1)
        var gPower = [Double](repeating: 1, count: powers)  // (g/n)^m / m!
        var twoGPower = [Double](repeating: 1, count: powers)  // (2g/n)^m / m!
        var oneMinusTwoGPower = [Double](repeating: 1, count: powers)  // ((1−2g)/n)^m / m!
        let nd = Double(n)
        for m in 1..<powers {
            gPower[m] = gPower[m - 1] * (g / nd) / Double(m)
            twoGPower[m] = twoGPower[m - 1] * (2 * g / nd) / Double(m)
            oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * ((1 - 2 * g) / nd) / Double(m)
        }
        var v0 = [Double](repeating: 0, count: powers)
        var v1 = [Double](repeating: 0, count: powers)
        v1[0] = 1
        var v0Start = 0
        var v1Start = 0
        var exponent = 0
        var (j1, j2) = pomeranzBounds(row: 0, n: n, ll: ll, ceilF: ceilF, roundF: roundF)
        for i in 1..<(2 * n + 2) {
            let k1 = j1
            swap(&v0, &v1)
            swap(&v0Start, &v1Start)
            for index in v1.indices { v1[index] = 0 }
            (j1, j2) = pomeranzBounds(row: i, n: n, ll: ll, ceilF: ceilF, roundF: roundF)
            let series = (i == 1 || i == 2 * n + 1) ? gPower : (i % 2 == 1 ? twoGPower : oneMinusTwoGPower)
            let length = j2 - k1 + 1
            guard length > 0 else { continue }
            // conv = convolve(v0[k1 − v0Start ..< + length], series[..< length]); keep conv[j1 − k1 ..< j2 − k1 + 1].
            let base = k1 - v0Start
            let first = j1 - k1
            var maximum = 0.0
            for out in 0..<(j2 - j1 + 1) {
                let position = first + out
                var sum = 0.0
                for a in max(0, position - (length - 1))...min(position, length - 1) {
                    sum += v0[base + a] * series[position - a]
                }
                v1[out] = sum
                maximum = max(maximum, sum)
            }
            if maximum > 0 && maximum < 1 / scale {
                for index in v1.indices { v1[index] *= scale }
                exponent -= 128
            }
            v1Start = v0Start + j1 - k1
        }
        var answer = v1[n - v1Start]
        for m in 1...n {
            if abs(answer) > scale {
                answer /= scale
                exponent += 128
            }
            answer *= Double(m)
        }
        return exponent == 0 ? answer : scalbn(answer, exponent)
    }

    /// The column interval of row `row` in Pomeranz's recursion (0-based, clipped to 0 … n).
    private static func pomeranzBounds(row: Int, n: Int, ll: Int, ceilF: Int, roundF: Int) -> (Int, Int) {
        var j1: Int
        var j2: Int
        if row == 0 {
            (j1, j2) = (-ll - ceilF - 1, ll + ceilF - 1)
        } else {
            let half = (row + 1) / 2
            if (row + 1) % 2 == 0 {
                if half == n + 1 {
                    (j1, j2) = (n - ll - ceilF - 1, n + ll + ceilF - 1)
                } else {
                    (j1, j2) = (half - 1 - ll - roundF - 1, half + ll - 1 + ceilF - 1)
                }
            } else {
                (j1, j2) = (half - 1 - ll - 1, half + ll + roundF - 1)
            }
        }
        return (max(j1 + 2, 0), min(j2, n))
    }

    /// Pr(Dₙ ≤ x) by the Pelz–Good expansion K₀ + K₁/√n + K₂/n + K₃/n^{3/2} in its small-z theta-function form.
    static func pelzGoodCDF(n: Int, x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let z = Double(n).squareRoot() * x
        let z2 = z * z
        let z3 = z2 * z
        let z4 = z2 * z2
        let z6 = z4 * z2
        let pi2 = Double.pi * Double.pi
        let pi4 = pi2 * pi2
        let pi6 = pi4 * pi2
        let qLog = -pi2 / 8 / z2
        if qLog < -708 { return 0 }
        var q = exp(qLog)
        let k1a = -z2
        let k1b = pi2 / 4
        let k2a = 6 * z6 + 2 * z4
        let k2b = (2 * z4 - 5 * z2) * pi2 / 4
        let k2c = pi4 * (1 - 2 * z2) / 16
        let k3d = pi6 * (5 - 30 * z2) / 64
        let k3c = pi4 * (-60 * z2 + 212 * z4) / 16
        let k3b = pi2 * (135 * z4 - 96 * z6) / 4
        let k3a = -30 * z6 - 90 * pow(z, 8)
        var terms = (0.0, 0.0, 0.0, 0.0)
        let maxK = Int((16 * z / Double.pi).rounded(.up))
        if maxK >= 1 {
            for k in stride(from: maxK, through: 1, by: -1) {
                let m = Double(2 * k - 1)
                let m2 = m * m
                let m4 = m2 * m2
                let m6 = m4 * m2
                let qPower = pow(q, Double(8 * k))
                terms.0 = terms.0 * qPower + 1
                terms.1 = terms.1 * qPower + (k1a + k1b * m2)
                terms.2 = terms.2 * qPower + (k2a + k2b * m2 + k2c * m4)
                terms.3 = terms.3 * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6)
            }
        }
        let factor = q * (2 * Double.pi).squareRoot()
        terms.0 = terms.0 * factor / z
        terms.1 = terms.1 * factor / (6 * z4)
        terms.2 = terms.2 * factor / (72 * pow(z, 7))
        terms.3 = terms.3 * factor / (6480 * pow(z, 10))

        q = exp(-pi2 / 2 / z2)
        var k2Extra = 0.0
        var k3Extra = 0.0
        let sqrt3z = 3.0.squareRoot() * z
        if maxK >= 1 {
            for k in stride(from: maxK, through: 1, by: -1) {
                let kd = Double(k)
                let k2 = kd * kd
                let qPower = pow(q, k2)
                k2Extra += k2 * qPower
                let kPi = Double.pi * kd
                k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qPower
            }
        }
        terms.2 += k2Extra * pi2 * (2 * Double.pi).squareRoot() / (-36 * z3)
        terms.3 += k3Extra * pi2 * (2 * Double.pi).squareRoot() / (216 * z6)
        let nd = Double(n)
        return terms.0 + terms.1 / nd.squareRoot() + terms.2 / nd + terms.3 / pow(nd, 1.5)
    }

    /// Smirnov's one-sided tail Pr(Dₙ⁺ ≥ x) for 1/n < x < 1 − 1/n by the Birnbaum–Tingey sum
    /// x · Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (1 − x − v/n)^{n−v} (x + v/n)^{v−1}, whose terms are all positive, summed in
    /// log space until the rest cannot change the result (as `scipy.special.smirnov`, which uses
    /// double-double arithmetic; every term here is accurate to about 1e-11 relative for n ≤ 10⁶).
    static func smirnovSurvival(n: Int, x: Double) -> Double {
        if n == 1 { return x }
        if x <= 0 { return 1 }
        if x >= 1 { return 0 }
        let nd = Double(n)
        if -2 * nd * x * x < minimumLog { return 0 }
        let nx = nd * x
        var floorNX = Int(nx.rounded(.down))
        var alpha = nx - Double(floorNX)
        if alpha >= 1 {
            floorNX += 1
            alpha = 0
        }
        if floorNX == 0 || (floorNX == 1 && alpha == 0) {
            return 1 - x * pow(1 + x, nd - 1)
        }
        if floorNX >= n - 1 { return pow(1 - x, nd) }
        if n > 1_000_000 {  // scipy's approximation beyond SMIRNOV_MAX_COMPUTE_N
            let logP = -pow(6 * nx + 1, 2) / 18 / nd
            if logP < -M_LN2 { return exp(logP) }
            return 1 - (-expm1(logP))
        }
        var lastTerm = n - floorNX - (alpha == 0 ? 0 : 1)
        if alpha == 0 { lastTerm -= 1 }
        let termCount = lastTerm + 1
        // log C(n, v), accumulated with Neumaier's compensation: the dominant terms sit at v in the 10⁵ range
        // for large n, where a plain running sum of that size would drift by ~1e-8.
        var logBinomial = 0.0
        var logBinomialCompensation = 0.0
        var sum = 0.0
        for v in 0..<termCount {
            let vd = Double(v)
            let lower = ((nd - vd) - nx) / nd  // 1 − x − v/n
            let upper = (vd + nx) / nd  // x + v/n
            let logTerm = (logBinomial + logBinomialCompensation) + (nd - vd) * log(lower) + (vd - 1) * log(upper)
            let term = logTerm < minimumLog ? 0 : exp(logTerm)  // exp would underflow to 0 anyway
            sum += term
            if term != 0 {
                if 4 * Double(termCount - v) * term < Double.ulpOfOne * sum && v != termCount - 1 { break }
            } else if v > n / 2 {
                break
            }
            let step = log((nd - vd) / (vd + 1))
            let next = logBinomial + step
            logBinomialCompensation +=
                abs(logBinomial) >= abs(step)
                ? (logBinomial - next) + step : (step - next) + logBinomial
            logBinomial = next
        }
        return min(max(x * sum, 0), 1)
    }
}
