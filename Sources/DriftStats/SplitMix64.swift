#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast, seedable generator with the distributions Driftwatch
/// samples from, so demo traffic, sampling and tests are reproducible. Not for cryptography.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1): never exactly 0, so logarithms stay finite.
    public mutating func unit() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0 }

    public mutating func normal(mean: Double, sd: Double) -> Double {
        mean + sd * (-2 * log(unit())).squareRoot() * cos(2 * .pi * unit())  // Box–Muller
    }

    public mutating func logNormal(mu: Double, sigma: Double) -> Double { exp(normal(mean: mu, sd: sigma)) }

    public mutating func exponential(mean: Double) -> Double { -mean * log(unit()) }

    /// Knuth's multiplication method; fine for the small means the demo uses.
    public mutating func poisson(mean: Double) -> Int {
        let limit = exp(-mean)
        var product = unit()
        var count = 0
        while product > limit {
            product *= unit()
            count += 1
        }
        return count
    }

    public mutating func pick<T>(_ weighted: [(T, Double)]) -> T {
        var target = unit() * weighted.reduce(0) { $0 + $1.1 }
        for (value, weight) in weighted {
            target -= weight
            if target <= 0 { return value }
        }
        return weighted[weighted.count - 1].0
    }
}
