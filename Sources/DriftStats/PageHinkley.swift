/// The two-sided Page–Hinkley test (Page, Biometrika 1954) for a change in the mean, with the defaults and
/// arithmetic of River 0.26's `river.drift.PageHinkley`: at least 30 values, δ = 0.005, λ = 50, a fading
/// factor α = 0.9999 on the cumulative deviations from the running mean. As River does, it starts afresh
/// with the value after a detection (and its decrease extreme starts at −1, as River's does).
public struct PageHinkley: Sendable, Equatable, Codable {
    public var minimumInstances = 30
    public var delta = 0.005
    public var threshold = 50.0
    public var alpha = 1 - 0.0001

    private var count = 0.0
    private var mean = 0.0
    private var sumIncrease = 0.0
    private var sumDecrease = 0.0
    private var minimumIncrease = Double.infinity
    private var maximumDecrease = -1.0
    private var detected = false

    public init() {}

    /// Adds a value; true when it completes a detected change.
    public mutating func update(_ value: Double) -> Bool {
        if detected {
            let settings = (minimumInstances, delta, threshold, alpha)
            self = PageHinkley()
            (minimumInstances, delta, threshold, alpha) = settings
        }
        count += 1
        mean += (1 / count) * (value - mean)
        let deviation = value - mean
        sumIncrease = alpha * sumIncrease + deviation - delta
        sumDecrease = alpha * sumDecrease + deviation + delta
        minimumIncrease = Swift.min(minimumIncrease, sumIncrease)
        maximumDecrease = Swift.max(maximumDecrease, sumDecrease)
        guard count >= Double(minimumInstances) else { return false }
        detected = sumIncrease - minimumIncrease > threshold || maximumDecrease - sumDecrease > threshold
        return detected
    }
}
