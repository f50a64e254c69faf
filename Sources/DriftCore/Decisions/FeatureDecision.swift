/// One feature's verdict under a decision mode, with the evidence it rests on: published in window reports
/// (`decision`) and in `compare`'s output. `score` is the tested p-value (after correction) or statistic and
/// `threshold` what it was compared with: a p-value drifts at or below it, a statistic at or above it.
public struct FeatureDecision: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case drift, ok
        /// Too few values for a verdict (below the minimum sample size, or too sparse to test).
        case tooFewValues = "too_few_values"
    }

    public var mode: DriftDecision.Mode
    public var status: Status
    /// The test or statistic that decided: `ks` or `chi2_homogeneity` (calibrated), `psi` or `ks_statistic`
    /// (thresholds), Evidently's stattest name (evidently).
    public var test: String?
    public var score: Double?
    public var threshold: Double?
    /// `below` when `score` is a p-value (drift at or below the threshold; Evidently's χ² and Z-test: strictly
    /// below), `above` when it is a statistic (drift at or above).
    public var comparison: String?
    /// Calibrated: the effect size that must reach `minimumEffect` (`wasserstein_normed_excess`, `jensen_shannon`).
    public var effect: String?
    public var effectValue: Double?
    public var minimumEffect: Double?
    /// Why there is no verdict, or why a significant result did not count.
    public var reason: String?

    public var drifted: Bool { status == .drift }

    public init(mode: DriftDecision.Mode, status: Status, reason: String? = nil) {
        self.mode = mode
        self.status = status
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case mode, status, test, score, threshold, comparison, effect
        case effectValue = "effect_value"
        case minimumEffect = "minimum_effect"
        case reason
    }

    /// Every key written, null where a value does not apply, so consumers see one shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mode, forKey: .mode)
        try container.encode(status, forKey: .status)
        try container.encode(test, forKey: .test)
        try container.encode(score, forKey: .score)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(comparison, forKey: .comparison)
        try container.encode(effect, forKey: .effect)
        try container.encode(effectValue, forKey: .effectValue)
        try container.encode(minimumEffect, forKey: .minimumEffect)
        try container.encode(reason, forKey: .reason)
    }
}
