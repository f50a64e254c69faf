import DriftStats

/// Windows: partition clocks and watermarks, placing predictions in their time or count windows, closing
/// windows once the watermark passes them, and a closed window's report, alerts and triggers.
extension DriftMonitor {
    /// Records that an event of `model` was read at `position` (features and labels partitions).
    mutating func arrive(_ model: String, at position: EventPosition) {
        Self.advance(&partitions[position.source, default: PartitionState(nextOffset: position.offset)], past: position)
        {
            $0.models.insert(model)
        }
    }

    /// Moves a partition's read position past `position`, after `body` updated the rest of its state.
    @discardableResult
    static func advance<T>(
        _ partition: inout PartitionState, past position: EventPosition, _ body: (inout PartitionState) -> T
    ) -> T {
        let result = body(&partition)
        partition.nextOffset = max(partition.nextOffset, position.offset + 1)
        return result
    }

    static func watermark(_ partition: PartitionState, _ settings: MonitorSettings) -> Int64 {
        partition.highestEventTime == .min ? .min : partition.highestEventTime - settings.allowedLateness
    }

    /// The watermark of the predictions partition a model's events come from.
    func watermark(of model: String) -> Int64 {
        guard let id = joins[model]?.partition, let partition = partitions[.predictions(id)]
        else { return .min }
        return Self.watermark(partition, settings(for: model))
    }

    /// The time windows holding `time`, oldest first, without an array: a tumbling window is a hopping one whose
    /// slide is its size. Count windows are not cut by time; callers handle them first.
    func windows(containing time: EventTime, _ settings: MonitorSettings)
        -> LazyMapSequence<ClosedRange<Int64>, WindowBounds>
    {
        let slide = if case .hopping(let slide) = settings.windowKind { slide } else { settings.windowSize }
        return WindowBounds.containing(time, size: settings.windowSize, slide: slide)
    }

    /// Whether an event still has an open window (always, for count windows and versions without a reference).
    func isOpen(_ event: PredictionEvent, settings: MonitorSettings, watermark: Int64) -> Bool {
        if case .count = settings.windowKind { return true }
        if models[ModelKey(model: event.model, version: event.modelVersion)]?.reference == nil { return true }
        return windows(containing: event.time, settings).contains { $0.end.millisecondsSinceEpoch > watermark }
    }

    /// Puts a complete event (features joined, read at `features` when they came separately) into its
    /// version's capture or windows; windows that closed by `watermark` are not its own (late when none is left).
    mutating func place(
        _ event: PredictionEvent, at position: EventPosition, features: EventPosition? = nil, watermark: Int64
    ) -> [MonitorOutput] {
        let settings = settings(for: event.model)
        let key = ModelKey(model: event.model, version: event.modelVersion)
        let placed = Placement(
            prediction: position, clock: watermark == .min ? .min : watermark + settings.allowedLateness,
            features: features)
        // The version's state is swapped out of the dictionary while it changes (close needs `self` too) and
        // swapped back through its index: no second hash, no removal, and its buffers are never copied.
        let index =
            models.index(forKey: key)
            ?? {
                models[key] = ModelState()
                return models.index(forKey: key)!
            }()
        // Only when labels are joined: a label of an event in the bootstrapped reference is then not unmatched.
        let intoReference = settings.labels.enabled && isInReference(position, models.values[index])
        var state = ModelState()
        swap(&state, &models.values[index])
        let (outputs, labelled, placedDue) = place(
            event, at: position, placed, into: &state, of: key, settings: settings, watermark: watermark)
        swap(&state, &models.values[index])
        if intoReference {
            var join = joins.removeValue(forKey: event.model) ?? ModelJoin()
            if join.earlyLabels.take(event.requestID) == nil
                && join.referenceRequests.count < settings.labels.maximumPending
            {
                join.referenceRequests.insert(event.requestID)
            }
            joins[event.model] = consume join
        }
        var due = placedDue
        if settings.labels.enabled && !labelled.isEmpty {
            if let early = joins[event.model]?.earlyLabels.take(event.requestID) {
                for window in labelled {
                    models[key]!.performance[window]!.add(
                        prediction: event.prediction, truth: early.event.label, at: early.position)
                }
            } else {
                let entry = WaitingPrediction(
                    version: event.modelVersion, windows: labelled, time: event.time.millisecondsSinceEpoch,
                    prediction: event.prediction)
                let evicted = joins[event.model, default: ModelJoin()].labels.insert(
                    entry, requestID: event.requestID, capacity: settings.labels.maximumPending)
                expire(evicted, model: event.model)
                // It stops waiting once the label clock passes its time + TTL: the predictions' watermark while the
                // model has no label, else the labels' own clock (due at once if that passed it already).
                let highestLabelTime = joins[event.model]!.highestLabelTime
                let time = event.time.millisecondsSinceEpoch
                if highestLabelTime == .min {
                    due = min(due, Self.sum(Self.sum(time, settings.labels.ttl), 1))
                } else if time < Self.sum(Self.sum(highestLabelTime, -settings.allowedLateness), -settings.labels.ttl) {
                    due = .min
                }
            }
        }
        if due < .max { lowerDue(event.model, to: due) }
        return outputs
    }

    /// Whether an event at `position` goes into (or, replayed, is part of) the version's bootstrapped reference.
    func isInReference(_ position: EventPosition, _ state: borrowing ModelState) -> Bool {
        guard let captured = state.reference?.captured else { return state.reference == nil }
        return captured.contains(partition: position.partition, offset: position.offset)
    }

    /// `place`'s work on the version's state, taken out of `models`: the outputs, the windows whose performance
    /// waits for the event's label (only when labels are joined), and from which watermark what the event
    /// added is due (`.max`: nothing).
    mutating func place(
        _ event: PredictionEvent, at position: EventPosition, _ placed: Placement, into state: inout ModelState,
        of key: ModelKey, settings: MonitorSettings, watermark: Int64
    ) -> (outputs: [MonitorOutput], labelled: [Int64], due: Int64) {
        var outputs: [MonitorOutput] = []
        guard let reference = state.reference else {
            var capture = state.capture ?? ReferenceCapture(target: settings.bootstrapEvents)
            capture.add(event, at: placed)
            if capture.isComplete {
                let profile = capture.profile(modelVersion: event.modelVersion, psiBins: settings.psiBins)
                state.reference = profile
                state.capture = nil
                outputs.append(.referenceCaptured(model: event.model, profile))
            } else {
                state.capture = capture
            }
            return (outputs, [], .max)
        }
        if reference.captured?.contains(partition: position.partition, offset: position.offset) == true {
            return (outputs, [], .max)  // a replayed event that is part of the (restored) bootstrapped reference
        }
        // The windows the event joined: collected only when labels are joined (one per event otherwise costs an
        // allocation per event).
        var joined: [Int64] = []
        var joinedAny = false
        // From which watermark what this event adds is due (`lowerDue`).
        var due = Int64.max
        func join(_ bounds: WindowBounds) {
            let start = bounds.start.millisecondsSinceEpoch
            state.windows[
                start,
                default: WindowAccumulator(bounds: bounds, reference: reference, multivariate: settings.multivariate)
            ].add(
                event, at: placed)
            joinedAny = true
            if settings.labels.enabled { joined.append(start) }
            due = min(due, bounds.end.millisecondsSinceEpoch)
        }
        let isCount = if case .count = settings.windowKind { true } else { false }
        switch settings.windowKind {
        case .count:
            guard position.offset > state.countedThrough else {
                return (outputs, [], .max)  // a replayed event of an already reported count window
            }
            let window = state.countWindow
            let time = event.time.millisecondsSinceEpoch
            state.windows[
                window,
                default: WindowAccumulator(
                    bounds: WindowBounds(start: event.time, end: EventTime(millisecondsSinceEpoch: time + 1)),
                    reference: reference, multivariate: settings.multivariate)
            ]
            .add(event, at: placed)
            joinedAny = true
            if settings.labels.enabled { joined = [window] }
        case .tumbling, .hopping:
            for bounds in windows(containing: event.time, settings) where bounds.end.millisecondsSinceEpoch > watermark
            {
                join(bounds)
            }
        }
        if !isCount && !joinedAny && position.offset >= (partitions[position.source]?.replayUntil ?? .min) {
            state.late += 1
            outputs.append(.late(position))
        }
        // Windows whose performance was reported before a checkpoint collect no labels when replayed.
        let labelled = joined.filter { window in
            isCount || window + settings.windowSize > state.performanceReportedThrough
        }
        if settings.labels.enabled {
            for window in labelled {
                state.performance[window, default: PerformanceAccumulator(referenceVersion: reference.modelVersion)]
                    .expect()
            }
        }
        if case .count(let size) = settings.windowKind, let window = state.windows[state.countWindow],
            window.events >= size
        {
            state.windows[state.countWindow] = nil
            outputs += close(window, key: state.countWindow, of: key, &state)
            state.countWindow += 1
            due = .min  // its performance may be due already
        }
        return (outputs, labelled, due)
    }

    /// Records that something added to a model's state is due from `watermark` on: lowers its `dueAt` and its
    /// predictions partition's `settleFrom`.
    mutating func lowerDue(_ model: String, to watermark: Int64) {
        guard let join = joins[model], watermark < join.dueAt else { return }
        joins[model]!.dueAt = watermark
        guard let partition = join.partition else { return }
        let from = Self.sum(watermark, settings(for: model).allowedLateness)
        if let current = partitions[.predictions(partition)]?.settleFrom, from < current {
            partitions[.predictions(partition)]!.settleFrom = from
        }
    }

    /// Settles the models of a predictions partition whose watermark reached something due. Below the
    /// partition's `settleFrom` none has anything due; otherwise each model's watermark is compared with its
    /// `dueAt` and `settleFrom` recomputed. Skipping changes nothing: `dueAt` is the lowest watermark from which
    /// settling finds work, as left by the model's last settle and lowered by what its events added since
    /// (`lowerDue`); feature events and labels settle their model themselves.
    mutating func closeWindows(on partition: Int32) -> [MonitorOutput] {
        let source = SourcePartition.predictions(partition)
        guard let state = partitions[source] else { return [] }
        guard settlesEveryModel || state.highestEventTime >= state.settleFrom else { return [] }
        var outputs: [MonitorOutput] = []
        var settleFrom = Int64.max
        for name in state.models.sorted() {
            if settlesEveryModel || watermark(of: name) >= joins[name]?.dueAt ?? .max {
                outputs += settle(name)
            }
            guard let join = joins[name] else { continue }
            settleFrom =
                join.partition == partition
                ? min(settleFrom, Self.sum(join.dueAt, settings(for: name).allowedLateness)) : .min
        }
        partitions[source]?.settleFrom = settleFrom
        return outputs
    }

    /// Brings a model up to its watermark: predictions that waited long enough for features go in without
    /// them, features that waited long enough for a prediction are counted unmatched, windows that ended
    /// close (oldest first), predictions past the label TTL stop waiting and finished performance is reported.
    mutating func settle(_ model: String) -> [MonitorOutput] {
        let outputs = settleSteps(model)
        guard joins[model] != nil else { return outputs }
        let due = dueAt(model, settings: settings(for: model))
        joins[model]!.dueAt = .max  // recomputed, not lowered
        lowerDue(model, to: due)
        return outputs
    }

    /// The lowest watermark at which `settleSteps` would find something to do in the model's current state:
    /// its earliest pending prediction or feature event, window end, early label, and, while the model has no
    /// label clock of its own (its predictions' watermark serves), waiting prediction or performance window
    /// past the label TTL. With a label clock those wait for labels, whose ingest settles the model.
    func dueAt(_ model: String, settings: MonitorSettings) -> Int64 {
        guard let join = joins[model] else { return .max }
        var due = Int64.max
        for pending in join.pendingPredictions.values { due = min(due, pending.event.time.millisecondsSinceEpoch) }
        for pending in join.pendingFeatures.values {
            due = min(due, Self.sum(pending.event.time.millisecondsSinceEpoch, 1))
        }
        let timeWindows = if case .count = settings.windowKind { false } else { true }
        for (key, state) in models where key.model == model {
            if timeWindows {
                for window in state.windows.values { due = min(due, window.bounds.end.millisecondsSinceEpoch) }
            }
            if settings.labels.enabled && join.highestLabelTime == .min {
                for performance in state.performance.values {
                    if let end = performance.bounds?.end.millisecondsSinceEpoch {
                        due = min(due, Self.sum(end, settings.labels.ttl))
                    }
                }
            }
        }
        guard settings.labels.enabled else { return due }
        if let oldest = join.earlyLabels.oldestTime { due = min(due, Self.sum(oldest, 1)) }
        if join.highestLabelTime == .min, let oldest = join.labels.oldestTime {
            due = min(due, Self.sum(Self.sum(oldest, settings.labels.ttl), 1))
        }
        return due
    }

    /// a + b, held at Int64's bounds (clocks start at `.min`).
    static func sum(_ a: Int64, _ b: Int64) -> Int64 {
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? .min : .max) : value
    }

    /// The report of a closed window, and its trigger when it drifted. A replayed window that was reported
    /// before the checkpoint only settles its performance bookkeeping.
    mutating func close(_ window: WindowAccumulator, key windowKey: Int64, of key: ModelKey, _ state: inout ModelState)
        -> [MonitorOutput]
    {
        let settings = settings(for: key.model)
        let end = window.bounds.end.millisecondsSinceEpoch
        let isCount = if case .count = settings.windowKind { true } else { false }
        let ghost = !isCount && end <= state.closedThrough
        var counts = WindowReport.Counts(
            events: window.events, late: 0, deadLettered: 0, unmatchedFeatures: 0, missing: window.missing.reduce(0, +))
        if !ghost {
            if let id = joins[key.model]?.partition {
                let source = SourcePartition.predictions(id)
                counts.deadLettered = partitions[source]?.deadLettered ?? 0
                partitions[source]?.deadLettered = 0
            }
            counts.unmatchedFeatures = joins[key.model]?.unmatchedFeatures ?? 0
            joins[key.model]?.unmatchedFeatures = 0
            counts.late = state.late
            state.late = 0
            if isCount {
                state.countedThrough = window.lastPredictionOffset
            } else {
                state.closedThrough = max(state.closedThrough, end)
            }
        }
        // A ghost is not compared again: its performance bookkeeping needs only the report's id and span.
        let (id, span) = WindowAnalysis.identity(model: key.model, window: window, settings: settings)
        state.performance[windowKey]?.bounds = window.bounds
        state.performance[windowKey]?.window = span
        state.performance[windowKey]?.reportID = id
        // Estimated from the scores alone, so a replayed (ghost) window gives its performance report the same. A
        // calibration fitted on the first labelled windows (`calibrate`) serves windows ending after its start.
        let estimating =
            window.reference.estimation != nil ? window.reference : state.reference ?? window.reference
        let estimated =
            end > estimating.estimationFrom ?? .min
            ? estimating.estimation.flatMap { WindowAnalysis.estimated(window, by: $0) } : nil
        state.performance[windowKey]?.estimated = estimated
        // Its performance, reported later, needs the window's predictions again if it is replayed.
        state.performance[windowKey]?.holds.hold(window.holds)
        if ghost { return [] }
        var report = WindowAnalysis.report(
            model: key.model, id: id, span: span, window: window, counts: counts, settings: settings)
        report.estimated = estimated
        if let partition = joins[key.model]?.partition, let partial = partialStarts[partition],
            window.bounds.start.millisecondsSinceEpoch < partial.from ?? .max
        {
            report.partial = .init(reason: partial.reason)
        }
        if case .numeric? = window.reference.prediction, !settings.windowKind.isHopping {
            report.predictionChanges = state.predictionDetectors.feeding(window.scoresInOffsetOrder)
        }
        let firings = PolicyEvaluation.apply(settings.policy, to: &report, states: &state.rules, windowEnd: end)
        return [.report(report)]
            + actions(firings, windowEnd: end, settings: settings) {
                FiringDetails(report: report, evidence: $0)
            }
    }

    /// The alerts and retrain triggers of the rules that fired on a window (`details` describes a firing).
    func actions(
        _ firings: [PolicyEvaluation.Firing], windowEnd: Int64, settings: MonitorSettings,
        details: (RuleEvidence) -> FiringDetails
    ) -> [MonitorOutput] {
        firings.flatMap { firing -> [MonitorOutput] in
            let data = details(firing.evidence)
            var outputs: [MonitorOutput] = []
            if firing.rule.alert { outputs.append(.alert(Alert(data))) }
            if firing.rule.retrain {
                outputs.append(
                    .trigger(RetrainTrigger(data, windowEnd: windowEnd, lookback: settings.trainingLookback)))
            }
            return outputs
        }
    }
}
