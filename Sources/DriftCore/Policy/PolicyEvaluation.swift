import DriftStats

/// Applies a policy to a window report: marks the features that breach a feature condition, sets the
/// window's status, records each rule's outcome in the report and in its `RuleState`, and returns the rules
/// that fire with their evidence. Deterministic: the same report and states give the same result.
enum PolicyEvaluation {
    struct Firing: Sendable {
        var rule: PolicyRule
        var evidence: RuleEvidence
    }

    static func apply(
        _ policy: DriftPolicy, to report: inout WindowReport, states: inout [String: RuleState], windowEnd: Int64
    )
        -> [Firing]
    {
        guard report.status != .insufficientData else { return [] }
        let events = max(report.counts.events, 1)
        var firings: [Firing] = []
        var outcomes: [WindowReport.RuleOutcome] = []
        var anyFeatureRuleBreached = false
        for rule in policy.effectiveRules where !rule.isPerformance {
            // Feature conditions, p-values adjusted across the window's features.
            var breachesByFeature: [String: [RuleEvidence.Breach]] = [:]
            for condition in rule.conditions where condition.statistic.isPerFeature {
                let values = report.features.map { value(of: condition.statistic, $0, events: events) }
                let adjusted =
                    condition.statistic.isPValue
                    ? MultipleTesting.adjusted(values, method: policy.correction) : values
                for (feature, value) in zip(report.features, adjusted) {
                    guard let value, condition.breached(by: value) else { continue }
                    let breach =
                        condition.statistic == .drift
                        ? feature.decision.flatMap(RuleEvidence.Breach.init(decision:))
                            ?? .init(condition, value: value)
                        : .init(condition, value: value)
                    breachesByFeature[feature.name, default: []].append(breach)
                }
            }
            var windowBreaches: [RuleEvidence.Breach] = []
            for condition in rule.conditions where !condition.statistic.isPerFeature {
                if let value = windowValue(of: condition.statistic, report), condition.breached(by: value) {
                    windowBreaches.append(.init(condition, value: value))
                }
            }
            // The prediction is checked like a feature (p-values uncorrected) and marked, but decides nothing.
            if let prediction = report.prediction,
                rule.conditions.contains(where: {
                    $0.statistic.isPerFeature
                        && value(of: $0.statistic, prediction, events: events).map($0.breached) == true
                })
            {
                report.prediction?.drifted = true
            }
            let hasFeatureConditions = rule.conditions.contains { $0.statistic.isPerFeature }
            let breached =
                (hasFeatureConditions && breachesByFeature.count >= rule.minimumFeatures) || !windowBreaches.isEmpty
            if breached && hasFeatureConditions && breachesByFeature.count >= rule.minimumFeatures {
                anyFeatureRuleBreached = true
                for index in report.features.indices where breachesByFeature[report.features[index].name] != nil {
                    report.features[index].drifted = true
                }
            }

            let (fired, suppressed) = step(rule, breached: breached, states: &states, windowEnd: windowEnd)
            let features = breachesByFeature.keys.sorted()
            outcomes.append(
                .init(
                    name: rule.name, severity: rule.severity, breached: breached, fired: fired, suppressed: suppressed,
                    features: features))
            if fired {
                firings.append(
                    Firing(
                        rule: rule,
                        evidence: RuleEvidence(
                            rule: rule.name, severity: rule.severity,
                            features: features.map { .init(name: $0, breaches: breachesByFeature[$0]!) },
                            windowBreaches: windowBreaches)))
            }
        }
        report.rules = outcomes
        report.status = anyFeatureRuleBreached ? .drift : .ok
        return firings
    }

    /// Applies the policy's performance rules to a performance report with enough labels, like `apply` does
    /// window rules to a window report; their k of n counts performance reports.
    static func applyPerformance(
        _ policy: DriftPolicy, to report: inout PerformanceReport, states: inout [String: RuleState], windowEnd: Int64
    ) -> [Firing] {
        guard report.status == .ok, let metrics = report.metrics else { return [] }
        var firings: [Firing] = []
        for rule in policy.effectiveRules where rule.isPerformance {
            let breaches = rule.conditions.compactMap { condition -> RuleEvidence.Breach? in
                let value =
                    condition.statistic == .errorChange
                    ? report.errorChanges.map { Double($0.count) } : performanceValue(of: condition.statistic, metrics)
                guard let value, condition.breached(by: value) else { return nil }
                return .init(condition, value: value)
            }
            let (fired, suppressed) = step(rule, breached: !breaches.isEmpty, states: &states, windowEnd: windowEnd)
            report.rules.append(
                .init(
                    name: rule.name, severity: rule.severity, breached: !breaches.isEmpty, fired: fired,
                    suppressed: suppressed, features: []))
            if fired {
                firings.append(
                    Firing(
                        rule: rule,
                        evidence: RuleEvidence(
                            rule: rule.name, severity: rule.severity, features: [], windowBreaches: breaches)))
            }
        }
        return firings
    }

    /// Records a breach (or not) in the rule's last-n history and decides whether it fires: k of the last n
    /// evaluations breached and the cooldown since its last firing has passed.
    private static func step(_ rule: PolicyRule, breached: Bool, states: inout [String: RuleState], windowEnd: Int64)
        -> (fired: Bool, suppressed: String?)
    {
        var state = states[rule.name] ?? RuleState()
        defer { states[rule.name] = state }
        let mask: UInt64 = rule.n >= 64 ? .max : (1 << UInt64(rule.n)) - 1
        state.history = ((state.history << 1) | (breached ? 1 : 0)) & mask
        state.evaluated += 1
        guard breached else { return (false, nil) }
        if state.history.nonzeroBitCount < rule.k { return (false, "k_of_n") }
        if let last = state.lastFired, windowEnd - last < rule.cooldown { return (false, "cooldown") }
        state.lastFired = windowEnd
        return (true, nil)
    }

    static func performanceValue(of statistic: PolicyRule.Statistic, _ metrics: PerformanceReport.Metrics) -> Double? {
        switch statistic {
        case .accuracy: metrics.accuracy
        case .precision: metrics.precision
        case .recall: metrics.recall
        case .f1: metrics.f1
        case .rocAUC: metrics.rocAUC
        case .logLoss: metrics.logLoss
        case .mae: metrics.mae
        case .rmse: metrics.rmse
        case .mape: metrics.mape
        default: nil
        }
    }

    static func value(of statistic: PolicyRule.Statistic, _ feature: WindowReport.FeatureResult, events: Int) -> Double?
    {
        switch statistic {
        case .drift: feature.decision.map { $0.drifted ? 1 : 0 }
        case .psi: feature.psi?.value
        case .ksStatistic: feature.ks?.statistic
        case .ksPValue: feature.ks?.pValue
        case .chi2PValue: feature.chi2?.pValue
        case .jensenShannon: feature.jensenShannon
        case .unseenRate: feature.unseenRate
        case .missingRate: Double(feature.missing) / Double(events)
        case .wrongTypeRate: Double(feature.wrongType) / Double(events)
        default: nil
        }
    }

    static func windowValue(of statistic: PolicyRule.Statistic, _ report: WindowReport) -> Double? {
        switch statistic {
        case .latencyP50: report.latency?.p50
        case .latencyP95: report.latency?.p95
        case .latencyP99: report.latency?.p99
        case .lateEvents: Double(report.counts.late)
        case .deadLettered: Double(report.counts.deadLettered)
        case .predictionPSI: report.prediction?.psi?.value
        case .predictionChange: report.predictionChanges.map { Double($0.count) }
        case .estimatedAccuracy: report.estimated?.accuracy.value
        case .estimatedPrecision: report.estimated?.precision.value
        case .estimatedRecall: report.estimated?.recall.value
        case .estimatedF1: report.estimated?.f1.value
        case .estimatedROCAUC: report.estimated?.rocAUC?.value
        case .estimatedAccuracyDrop: report.estimated.map { $0.referenceAccuracy - $0.accuracy.value }
        case .reconstructionError: report.multivariate?.reconstructionError?.value
        case .reconstructionAlert: report.multivariate?.reconstructionError.map { $0.alert ? 1 : 0 }
        case .domainClassifierAUC: report.multivariate?.domainClassifier?.auc
        default: nil
        }
    }
}

/// Why a rule fired: the features and window statistics that breached its conditions.
public struct RuleEvidence: Codable, Sendable, Equatable {
    public struct Breach: Codable, Sendable, Equatable {
        public var statistic: String
        public var value: Double
        public var threshold: Double
        /// `above` (value ≥ threshold) or `below` (value < threshold); p-values after correction.
        public var comparison: String

        init(_ condition: PolicyRule.Condition, value: Double) {
            statistic = condition.statistic.rawValue
            self.value = value
            threshold = condition.threshold
            comparison = condition.above ? "above" : "below"
        }

        /// The evidence of a drift verdict: the deciding test's score against its threshold (a p-value below,
        /// a statistic at or above).
        init?(decision: FeatureDecision) {
            guard let test = decision.test, let score = decision.score, let threshold = decision.threshold,
                let comparison = decision.comparison
            else { return nil }
            statistic = test
            value = score
            self.threshold = threshold
            self.comparison = comparison
        }
    }

    public struct Feature: Codable, Sendable, Equatable {
        public var name: String
        public var breaches: [Breach]
    }

    public var rule: String
    public var severity: PolicyRule.Severity
    public var features: [Feature]
    public var windowBreaches: [Breach]

    enum CodingKeys: String, CodingKey {
        case rule, severity, features
        case windowBreaches = "window_breaches"
    }
}
