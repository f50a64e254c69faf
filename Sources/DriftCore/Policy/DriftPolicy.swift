import DriftStats

/// What turns window statistics into actions: a decision mode for each feature's verdict (see
/// `DriftDecision`), rules (see PolicyRule) over those verdicts and other feature and window statistics, a
/// multiple-testing correction for p-values across a window's features, and a minimum window size below which
/// a window is reported as insufficient and nothing is evaluated.
///
/// Without explicit `rules`, one rule named `feature-drift` applies: it fires, alerting at severity warning and
/// requesting retraining, when at least `minimumDriftedFeatures` features drift by the decision mode.
public struct DriftPolicy: Sendable, Equatable {
    public var decision = DriftDecision()
    public var minimumDriftedFeatures: Int = 1
    public var correction = MultipleTesting.Method.none
    /// `compare`: the files drift when at least this share of the columns with a verdict drift (Evidently's
    /// `drift_share`).
    public var datasetDriftShare = 0.5
    /// Explicit rules; nil for the default `feature-drift` rule.
    public var rules: [PolicyRule]?

    public init() {}

    /// The smallest window (and, per feature, the fewest values) that gets a verdict: `drift.min_window_events`,
    /// shared with `compare`'s minimum sample size.
    public var minimumWindowEvents: Int {
        get { decision.minimumValues }
        set { decision.minimumValues = newValue }
    }

    /// The `thresholds` mode's PSI threshold.
    public var psiThreshold: Double {
        get { decision.psiThreshold }
        set { decision.psiThreshold = newValue }
    }

    /// The `thresholds` mode's KS statistic threshold.
    public var ksStatisticThreshold: Double {
        get { decision.ksStatisticThreshold }
        set { decision.ksStatisticThreshold = newValue }
    }

    public var effectiveRules: [PolicyRule] {
        if let rules { return rules }
        var rule = PolicyRule(name: "feature-drift", conditions: [.init(.drift, above: 1)])
        rule.minimumFeatures = minimumDriftedFeatures
        rule.retrain = true
        return [rule]
    }
}
