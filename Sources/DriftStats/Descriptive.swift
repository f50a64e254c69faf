/// Descriptive statistics of a numeric sample, NaN-free (missing values are counted by the caller).
public enum Descriptive {
    public struct Summary: Sendable, Equatable {
        public var count: Int
        public var mean: Double
        /// Population standard deviation (ddof = 0), as `numpy.std`.
        public var standardDeviation: Double
        public var minimum: Double
        public var maximum: Double
        /// Quantiles at 0.25, 0.5 and 0.75 by `numpy.quantile`'s linear method.
        public var quartiles: (Double, Double, Double)

        public static func == (lhs: Summary, rhs: Summary) -> Bool {
            lhs.count == rhs.count && lhs.mean == rhs.mean && lhs.standardDeviation == rhs.standardDeviation
                && lhs.minimum == rhs.minimum && lhs.maximum == rhs.maximum && lhs.quartiles == rhs.quartiles
        }
    }

    /// Count, mean, standard deviation, extremes and quartiles of an ascending, non-empty sample.
    public static func summary(sorted values: [Double]) -> Summary {
        precondition(!values.isEmpty, "summary of an empty sample")
        return Summary(
            count: values.count, mean: mean(values), standardDeviation: standardDeviation(values),
            minimum: values[0], maximum: values[values.count - 1],
            quartiles: (
                Quantile.linear(sorted: values, 0.25), Quantile.linear(sorted: values, 0.5),
                Quantile.linear(sorted: values, 0.75)
            ))
    }

    /// Arithmetic mean by pairwise summation (`numpy.mean`'s accuracy: error grows with log n, not n).
    public static func mean(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { pairwiseSum($0) } / Double(values.count)
    }

    /// Population standard deviation √(Σ(x − mean)²/n), two-pass like `numpy.std`.
    public static func standardDeviation(_ values: [Double]) -> Double {
        let center = mean(values)
        let squares = values.map { ($0 - center) * ($0 - center) }
        return (squares.withUnsafeBufferPointer { pairwiseSum($0) } / Double(values.count)).squareRoot()
    }

    /// Pairwise (cascade) summation in blocks of 128, as numpy sums float64 arrays.
    public static func pairwiseSum(_ values: UnsafeBufferPointer<Double>) -> Double {
        if values.count <= 128 {
            var accumulators = SIMD8<Double>()
            var index = 0
            while index + 8 <= values.count {
                accumulators += SIMD8(values[(index)..<(index + 8)])
                index += 8
            }
            var total = accumulators.sum()
            while index < values.count {
                total += values[index]
                index += 1
            }
            return total
        }
        let half = (values.count / 2) & ~7
        return pairwiseSum(UnsafeBufferPointer(rebasing: values[..<half]))
            + pairwiseSum(UnsafeBufferPointer(rebasing: values[half...]))
    }
}
