/// The two-sample Kolmogorov–Smirnov test, two-sided, matching `scipy.stats.ks_2samp(method='auto')`
/// (scipy 1.17): the exact null distribution when max(n₁, n₂) ≤ 10 000, otherwise the asymptotic one,
/// `kstwo` with n = round(n₁n₂/(n₁+n₂)). Ties are handled as scipy handles them: the empirical CDFs are
/// evaluated at every observed value with equal values stepping together.
public enum KolmogorovSmirnov {
    /// Largest sample size for which `test` uses the exact distribution (scipy's `MAX_AUTO_N`).
    public static let maximumExactSize = 10_000

    /// How the p-value is computed, named as scipy names `ks_2samp`'s `method`: `auto` is exact when
    /// max(n₁, n₂) ≤ 10 000 and asymptotic otherwise; `exact` always tries the exact distribution (asymptotic
    /// when lcm(n₁, n₂) would overflow scipy's int32 lattice, or the computation fails, as scipy falls back);
    /// `asymp` always uses `kstwo` with n = round(n₁n₂/(n₁+n₂)), on the unrounded statistic.
    public enum PValueMethod: String, Sendable, CaseIterable, Codable {
        case auto, exact, asymp
    }

    public struct Result: Sendable, Equatable {
        public enum Method: String, Sendable {
            case exact
            case asymptotic
        }

        /// D, as scipy reports it: in exact mode rounded to the lattice h / lcm(n₁, n₂).
        public var statistic: Double
        public var pValue: Double
        public var method: Method
    }

    /// The two-sided statistic D = sup |F₁(x) − F₂(x)| of two ascending, non-empty samples.
    ///
    /// The walk through the merged samples is branch-free: at each distinct value it keeps the extremes of the
    /// exact integer gap i·n₂ − j·n₁ (i, j = values ≤ x in each sample), and D is evaluated once, at the winning
    /// position, as scipy evaluates it there: |i/n₁ − j/n₂| in floating point.
    public static func statistic(sorted first: [Double], _ second: [Double]) -> Double {
        precondition(!first.isEmpty && !second.isEmpty, "KS needs two non-empty samples")
        let n1 = first.count
        let n2 = second.count
        let (i, j) = first.withUnsafeBufferPointer { a in
            second.withUnsafeBufferPointer { b in
                var i = 0
                var j = 0
                var x = a[0]
                var y = b[0]
                var best = 0
                var bestI = 0
                var bestJ = 0
                for _ in 0..<(n1 + n2) {
                    let takeFirst = x <= y
                    let value = takeFirst ? x : y
                    i &+= takeFirst ? 1 : 0
                    j &+= takeFirst ? 0 : 1
                    x = i < n1 ? a[i] : .infinity
                    y = j < n2 ? b[j] : .infinity
                    // Only where the next value differs have all ties of `value` been counted on both sides.
                    let gap = i &* n2 &- j &* n1
                    let magnitude = gap < 0 ? 0 &- gap : gap
                    let better = Swift.min(x, y) != value && magnitude > best
                    best = better ? magnitude : best
                    bestI = better ? i : bestI
                    bestJ = better ? j : bestJ
                }
                return (bestI, bestJ)
            }
        }
        return abs(Double(i) / Double(n1) - Double(j) / Double(n2))
    }

    /// Statistic and two-sided p-value of two non-empty samples in any order (NaN-free). Both are radix-sorted
    /// together, so the statistic is one pass over the merged order rather than a merge.
    public static func test(_ first: [Double], _ second: [Double], method: PValueMethod = .auto) -> Result {
        precondition(!first.isEmpty && !second.isEmpty, "KS needs two non-empty samples")
        let (keys, fromFirst) = RadixSort.mergedKeys(first, second)
        let n1 = first.count
        let n2 = second.count
        var i = 0
        var j = 0
        var best = 0
        var bestI = 0
        var bestJ = 0
        keys.withUnsafeBufferPointer { keys in
            fromFirst.withUnsafeBufferPointer { tags in
                for index in 0..<keys.count {
                    let tag = Int(tags[index])
                    i &+= tag
                    j &+= 1 &- tag
                    // Evaluate only after the last of a run of equal values.
                    let boundary = index == keys.count - 1 || keys[index + 1] != keys[index]
                    let gap = i &* n2 &- j &* n1
                    let magnitude = gap < 0 ? 0 &- gap : gap
                    let better = boundary && magnitude > best
                    best = better ? magnitude : best
                    bestI = better ? i : bestI
                    bestJ = better ? j : bestJ
                }
            }
        }
        return result(statistic: abs(Double(bestI) / Double(n1) - Double(bestJ) / Double(n2)), n1, n2, method)
    }

    /// Statistic and two-sided p-value of two ascending, non-empty samples.
    public static func test(sorted first: [Double], _ second: [Double], method: PValueMethod = .auto) -> Result {
        result(statistic: statistic(sorted: first, second), first.count, second.count, method)
    }

    /// The p-value of statistic `d` for sizes n₁ and n₂ by `method`, as scipy chooses and falls back.
    private static func result(statistic raw: Double, _ n1: Int, _ n2: Int, _ method: PValueMethod) -> Result {
        var d = raw
        let g = gcd(n1, n2)
        let exact =
            switch method {
            case .auto: Swift.max(n1, n2) <= maximumExactSize
            case .exact: Double(n1 / g) < Double(Int32.max) / Double(n2 / g)
            case .asymp: false
            }
        if exact {
            let lcm = (n1 / g) * n2
            let h = Int((d * Double(lcm)).rounded(.toNearestOrEven))
            d = Double(h) / Double(lcm)
            if h == 0 { return Result(statistic: d, pValue: 1, method: .exact) }
            let p =
                n1 == n2
                ? probabilityOutsideSquare(n: n1, h: h)
                : probabilityOutsideBand(m: n1, n: n2, g: g, h: h)
            if p >= 0 && p <= 1 { return Result(statistic: d, pValue: p, method: .exact) }
            // As scipy: a failed exact computation falls back to the asymptotic distribution.
        }
        let (large, small) = (Double(Swift.max(n1, n2)), Double(Swift.min(n1, n2)))
        let effective = Int((large * small / (large + small)).rounded(.toNearestOrEven))
        // scipy passes n = 0 on for one value a side (a NaN p-value); n = 1 keeps the result defined.
        let p = KolmogorovDistribution.survival(n: Swift.max(effective, 1), x: d)
        return Result(statistic: d, pValue: Swift.min(Swift.max(p, 0), 1), method: .asymptotic)
    }

    /// Pr(D ≥ h/n) for two samples of equal size n: 2·Σ (−1)^{k+1} C(2n, n−kh)/C(2n, n), evaluated in a
    /// nested (Horner-like) form that avoids the alternating sum's cancellation.
    static func probabilityOutsideSquare(n: Int, h: Int) -> Double {
        var p = 0.0
        var k = n / h
        while k >= 0 {
            var term = 1.0
            for j in 0..<h {
                term = Double(n - k * h - j) * term / Double(n + k * h + j + 1)
            }
            p = term * (1 - p)
            k -= 1
        }
        return 2 * p
    }

    /// Pr(D ≥ h/lcm) for sizes m ≠ n: the share of lattice paths from (0,0) to (m,n) that leave the band
    /// |x/m − y/n| < h/lcm(m,n), by Hodges' inside method (1958) with Viehmann's recursion for 1 − p
    /// (arXiv:2102.08037), as scipy's `_compute_outer_prob_inside_method` computes it.
    ///
    /// Column x (1…m) of the lattice is A(x, y) = (A(x−1, y)·x + A(x, y−1)·y) / (x + y) for y in the column's
    /// band, rows above a band hold 1, and p = A(m, top of its band). Each step waits on the division before
    /// it, so one column at a time runs at the divider's latency. Here eight columns (SIMD lanes) run at once as a
    /// wavefront: column x + k is at row y − k while column x is at row y, so each step of column x + k reads
    /// the row column x + k − 1 finished one step earlier. Every value is the same expression with the same
    /// operands as scipy's loop, so the result is bit for bit the one-column result.
    static func probabilityOutsideBand(m: Int, n: Int, g: Int, h: Int) -> Double {
        typealias Lanes = SIMD8<Double>
        let width = Lanes.scalarCount
        let (m, n) = m < n ? (n, m) : (m, n)
        let laneIndex = Lanes(0, 1, 2, 3, 4, 5, 6, 7)
        // The bands of columns x (one per lane): rows low..<high, scipy's minj and maxj. The operands are integers
        // (exact in a double), so each quotient is scipy's. It is rounded by the 1.5·2⁵² shift to the nearest
        // integer and a step back, exact at these magnitudes and lane-parallel (floor and ceil are libm calls).
        let (mg, ng, span) = (
            Lanes(repeating: Double(m / g)), Lanes(repeating: Double(n / g)), Lanes(repeating: Double(h))
        )
        let shift = Lanes(repeating: 6_755_399_441_055_744)
        func bands(_ x: Lanes) -> (low: Lanes, high: Lanes) {
            let below = (ng * x - span) / mg
            let above = (ng * x + span) / mg
            let (nearBelow, nearAbove) = ((below + shift) - shift, (above + shift) - shift)
            let low = nearBelow.replacing(with: nearBelow - 1, where: nearBelow .> below) + 1
            let high = nearAbove.replacing(with: nearAbove + 1, where: nearAbove .< above)
            return (
                low.clamped(lowerBound: .zero, upperBound: Lanes(repeating: Double(n))),
                pointwiseMin(high, Lanes(repeating: Double(n + 1)))
            )
        }
        // The newest value of each row, rows −width…n + width (the wavefront runs `width` rows past both ends;
        // rows above every band stay 1). Column 0 is 0 in its band.
        var column = [Double](repeating: 1, count: n + 1 + 2 * width)
        for y in 0..<Int(bands(.zero).high[0]) { column[y + width] = 0 }
        return column.withUnsafeMutableBufferPointer { buffer -> Double in
            let rows = buffer.baseAddress! + width
            var lastHigh = 0
            for first in Swift.stride(from: 1, through: m, by: width) {
                // Lane k is column first + k at row r − k in step r; lanes past column m are never in a band.
                let x = Lanes(repeating: Double(first)) + laneIndex
                let columns = Swift.min(width, m - first + 1)
                let isColumn = x .<= Lanes(repeating: Double(m))
                var (low, high) = bands(x)
                if any(isColumn .& (high .<= low)) { return 1 }
                lastHigh = Int(high[columns - 1])
                // Steps allIn..<allOut have every lane in its band (none, in a group with lanes past column m).
                let allIn = Int((low + laneIndex).replacing(with: -.infinity, where: .!isColumn).max())
                let allOut = columns < width ? allIn : Int((high + laneIndex).min())
                low.replace(with: .infinity, where: .!isColumn)
                high.replace(with: -.infinity, where: .!isColumn)
                let last = lastHigh - 1 + width - 1  // the last lane passes the top row on to memory
                let start = Int(low[0])
                var front = Front(
                    step: start, y: Lanes(repeating: Double(start)) - laneIndex,
                    value: Lanes(repeating: 1).replacing(with: 0, where: low .== 0), carried: Lanes(repeating: 1))
                // The steps where some lane is outside its band. Not inlined: twice inline, the unmasked loop's
                // registers spill.
                @inline(never) func maskedSteps(_ front: inout Front, through end: Int) {
                    while front.step <= end {
                        let previous = front.input(rows)
                        let next = (previous * x + front.value * front.y) / (x + front.y)
                        let inBand = (front.y .>= low) .& (front.y .< high)
                        front.value.replace(with: next, where: inBand)
                        front.carried = previous.replacing(with: next, where: inBand)
                        front.advance(rows)
                    }
                }
                maskedSteps(&front, through: Swift.min(allIn, allOut) - 1)
                while front.step < allOut {
                    front.value = (front.input(rows) * x + front.value * front.y) / (x + front.y)
                    front.carried = front.value
                    front.advance(rows)
                }
                maskedSteps(&front, through: last)
            }
            return rows[lastHigh - 1]
        }
    }

    /// The lattice wavefront of `probabilityOutsideBand` at one step: lane k is at row `step` − k.
    private struct Front {
        typealias Lanes = SIMD8<Double>
        var step: Int
        /// Each lane's row.
        var y: Lanes
        /// Each lane's newest value in its column.
        var value: Lanes
        /// Each lane's value at its row in the previous step: the next lane's input in this step.
        var carried: Lanes

        /// Each lane's left neighbour at its row: memory for lane 0, the lane below's carried value otherwise.
        @inline(__always)
        func input(_ rows: UnsafeMutablePointer<Double>) -> Lanes {
            Lanes(rows[step], carried[0], carried[1], carried[2], carried[3], carried[4], carried[5], carried[6])
        }

        /// Hands the last lane's value on to memory (the next group's lane 0 reads it) and moves a row up.
        @inline(__always)
        mutating func advance(_ rows: UnsafeMutablePointer<Double>) {
            rows[step - Lanes.scalarCount + 1] = carried[Lanes.scalarCount - 1]
            step += 1
            y += 1
        }
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
