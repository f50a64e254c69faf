import DriftStats

/// How a feature's statistics become a verdict, shared by the stream (window reports) and `compare`. A
/// statistic is evidence; the mode is the rule over it.
///
/// - `calibrated` (default): a two-sample test whose null distribution is exact or valid for the actual
///   (reference, window) sizes — Kolmogorov–Smirnov for numeric features (scipy's p-value, `ksMethod`), the
///   χ² test of homogeneity on sparse-pooled category counts for categorical ones — at `falseAlarmRate` per
///   feature (after the policy's multiple-testing correction), and an effect of at least `minimumEffect`
///   (numeric: the normed Wasserstein distance beyond what sampling noise gives at these sizes, see
///   `FeatureEvidence.numeric`; categorical: the Jensen–Shannon distance), so that significant but negligible
///   shifts do not fire, at large sizes nor small.
/// - `thresholds`: PSI ≥ `psiThreshold` or (numeric) KS statistic ≥ `ksStatisticThreshold`, whatever the size.
/// - `evidently`: Evidently 0.7's default per-column choice (see `EvidentlyDrift`).
///
/// Features with fewer than `minimumValues` values get `too_few_values` instead of a verdict.
public struct DriftDecision: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable, Codable {
        case calibrated, thresholds, evidently
    }

    public var mode = Mode.calibrated
    /// Calibrated: the false-alarm rate per feature and window (α of the feature's test, after correction).
    public var falseAlarmRate = 0.01
    /// Calibrated: the smallest effect that counts (normed Wasserstein beyond noise, or Jensen–Shannon distance).
    public var minimumEffect = 0.1
    /// Thresholds: PSI at or above this drifts.
    public var psiThreshold = 0.2
    /// Thresholds: a KS statistic at or above this drifts (numeric features).
    public var ksStatisticThreshold = 0.2
    /// The KS p-value method, as scipy names it.
    public var ksMethod = KolmogorovSmirnov.PValueMethod.auto
    /// Fewer values than this in the current sample (window or file) give `too_few_values`.
    public var minimumValues = 30

    public init() {}

    /// The verdicts of a window's (or file's) features, in order. p-values are adjusted across the features
    /// that have one with `correction`, as the policy adjusts p-value conditions.
    public func decide(_ evidence: [FeatureEvidence], correction: MultipleTesting.Method) -> [FeatureDecision] {
        let testable = evidence.map { $0.count >= minimumValues }
        let pValues: [Double?] = evidence.indices.map { index in
            guard testable[index] else { return nil }
            switch mode {
            case .calibrated: return evidence[index].calibratedTest?.pValue
            case .thresholds, .evidently: return nil
            }
        }
        let adjusted = MultipleTesting.adjusted(pValues, method: correction)
        return evidence.indices.map { index in
            let feature = evidence[index]
            guard testable[index] else {
                return FeatureDecision(
                    mode: mode, status: .tooFewValues, reason: "\(feature.count) values, fewer than \(minimumValues)")
            }
            switch mode {
            case .calibrated: return calibrated(feature, adjustedPValue: adjusted[index])
            case .thresholds: return thresholds(feature)
            case .evidently: return evidently(feature)
            }
        }
    }

    private func calibrated(_ feature: FeatureEvidence, adjustedPValue: Double?) -> FeatureDecision {
        guard let test = feature.calibratedTest, let p = adjustedPValue, let effect = feature.calibratedEffect else {
            return FeatureDecision(mode: mode, status: .tooFewValues, reason: "too few values per category to test")
        }
        let significant = p <= falseAlarmRate
        let large = effect.value >= minimumEffect
        var decision = FeatureDecision(mode: mode, status: significant && large ? .drift : .ok)
        decision.test = test.name
        decision.score = p
        decision.threshold = falseAlarmRate
        decision.comparison = "below"
        decision.effect = effect.name
        decision.effectValue = effect.value
        decision.minimumEffect = minimumEffect
        if significant && !large { decision.reason = "significant, but the effect is below the minimum" }
        return decision
    }

    private func thresholds(_ feature: FeatureEvidence) -> FeatureDecision {
        var decision = FeatureDecision(mode: mode, status: .ok)
        if let d = feature.ks?.statistic, d >= ksStatisticThreshold {
            (decision.status, decision.test, decision.score, decision.threshold) = (
                .drift, "ks_statistic", d, ksStatisticThreshold
            )
            decision.comparison = "above"
        }
        if let psi = feature.psi {
            if psi >= psiThreshold || decision.test == nil {
                (decision.test, decision.score, decision.threshold, decision.comparison) = (
                    "psi", psi, psiThreshold, "above"
                )
            }
            if psi >= psiThreshold { decision.status = .drift }
        }
        return decision
    }

    private func evidently(_ feature: FeatureEvidence) -> FeatureDecision {
        guard let choice = feature.evidently else {
            return FeatureDecision(mode: mode, status: .tooFewValues, reason: "no values to test")
        }
        var decision = FeatureDecision(mode: mode, status: choice.drifted ? .drift : .ok)
        decision.test = choice.test
        decision.score = choice.score
        decision.threshold = choice.threshold
        decision.comparison = choice.isPValue ? "below" : "above"
        return decision
    }
}
