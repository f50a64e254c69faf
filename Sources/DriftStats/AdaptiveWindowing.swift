#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// ADWIN, adaptive windowing (Bifet & Gavaldà, "Learning from time-changing data with adaptive windowing",
/// SDM 2007), with the defaults and arithmetic of River 0.26's `river.drift.ADWIN` (δ = 0.002, a check every
/// 32 values, at most 5 buckets per row, sub-windows of at least 5 values, no check before 10), so that the same
/// sequence is flagged at the same indices. The window is kept as rows of buckets, row i summarising 2^i values
/// each (total and variance, merged as Babcock et al. 2003); every `clock` values each cut into an older and a
/// newer part is tested, and while one shows |μ₀ − μ₁| > ε_cut the oldest bucket is dropped. As River does, the
/// detector starts afresh with the value after a detection.
public struct AdaptiveWindowing: Sendable, Equatable, Codable {
    /// One row: up to `maximumBuckets` + 1 buckets of 2^row values, oldest first.
    struct Row: Sendable, Equatable, Codable {
        var totals: [Double] = []
        var variances: [Double] = []
    }

    public var delta = 0.002
    public var clock = 32
    public var maximumBuckets = 5
    public var minimumWindowLength = 5.0
    public var gracePeriod = 10.0

    private var total = 0.0
    private var variance = 0.0
    private var width = 0.0
    private var tick = 0
    private var rows = [Row()]
    /// The previous value was a detection: the next one starts a new window.
    private var detected = false

    public init() {}

    /// Values in the current window.
    public var windowWidth: Int { Int(width) }

    /// Adds a value; true when it completes a detected change.
    public mutating func update(_ value: Double) -> Bool {
        if detected {
            let settings = (delta, clock, maximumBuckets, minimumWindowLength, gracePeriod)
            self = AdaptiveWindowing()
            (delta, clock, maximumBuckets, minimumWindowLength, gracePeriod) = settings
        }
        insert(value)
        detected = detectChange()
        return detected
    }

    private mutating func insert(_ value: Double) {
        rows[0].totals.append(value)
        rows[0].variances.append(0)
        width += 1
        if width > 1 {
            let difference = value - total / (width - 1)
            variance += (width - 1) * difference * difference / width
        }
        total += value
        compress()
    }

    /// Merges the two oldest buckets of every full row into one of the next row.
    private mutating func compress() {
        var row = 0
        while rows[row].totals.count == maximumBuckets + 1 {
            let size = Double(1 << row)
            let (t0, t1) = (rows[row].totals[0], rows[row].totals[1])
            let (mean0, mean1) = (t0 / size, t1 / size)
            let merged =
                rows[row].variances[0] + rows[row].variances[1] + size * 0.5 * (mean0 - mean1) * (mean0 - mean1)
            if row + 1 == rows.count { rows.append(Row()) }
            rows[row + 1].totals.append(t0 + t1)
            rows[row + 1].variances.append(merged)
            rows[row].totals.removeFirst(2)
            rows[row].variances.removeFirst(2)
            guard rows[row + 1].totals.count > maximumBuckets else { break }
            row += 1
        }
    }

    /// Drops the oldest bucket.
    private mutating func removeOldest() {
        let last = rows.count - 1
        let size = Double(1 << last)
        let (bucketTotal, bucketVariance) = (rows[last].totals[0], rows[last].variances[0])
        let bucketMean = bucketTotal / size
        width -= size
        total -= bucketTotal
        let windowMean = total / width
        variance -=
            bucketVariance + size * width * (bucketMean - windowMean) * (bucketMean - windowMean) / (size + width)
        rows[last].totals.removeFirst()
        rows[last].variances.removeFirst()
        if rows[last].totals.isEmpty { rows.removeLast() }
    }

    private mutating func detectChange() -> Bool {
        var change = false
        tick += 1
        guard tick % clock == 0 && width > gracePeriod else { return false }
        var shrinking = true
        while shrinking {
            shrinking = false
            var (n0, n1, u0, u1) = (0.0, width, 0.0, total)
            scan: for row in stride(from: rows.count - 1, through: 0, by: -1) {
                let size = Double(1 << row)
                let count = rows[row].totals.count
                for k in 0..<count {
                    n0 += size
                    n1 -= size
                    u0 += rows[row].totals[k]
                    u1 -= rows[row].totals[k]
                    if row == 0 && k == count - 1 { break scan }
                    let difference = u0 / n0 - u1 / n1
                    if n1 >= minimumWindowLength && n0 >= minimumWindowLength && cutHolds(n0, n1, difference) {
                        shrinking = true
                        change = true
                        if width > 0 {
                            removeOldest()
                            break scan
                        }
                    }
                }
            }
        }
        return change
    }

    /// |μ₀ − μ₁| > ε_cut with the window's variance (Bernstein bound, as River computes it).
    private func cutHolds(_ n0: Double, _ n1: Double, _ difference: Double) -> Bool {
        let deltaPrime = log(2 * log(width) / delta)
        let reciprocal = 1 / (n0 - minimumWindowLength + 1) + 1 / (n1 - minimumWindowLength + 1)
        let epsilon =
            (2 * reciprocal * (variance / width) * deltaPrime).squareRoot() + 2.0 / 3.0 * deltaPrime * reciprocal
        return abs(difference) > epsilon
    }
}
