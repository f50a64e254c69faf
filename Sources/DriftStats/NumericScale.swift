/// An exact power-of-two scale for samples whose magnitudes reach beyond 2⁵⁰⁰, where a range, a variance or an
/// area between distributions could overflow to infinity (and a ratio of two to NaN). Values are divided by
/// `factor` for the computation and distances multiplied back. Dividing by a power of two is exact for such
/// values, so ranks (KS), shares (PSI, Jensen–Shannon) and normed distances do not change.
public struct NumericScale: Sendable, Equatable {
    /// 1 for samples within ±2⁵⁰⁰ (nearly always).
    public let factor: Double
    /// The largest magnitude of both samples.
    public let largest: Double

    /// The scale for two ascending samples (their ends hold the largest magnitudes).
    public init(sorted first: [Double], _ second: [Double]) {
        var largest = 0.0
        for sample in [first, second] where !sample.isEmpty {
            largest = Swift.max(largest, Swift.abs(sample[0]), Swift.abs(sample[sample.count - 1]))
        }
        self.largest = largest
        factor =
            largest.isFinite && largest.exponent > 500
            ? Double(sign: .plus, exponent: largest.exponent - 500, significand: 1) : 1
    }

    public func apply(_ values: [Double]) -> [Double] {
        factor == 1 ? values : values.map { $0 / factor }
    }
}
