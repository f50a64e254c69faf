import DriftStats

/// What turns window statistics into actions: rules (see PolicyRule) over feature and window statistics,
/// a multiple-testing correction for p-value conditions across a window's features, and a minimum window
/// size below which a window is reported as insufficient and nothing is evaluated.
///
/// Without explicit `rules`, one rule named `feature-drift` applies: a feature drifts when its PSI reaches
/// `psiThreshold` or (numeric) its KS statistic reaches `ksStatisticThreshold`; it fires, alerting at
/// severity warning and requesting retraining, when `minimumDriftedFeatures` features drift.
public struct DriftPolicy: Sendable, Equatable {
    public var psiThreshold: Double = 0.2
    public var ksStatisticThreshold: Double = 0.2
    public var minimumWindowEvents: Int = 100
    public var minimumDriftedFeatures: Int = 1
    public var correction = MultipleTesting.Method.none
    /// Explicit rules; nil for the default `feature-drift` rule.
    public var rules: [PolicyRule]?

    public init() {}

    public var effectiveRules: [PolicyRule] {
        if let rules { return rules }
        var rule = PolicyRule(
            name: "feature-drift", conditions: [.init(.psi, above: psiThreshold), .init(.ksStatistic, above: ksStatisticThreshold)])
        rule.minimumFeatures = minimumDriftedFeatures
        rule.retrain = true
        return [rule]
    }
}
