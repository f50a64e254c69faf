import DriftStats

/// Joins: predictions waiting for their features and labels settle by the model's clocks; predictions whose
/// labels never came are counted unlabelled, and a window's performance is reported once its labels had time.
extension DriftMonitor {
    /// Settles a model after an event: its waiting predictions and features by the watermark, then its time
    /// windows, then its labels. Each step first checks whether it has anything to do, without allocating.
    mutating func settleSteps(_ model: String) -> [MonitorOutput] {
        guard joins[model] != nil else { return [] }
        let settings = settings(for: model)
        let watermark = watermark(of: model)
        var outputs = settleFeatures(model, settings: settings, watermark: watermark)
        switch settings.windowKind {
        case .count: break  // closed by their event count, in `place`
        default: outputs += closeWindows(of: model, through: watermark)
        }
        guard settings.labels.enabled else { return outputs }
        return outputs + settleLabels(model, settings: settings, watermark: watermark)
    }

    /// Predictions that waited for their feature event until the watermark passed them are placed (with or
    /// without it); feature events older than the feature clock stop waiting and are counted unmatched.
    private mutating func settleFeatures(_ model: String, settings: MonitorSettings, watermark: Int64)
        -> [MonitorOutput]
    {
        var join = joins.removeValue(forKey: model)!
        var outputs: [MonitorOutput] = []
        var due: [ModelJoin.PendingPrediction] = []
        if join.pendingPredictions.values.contains(where: { $0.event.time.millisecondsSinceEpoch <= watermark }) {
            due = join.pendingPredictions.values.filter { $0.event.time.millisecondsSinceEpoch <= watermark }
                .sorted { $0.position.offset < $1.position.offset }
            for pending in due { join.pendingPredictions[pending.event.requestID] = nil }
        }
        let featureClock = max(
            watermark, join.highestFeatureTime == .min ? .min : join.highestFeatureTime - settings.allowedLateness)
        if join.pendingFeatures.values.contains(where: { $0.event.time.millisecondsSinceEpoch < featureClock }) {
            let stale = join.pendingFeatures.filter { $0.value.event.time.millisecondsSinceEpoch < featureClock }
            for requestID in stale.keys { join.pendingFeatures[requestID] = nil }
            join.unmatchedFeatures +=
                stale.values.filter {
                    $0.position.offset >= (partitions[$0.position.source]?.replayUntil ?? .min)
                }.count
        }
        joins[model] = consume join  // placing events changes the stored join: no second owner
        for pending in due {
            outputs += place(pending.event, at: pending.position, watermark: pending.watermark)
        }
        return outputs
    }

    /// Closes the model's time windows that end at or before the watermark, oldest first per version.
    private mutating func closeWindows(of model: String, through watermark: Int64) -> [MonitorOutput] {
        var outputs: [MonitorOutput] = []
        var ending: [ModelKey] = []
        for (key, state) in models
        where key.model == model
            && state.windows.values.contains(where: { $0.bounds.end.millisecondsSinceEpoch <= watermark })
        {
            ending.append(key)
        }
        for key in ending.sorted() {
            let closing = models[key]!.windows.filter { $0.value.bounds.end.millisecondsSinceEpoch <= watermark }
                .keys.sorted()
            var state = models.removeValue(forKey: key)!
            for start in closing {
                outputs += close(state.windows.removeValue(forKey: start)!, key: start, of: key, &state)
            }
            models[key] = state
        }
        return outputs
    }

    /// Labels and predictions that waited long enough stop waiting (predictions count as unlabelled), and the
    /// performance of windows whose labels had their time is reported, with its rules' alerts and triggers.
    private mutating func settleLabels(_ model: String, settings: MonitorSettings, watermark: Int64) -> [MonitorOutput]
    {
        var outputs: [MonitorOutput] = []
        // A label waits for its prediction until the predictions' watermark passes its time: a prediction
        // (no later than its label) read after that would be late. The label clock is not the measure here:
        // the labels topic may be read far ahead of the predictions topic (catching up).
        _ = joins[model]!.earlyLabels.expire(before: watermark)
        // Predictions stop waiting when the labels' own clock passes their time + TTL (an interval join cleaned
        // by the other side's watermark), so reading the predictions topic ahead of the labels topic expires
        // nothing. A model that never had a label uses its predictions' watermark.
        let labelClock =
            joins[model]!.highestLabelTime == .min
            ? watermark : joins[model]!.highestLabelTime - settings.allowedLateness
        guard labelClock != .min else { return outputs }
        let horizon = labelClock - settings.labels.ttl
        expire(joins[model]!.labels.expire(before: horizon), model: model)
        // Labels that waited for their prediction as long as a prediction waits for its label.
        var labelled: [ModelKey] = []
        for (key, state) in models
        where key.model == model
            && state.performance.values.contains(where: {
                $0.bounds.map { $0.end.millisecondsSinceEpoch <= horizon } ?? false
            })
        {
            labelled.append(key)
        }
        for key in labelled.sorted() {
            let finished = models[key]!.performance.filter {
                guard let bounds = $0.value.bounds else { return false }
                return bounds.end.millisecondsSinceEpoch <= horizon
            }
            guard !finished.isEmpty else { continue }
            var state = models.removeValue(forKey: key)!
            for (window, performance) in finished.sorted(by: { $0.value.bounds!.start < $1.value.bounds!.start }) {
                state.performance[window] = nil
                state.performanceReportedThrough = max(
                    state.performanceReportedThrough, performance.bounds!.end.millisecondsSinceEpoch)
                var performanceReport = report(performance, of: key, settings: settings)
                if let errors = performance.errors(settings: settings.labels) {
                    performanceReport.errorChanges = state.errorDetectors.feeding(errors)
                }
                let end = performance.bounds!.end.millisecondsSinceEpoch
                let firings = PolicyEvaluation.applyPerformance(
                    settings.policy, to: &performanceReport, states: &state.rules, windowEnd: end)
                outputs.append(.performance(performanceReport))
                outputs += actions(firings, windowEnd: end, settings: settings) {
                    FiringDetails(performance: performanceReport, evidence: $0)
                }
                if let calibrated = calibrate(&state, with: performance, settings: settings) {
                    outputs.append(.referenceCaptured(model: key.model, calibrated))
                }
            }
            models[key] = state
        }
        return outputs
    }

    /// Collects a reported window's labelled scores for a reference without a calibration and, once there are
    /// `labels.calibration_labels`, fits it: windows ending after the last one reported by then are estimated.
    /// Returns the calibrated reference (published like a captured one, so restarts and other instances have
    /// it). Time windows only: a count window has no end time to start from.
    private func calibrate(
        _ state: inout ModelState, with performance: PerformanceAccumulator, settings: MonitorSettings
    ) -> ReferenceProfile? {
        guard settings.labels.calibrationLabels > 0, !settings.windowKind.isCount,
            let reference = state.reference, reference.estimation == nil, case .numeric? = reference.prediction
        else { return nil }
        state.calibration.add(performance.predicted, performance.truths)
        guard state.calibration.scores.count >= settings.labels.calibrationLabels,
            let estimation = PerformanceEstimation.fit(
                scores: state.calibration.scores, labels: state.calibration.labels,
                threshold: settings.labels.threshold)
        else { return nil }
        state.calibration = CalibrationSample()
        state.reference!.estimation = estimation
        state.reference!.estimationFrom = state.closedThrough
        return state.reference
    }

    /// Counts predictions that will never get a label in their windows' performance.
    mutating func expire(_ entries: [WaitingPrediction], model: String) {
        for entry in entries {
            let key = ModelKey(model: model, version: entry.version)
            for window in entry.windows { models[key]?.performance[window]?.expire() }
        }
    }

    mutating func report(_ performance: PerformanceAccumulator, of key: ModelKey, settings: MonitorSettings)
        -> PerformanceReport
    {
        let unmatched = joins[key.model]?.unmatchedLabels ?? 0
        joins[key.model]?.unmatchedLabels = 0
        let labeled = performance.labeled
        var report = PerformanceReport(
            id: "\(performance.reportID)/performance", model: key.model, modelVersion: key.version,
            window: performance.window!, referenceVersion: performance.referenceVersion,
            labels: .init(
                predictions: performance.predictions, labeled: labeled, unlabeled: performance.unlabeled,
                unmatched: unmatched),
            metrics: performance.metrics(settings: settings.labels),
            status: labeled == 0 ? .noLabels : labeled < settings.labels.minimumLabels ? .insufficientLabels : .ok)
        report.estimated = performance.estimated
        report.compareWithEstimate()
        return report
    }
}
