import DriftStats
import Testing

@testable import DriftCore

/// Rules over synthetic window reports: minimum window size, multiple-testing correction, k of n, cooldown,
/// severities and actions.
@Suite struct PolicyTests {
    /// A report of `events` events whose features have these KS p-values and PSI values.
    static func report(
        end: Int64, events: Int = 500, pValues: [Double] = [], psi: [Double] = [], latencyP99: Double? = nil
    )
        -> WindowReport
    {
        let count = max(pValues.count, psi.count)
        let features = (0..<count).map { index in
            var feature = WindowReport.FeatureResult(
                name: "f\(index)", type: "numeric", count: events, missing: 0, wrongType: 0, drifted: false)
            if index < pValues.count { feature.ks = .init(statistic: 0.1, pValue: pValues[index], method: "exact") }
            if index < psi.count { feature.psi = .init(value: psi[index], convention: "reference-quantiles", bins: 10) }
            return feature
        }
        return WindowReport(
            id: "m/1/\(end)", model: "m", modelVersion: "1",
            window: .init(start: "\(end - 10_000)", end: "\(end)", kind: "tumbling"),
            counts: .init(events: events, late: 0, deadLettered: 0, unmatchedFeatures: 0, missing: 0),
            reference: .init(version: "1", source: .bootstrap, events: 1_000, bootstrapped: true),
            features: features, unknownFeatures: [], prediction: nil,
            latency: latencyP99.map { .init(count: events, p50: 1, p95: 2, p99: $0, max: $0) },
            status: events >= 100 ? .ok : .insufficientData)
    }

    static func evaluate(_ policy: DriftPolicy, _ reports: [WindowReport]) -> [(
        WindowReport, [PolicyEvaluation.Firing]
    )] {
        var states: [String: RuleState] = [:]
        return reports.enumerated().map { index, report in
            var report = report
            let firings = PolicyEvaluation.apply(
                policy, to: &report, states: &states, windowEnd: Int64(index + 1) * 10_000)
            return (report, firings)
        }
    }

    static func psiRule(k: Int = 1, n: Int = 1, cooldown: Int64 = 0) -> DriftPolicy {
        var rule = PolicyRule(name: "psi", conditions: [.init(.psi, above: 0.2)])
        rule.k = k
        rule.n = n
        rule.cooldown = cooldown
        rule.retrain = true
        var policy = DriftPolicy()
        policy.rules = [rule]
        return policy
    }

    @Test func smallWindowsAreNeitherEvaluatedNorRemembered() {
        let results = Self.evaluate(
            Self.psiRule(k: 2, n: 2),
            [
                Self.report(end: 10_000, psi: [0.9]), Self.report(end: 20_000, events: 50, psi: [0.9]),
                Self.report(end: 30_000, psi: [0.9]),
            ])
        #expect(results.map(\.0.status) == [.drift, .insufficientData, .drift])
        #expect(results[1].0.rules.isEmpty && results[1].1.isEmpty)
        // The small window did not count: windows 1 and 3 are the last two evaluated, so the rule fires at 3.
        #expect(results.map { !$0.1.isEmpty } == [false, false, true])
    }

    @Test func kOfNFiresOnlyWhenEnoughRecentWindowsBreach() {
        let psi: [Double] = [0.9, 0.0, 0.9, 0.9, 0.0, 0.0, 0.9]
        let results = Self.evaluate(
            Self.psiRule(k: 2, n: 3), psi.enumerated().map { Self.report(end: Int64($0 + 1) * 10_000, psi: [$1]) })
        #expect(results.map { !$0.1.isEmpty } == [false, false, true, true, false, false, false])
        #expect(results[0].0.rules[0].suppressed == "k_of_n")
        #expect(results[6].0.rules[0].breached && results[6].0.rules[0].suppressed == "k_of_n")
    }

    @Test func cooldownKeepsARuleQuietAfterItFires() {
        let results = Self.evaluate(
            Self.psiRule(cooldown: 20_000), (1...5).map { Self.report(end: Int64($0) * 10_000, psi: [0.9]) })
        #expect(results.map { !$0.1.isEmpty } == [true, false, true, false, true])
        #expect(results[1].0.rules[0].suppressed == "cooldown")
    }

    @Test func correctionDecidesWhichPValuesBreach() {
        // Ten features; three small p-values. α = 0.01.
        let pValues = [0.0004, 0.003, 0.008, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9]
        var rule = PolicyRule(name: "ks", conditions: [.init(.ksPValue, below: 0.01)])
        rule.minimumFeatures = 1
        var policy = DriftPolicy()
        policy.rules = [rule]
        func breached(_ method: MultipleTesting.Method) -> [String] {
            policy.correction = method
            return Self.evaluate(policy, [Self.report(end: 10_000, pValues: pValues)])[0].0.rules[0].features
        }
        #expect(breached(.none) == ["f0", "f1", "f2"])
        // Bonferroni: p·10 < 0.01 only for 0.0004.
        #expect(breached(.bonferroni) == ["f0"])
        // Benjamini–Hochberg: adjusted 0.004, 0.015, 0.0267: only f0 below 0.01.
        #expect(breached(.benjaminiHochberg) == ["f0"])
        let evidence = Self.evaluate(policy, [Self.report(end: 10_000, pValues: pValues)])[0].1[0].evidence
        #expect(
            evidence.features[0].breaches[0].value == MultipleTesting.adjusted(pValues, method: .benjaminiHochberg)[0])
    }

    @Test func windowRulesAlertWithTheirSeverityWithoutRetraining() {
        var latency = PolicyRule(name: "latency-p99", conditions: [.init(.latencyP99, above: 250)])
        latency.severity = .critical
        var policy = DriftPolicy()
        policy.rules = [latency]
        let results = Self.evaluate(
            policy,
            [
                Self.report(end: 10_000, psi: [0.0], latencyP99: 300),
                Self.report(end: 20_000, psi: [0.0], latencyP99: 100),
            ])
        #expect(results[0].1.map(\.evidence.windowBreaches) == [[.init(latency.conditions[0], value: 300)]])
        #expect(results[0].1.first?.rule.alert == true && results[0].1.first?.rule.retrain == false)
        #expect(results[0].0.status == .ok)  // a latency breach is not drift
        #expect(results[1].1.isEmpty)
    }

    /// The default rule fires on the decision mode's verdicts, whatever the raw statistics say, and its
    /// evidence is the deciding test's score against its threshold.
    @Test func theDefaultRuleFiresOnTheDecisionsVerdict() throws {
        let rules = DriftPolicy().effectiveRules
        #expect(rules.map(\.name) == ["feature-drift"])
        #expect(rules[0].retrain && rules[0].alert)
        var report = Self.report(end: 10_000, psi: [0.9, 0.01])
        var ok = FeatureDecision(mode: .calibrated, status: .ok)
        (ok.test, ok.score, ok.threshold, ok.comparison) = ("ks", 0.4, 0.01, "below")
        var drift = FeatureDecision(mode: .calibrated, status: .drift)
        (drift.test, drift.score, drift.threshold, drift.comparison) = ("ks", 1e-6, 0.01, "below")
        report.features[0].decision = ok
        report.features[1].decision = drift
        let results = Self.evaluate(DriftPolicy(), [report])
        #expect(results[0].0.features.map(\.drifted) == [false, true])
        #expect(results[0].0.status == .drift)
        let evidence = try #require(results[0].1.first?.evidence.features.first)
        #expect(evidence.name == "f1")
        #expect(evidence.breaches.map(\.statistic) == ["ks"] && evidence.breaches[0].value == 1e-6)
        #expect(evidence.breaches[0].comparison == "below" && evidence.breaches[0].threshold == 0.01)
    }

    /// A rule on accuracy is evaluated on each window's performance report once its labels are in: k of n
    /// and cooldown count performance reports; alert and trigger carry the metric, threshold and report.
    @Test func performanceRulesFireOnLabelledWindows() throws {
        var settings = StreamJoinTests.settings
        var rule = PolicyRule(name: "accuracy-floor", conditions: [.init(.accuracy, below: 0.7)])
        rule.k = 2
        rule.n = 3
        rule.cooldown = 15_000
        rule.retrain = true
        settings.policy.rules = [rule]
        var feed = StreamJoinTests.Feed(settings: settings)
        feed.bootstrap()
        // Four 10 s windows of 20 predictions (score 0.9: positive); correct labels per window 10, 18, 10, 10.
        let correct = [10, 18, 10, 10]
        for (window, right) in correct.enumerated() {
            let start = Int64(window + 1) * 10_000
            for i in 0..<20 { feed.predict("w\(window)-\(i)", at: start + Int64(i) * 100) }
            for i in 0..<20 { feed.label("w\(window)-\(i)", at: start + 5_000 + Int64(i), .number(i < right ? 1 : 0)) }
        }
        feed.predict("closer", at: 60_000)
        feed.label("flush", at: 200_000, .number(1))

        let performance = feed.performance.filter { $0.status == .ok }
        #expect(performance.map { $0.metrics?.accuracy } == correct.map { Double($0) / 20 })
        #expect(performance.map { $0.rules.map(\.fired) } == [[false], [false], [true], [false]])
        #expect(performance.map { $0.rules.first?.suppressed } == ["k_of_n", nil, nil, "cooldown"])
        #expect(feed.reports.allSatisfy { $0.rules.isEmpty })  // window reports do not evaluate it

        let alerts = feed.outputs.compactMap { if case .alert(let alert) = $0 { alert } else { nil } }
        let triggers = feed.outputs.compactMap { if case .trigger(let trigger) = $0 { trigger } else { nil } }
        let alert = try #require(alerts.first)
        #expect(alerts.count == 1 && triggers.count == 1)
        #expect(alert.id == "m/1/\(performance[2].window.end)/accuracy-floor" && triggers[0].id == alert.id)
        #expect(alert.data.reportID == performance[2].id)
        #expect(alert.data.windowBreaches == [.init(.init(.accuracy, below: 0.7), value: 0.5)])
        #expect(triggers[0].data.suggestedTrainingRange?.to == performance[2].window.end)
    }
}
