/// Quantiles of sorted samples.
public enum Quantile {
    /// The `q`-quantile (0 ≤ q ≤ 1) of an ascending, non-empty sample by linear interpolation between
    /// closest ranks: Hyndman & Fan type 7, the default of `numpy.quantile` (method='linear').
    public static func linear(sorted values: UnsafeBufferPointer<Double>, _ q: Double) -> Double {
        precondition(!values.isEmpty, "quantile of an empty sample")
        let position = q * Double(values.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, values.count - 1)
        let fraction = position - Double(lower)
        let difference = values[upper] - values[lower]
        guard difference.isFinite else {
            // Neighbours of opposite sign near ±1.8e308: their difference overflows, the weighted mean does not.
            return fraction == 0 ? values[lower] : values[lower] * (1 - fraction) + values[upper] * fraction
        }
        return values[lower] + difference * fraction
    }

    /// `linear(sorted:_:)` over an array.
    public static func linear(sorted values: [Double], _ q: Double) -> Double {
        values.withUnsafeBufferPointer { linear(sorted: $0, q) }
    }
}
