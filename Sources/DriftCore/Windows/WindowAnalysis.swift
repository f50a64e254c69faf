import DriftStats

/// Compares a closed window with its reference: statistics per feature and for the prediction, latency, and
/// `insufficient_data` for windows smaller than the policy's minimum. PolicyEvaluation decides the rest.
enum WindowAnalysis {
    /// The report of `window`, whose id and span (`identity`) the caller has already.
    static func report(
        model: String, id: String, span: WindowReport.Window, window: WindowAccumulator, counts: WindowReport.Counts,
        settings: MonitorSettings
    ) -> WindowReport {
        let reference = window.reference
        let policy = settings.policy
        let enough = window.events >= policy.minimumWindowEvents
        // Features are compared concurrently: the exact KS p-values of large windows dominate a close.
        let inputs = window.featureNames.indices.map { slot in
            let name = window.featureNames[slot]
            return (
                name, reference.features[name]!, window.numbers[slot], window.categories[slot], window.missing[slot],
                window.wrongType[slot]
            )
        }
        let decision = policy.decision
        let compared = inputs.concurrentMap { name, feature, numbers, categories, missing, wrongType in
            compare(
                name: name, feature, numbers: numbers, categories: categories, missing: missing, wrongType: wrongType,
                decision: decision)
        }
        var features = compared.map(\.result)
        for (index, verdict) in decision.decide(compared.map(\.evidence), correction: policy.correction).enumerated() {
            features[index].decision = verdict
        }
        var prediction = reference.prediction.map {
            compare(
                name: "prediction", $0, numbers: window.scores, categories: window.labels,
                missing: 0, wrongType: window.predictionWrongType, decision: decision)
        }
        if let evidence = prediction?.evidence {
            prediction?.result.decision = decision.decide([evidence], correction: .none)[0]
        }
        let status: WindowReport.Status = enough ? .ok : .insufficientData
        let latency = window.latency
        var report = WindowReport(
            id: id, model: model, modelVersion: reference.modelVersion, window: span,
            counts: counts,
            reference: .init(
                version: reference.modelVersion, source: reference.source, events: reference.eventCount,
                bootstrapped: reference.source == .bootstrap),
            features: features,
            unknownFeatures: window.unknownFeatures.sorted { $0.key < $1.key }.map {
                .init(name: $0.key, count: $0.value)
            },
            prediction: prediction?.result,
            latency: latency.count == 0
                ? nil
                : WindowReport.Latency(
                    count: Int(latency.count), p50: latency.value(atPercentile: 50)!,
                    p95: latency.value(atPercentile: 95)!,
                    p99: latency.value(atPercentile: 99)!, max: latency.maximum),
            status: status)
        report.multivariate = multivariate(window)
        return report
    }

    /// CBPE's estimates for the window's scores (binary classifiers whose reference has a calibration).
    static func estimated(_ window: WindowAccumulator, by estimation: PerformanceEstimation) -> WindowReport.Estimated?
    {
        // In offset order: the sums must not depend on the order events were placed in.
        guard let estimates = estimation.estimate(scores: window.scoresInOffsetOrder) else { return nil }
        return WindowReport.Estimated(
            predictions: window.scores.count, referenceAccuracy: estimation.referenceAccuracy,
            accuracy: .init(estimates.accuracy),
            precision: .init(estimates.precision), recall: .init(estimates.recall), f1: .init(estimates.f1),
            rocAUC: estimates.rocAUC.map(WindowReport.Estimated.Metric.init))
    }

    /// The window's reconstruction error and domain classifier, as its settings asked for them.
    static func multivariate(_ window: WindowAccumulator) -> WindowReport.Multivariate? {
        guard let state = window.multivariate else { return nil }
        var result = WindowReport.Multivariate()
        let reference = state.reference
        let errors = state.errors
        if errors.count > 0 {
            result.reconstructionError = .init(
                value: errors.mean, samplingError: errors.samplingError, lower: reference.bounds.lower,
                upper: reference.bounds.upper, alert: !reference.bounds.contains(errors.mean),
                components: reference.model.components.count)
        }
        let rows = state.rows
        if !rows.isEmpty {
            result.domainClassifier = DomainTerms(reference).evaluate(
                reference: reference.sample,
                current: ReferenceProfile.NumericFeature.evenlySpaced(rows, count: reference.sample.count))
        }
        return result.reconstructionError == nil && result.domainClassifier == nil ? nil : result
    }

    /// A window's report id and span, without comparing anything (a replayed window reported before needs
    /// only these, for its performance report).
    static func identity(model: String, window: WindowAccumulator, settings: MonitorSettings) -> (
        id: String, span: WindowReport.Window
    ) {
        let bounds = window.bounds
        return (
            "\(model)/\(window.reference.modelVersion)/\(bounds.start.rfc3339)/\(bounds.end.rfc3339)",
            WindowReport.Window(start: bounds.start.rfc3339, end: bounds.end.rfc3339, kind: settings.windowKind.name)
        )
    }

    /// One feature's statistics and the evidence its decision needs (no values: evidence of count 0).
    static func compare(
        name: String, _ feature: ReferenceProfile.Feature, numbers: [Double]?, categories: CategoryCounter?,
        missing: Int, wrongType: Int, decision: DriftDecision
    ) -> (result: WindowReport.FeatureResult, evidence: FeatureEvidence) {
        var result = WindowReport.FeatureResult(
            name: name, type: "numeric", count: 0, missing: missing, wrongType: wrongType, drifted: false)
        switch feature {
        case .numeric(let profile):
            let values = numbers ?? []
            result.count = values.count
            guard !values.isEmpty else { return (result, FeatureEvidence(count: 0)) }
            let sorted = RadixSort.sorted(values)
            let psi = PopulationStabilityIndex.value(
                referenceCounts: profile.psiCounts,
                currentCounts: PopulationStabilityIndex.binCounts(sorted, edges: profile.psiEdges))
            let ks = KolmogorovSmirnov.test(sorted: profile.sortedSample, sorted, method: decision.ksMethod)
            result.psi = .init(value: psi, convention: "reference-quantiles", bins: profile.psiEdges.count + 1)
            result.ks = .init(statistic: ks.statistic, pValue: ks.pValue, method: ks.method.rawValue)
            // Values beyond ±2⁵⁰⁰ are scaled for the effect size (exactly; see NumericScale), as `compare` does.
            let scale = NumericScale(sorted: profile.sortedSample, sorted)
            let reference = scale.apply(profile.sortedSample)
            let evidence = FeatureEvidence.numeric(
                sortedReference: reference, sortedCurrent: scale.apply(sorted), ks: ks, psi: psi,
                referenceStandardDeviation: scale.factor == 1
                    ? profile.standardDeviation : Descriptive.standardDeviation(reference),
                referenceNoiseIntegral: scale.factor == 1
                    ? profile.noiseIntegral : Wasserstein.noiseIntegral(sorted: reference),
                evidentlyCategorical: decision.mode == .evidently
                    && EvidentlyDrift.isCategorical(sortedReference: profile.sortedSample),
                mode: decision.mode)
            return (result, evidence)
        case .categorical(let reference):
            result.type = "categorical"
            let current = categories?.categoryCounts ?? CategoryCounts()
            result.count = current.total
            guard current.total > 0 && reference.total > 0 else {
                return (result, FeatureEvidence(count: current.total))
            }
            let drift = CategoricalDrift.compare(reference: reference, current: current)
            result.psi = .init(value: drift.psi, convention: "evidently", bins: drift.categories)
            result.chi2 = .init(statistic: drift.chiSquared.finiteStatistic, pValue: drift.chiSquared.definedPValue)
            result.jensenShannon = drift.jensenShannon
            result.unseenRate = drift.unseenRate
            let evidence = FeatureEvidence.categorical(
                reference: reference, current: current, psi: drift.psi, jensenShannon: drift.jensenShannon,
                mode: decision.mode)
            return (result, evidence)
        }
    }
}
