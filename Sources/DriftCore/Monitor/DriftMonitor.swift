import DriftStats

/// The monitor's state machine: it takes decoded events of the three input streams in partition order and
/// returns what to publish. No I/O: the pipeline publishes the outputs, then stores the offsets
/// `committableOffset(for:)` allows, which never pass an event something still needs (an open window, a
/// reference capture, a pending join, an unreported window's labels), so a restart re-reads those events.
///
/// Windows are per (model, version): tumbling or hopping by event time, or count windows of N events, with
/// each model's settings (`settings(for:)`). Each predictions partition's watermark is its highest event time
/// minus the model's allowed lateness; a time window closes when the watermark reaches its end. A partition
/// without events for `idleTimeout` (wall clock) moves its clock on by the wall-clock time since its last
/// event, so its windows still close (`tick(now:)`). An event whose windows have all closed is late: counted
/// in the next report of its (model, version) and returned as `.late`, never silently dropped.
///
/// Joins are by (model, request_id). A prediction without a `features` object waits for its feature event
/// until the watermark reaches its time. A prediction waits for its label while the model's label clock
/// (highest prediction or label time, minus the lateness) is within `labels.ttl` of it; a window's
/// performance is reported once the label clock passes its end plus the TTL. The partitions of `predictions`,
/// `features` and `labels` must be co-partitioned (same count, model id as key, assigned together).
public struct DriftMonitor: Sendable {
    struct ModelKey: Hashable, Sendable, Comparable {
        var model: String
        var version: String

        static func < (a: ModelKey, b: ModelKey) -> Bool { (a.model, a.version) < (b.model, b.version) }
    }

    struct PartitionState: Sendable {
        var nextOffset: Int64
        /// Predictions partitions: the highest event time, moved on by the idle timeout.
        var highestEventTime: Int64 = .min
        /// Wall-clock milliseconds of the last event, for the idle timeout.
        var lastArrival: Int64 = .min
        var models: Set<String> = []
        /// Messages dead-lettered since the partition's previous window report.
        var deadLettered = 0
        /// After a restore: offsets below this were read before the checkpoint, so what they count (late,
        /// dead-lettered, unmatched) is in the restored counters already.
        var replayUntil: Int64 = .min
        /// Predictions partitions: below this highest event time no model of the partition has anything due
        /// (a lower bound of their `ModelJoin.dueAt` plus lateness), so an event settles no model.
        var settleFrom: Int64 = .min
    }

    struct ModelState: Sendable {
        var capture: ReferenceCapture?
        var reference: ReferenceProfile?
        /// Open windows: time windows by start, count windows by sequence number.
        var windows: [Int64: WindowAccumulator] = [:]
        /// Windows (open or closed) whose predictions wait for labels, by the same keys.
        var performance: [Int64: PerformanceAccumulator] = [:]
        var countWindow: Int64 = 0
        /// Late events since the version's previous report, counted in the next one.
        var late = 0
        /// The end of the last reported time window: a replayed window ending there or earlier is a ghost
        /// (rebuilt for its performance bookkeeping, never reported again).
        var closedThrough: Int64 = .min
        /// The offset of the last event of the last reported count window: earlier events are skipped on replay.
        var countedThrough: Int64 = -1
        /// The end of the last window whose performance was reported.
        var performanceReportedThrough: Int64 = .min
        /// Each policy rule's recent outcomes, by rule name.
        var rules: [String: RuleState] = [:]
        /// Change detectors over the reported windows' prediction scores and the performance reports' errors.
        var predictionDetectors: ChangeDetectors?
        var errorDetectors: ChangeDetectors?
    }

    public let defaults: MonitorSettings
    private let overrides: [String: MonitorSettings]
    private var partitions: [SourcePartition: PartitionState] = [:]
    private var models: [ModelKey: ModelState] = [:]
    private var joins: [String: ModelJoin] = [:]
    /// For tests: settle every model of a partition after every event, the behaviour the `dueAt` skip
    /// must reproduce exactly.
    var settlesEveryModel = false

    /// A monitor with default settings and per-model settings that replace them for their model.
    public init(settings: MonitorSettings, models overrides: [String: MonitorSettings] = [:]) {
        defaults = settings
        self.overrides = overrides
    }

    public func settings(for model: String) -> MonitorSettings { overrides[model] ?? defaults }

    // MARK: - Input

    /// Takes one prediction, received at wall-clock time `now` (milliseconds since the epoch), and returns
    /// the outputs of what it completed or closed.
    public mutating func ingest(_ event: PredictionEvent, at position: EventPosition, receivedAt now: Int64)
        -> [MonitorOutput]
    {
        let settings = settings(for: event.model)
        // Changed in place: one lookup, and its set of models is never copied.
        let watermarkBefore = Self.advance(
            &partitions[position.source, default: PartitionState(nextOffset: position.offset)], past: position
        ) { partition in
            let watermark = Self.watermark(partition, settings)
            partition.highestEventTime = max(partition.highestEventTime, event.time.millisecondsSinceEpoch)
            partition.lastArrival = max(partition.lastArrival, now)
            // A model new to the partition is not in its `settleFrom` yet.
            if partition.models.insert(event.model).inserted { partition.settleFrom = .min }
            return watermark
        }
        joins[event.model, default: ModelJoin()].partition = position.partition

        var outputs: [MonitorOutput] = []
        if event.awaitsFeatures && isOpen(event, settings: settings, watermark: watermarkBefore) {
            if let features = joins[event.model]!.pendingFeatures.removeValue(forKey: event.requestID) {
                var merged = event
                merged.features = features.event.features
                outputs += place(merged, at: position, features: features.position, watermark: watermarkBefore)
            } else {
                joins[event.model]!.pendingPredictions[event.requestID] = .init(
                    event: event, position: position, watermark: watermarkBefore,
                    clock: watermarkBefore == .min ? .min : watermarkBefore + settings.allowedLateness)
                lowerDue(event.model, to: event.time.millisecondsSinceEpoch)
            }
        } else {
            outputs += place(event, at: position, watermark: watermarkBefore)
        }
        return outputs + closeWindows(on: position.partition)
    }

    /// Takes the features of a prediction that came (or will come) without them.
    public mutating func ingest(_ event: FeatureEvent, at position: EventPosition, receivedAt now: Int64)
        -> [MonitorOutput]
    {
        arrive(event.model, at: position)
        // Taken out of the dictionary while it changes, so its buffers are never copied (copy-on-write).
        var join = joins.removeValue(forKey: event.model) ?? ModelJoin()
        join.highestFeatureTime = max(join.highestFeatureTime, event.time.millisecondsSinceEpoch)
        let pending = join.pendingPredictions.removeValue(forKey: event.requestID)
        if pending == nil { join.pendingFeatures[event.requestID] = .init(event: event, position: position) }
        joins[event.model] = consume join  // placing the event changes the stored join: no second owner
        var outputs: [MonitorOutput] = []
        if let pending {
            var merged = pending.event
            merged.features = event.features
            outputs += place(merged, at: pending.position, features: position, watermark: pending.watermark)
        }
        return outputs + settle(event.model)
    }

    /// Takes a label: it joins the waiting prediction of the same request id, whose windows' performance it
    /// feeds; without one it is counted as unmatched and waits for the prediction (the labels topic may be read
    /// ahead of the predictions topic) until the predictions' watermark passes its time.
    public mutating func ingest(_ event: LabelEvent, at position: EventPosition, receivedAt now: Int64)
        -> [MonitorOutput]
    {
        arrive(event.model, at: position)
        var join = joins.removeValue(forKey: event.model) ?? ModelJoin()
        join.highestLabelTime = max(join.highestLabelTime, event.time.millisecondsSinceEpoch)
        var matched = false
        if let entry = join.labels.take(event.requestID) {
            let key = ModelKey(model: event.model, version: entry.version)
            for window in entry.windows where models[key]?.performance[window] != nil {
                models[key]!.performance[window]!.add(prediction: entry.prediction, truth: event.label, at: position)
                matched = true
            }
        }
        if !matched, join.referenceRequests.remove(event.requestID) != nil {
            matched = true  // the label of an event in the bootstrapped reference: nothing to join, not unmatched
        }
        if !matched {
            if position.offset >= (partitions[position.source]?.replayUntil ?? .min) { join.unmatchedLabels += 1 }
            // Read before its prediction (or without one): it waits, in bounded memory.
            let settings = settings(for: event.model)
            if settings.labels.enabled && join.earlyLabels.count < settings.labels.maximumPending {
                _ = join.earlyLabels.insert(
                    .init(event: event, position: position), requestID: event.requestID, capacity: settings.labels.maximumPending)
            }
        }
        joins[event.model] = consume join
        return settle(event.model)
    }

    /// Records a message that was not an event (dead-lettered), so its offset may be committed; dead letters
    /// on a predictions partition are counted in its next window report.
    public mutating func skip(at position: EventPosition) {
        Self.advance(&partitions[position.source, default: PartitionState(nextOffset: position.offset)], past: position) {
            if position.offset >= $0.replayUntil { $0.deadLettered += 1 }
        }
    }

    /// Makes `reference` the reference of its version of `model`: windows opened from now on are compared
    /// with it (a capture in progress is abandoned).
    /// A bootstrapped reference does not replace a built or deployed one (restored state arrives in any order).
    public mutating func install(_ reference: ReferenceProfile, model: String) {
        let key = ModelKey(model: model, version: reference.modelVersion)
        if reference.source == .bootstrap, let current = models[key]?.reference, current.source != .bootstrap { return }
        models[key, default: ModelState()].reference = reference
        models[key]!.capture = nil
    }

    /// The reference in use for a version of a model, if it has one yet.
    public func reference(model: String, version: String) -> ReferenceProfile? {
        models[ModelKey(model: model, version: version)]?.reference
    }

    /// Moves the clock of every predictions partition idle for `idleTimeout` on with the wall clock (`now`,
    /// milliseconds since the epoch) and returns the outputs of what closed. Call it when polls come back empty.
    public mutating func tick(now: Int64) -> [MonitorOutput] {
        guard let timeout = defaults.idleTimeout else { return [] }
        var outputs: [MonitorOutput] = []
        for source in partitions.keys.sorted() where source.stream == .predictions {
            guard var partition = partitions[source], partition.lastArrival != .min,
                  partition.highestEventTime != .min, now - partition.lastArrival >= timeout
            else { continue }
            partition.highestEventTime += now - partition.lastArrival
            partition.lastArrival = now
            partitions[source] = partition
            outputs += closeWindows(on: source.partition)
        }
        return outputs
    }

    /// The end of a finite input (`replay`): no label will come any more, so predictions stop waiting for one
    /// and the performance of every window that has closed is reported. Call after the ticks that close them.
    public mutating func finishLabels() -> [MonitorOutput] {
        var outputs: [MonitorOutput] = []
        for model in joins.keys.sorted() where settings(for: model).labels.enabled {
            joins[model]!.highestLabelTime = .max / 2
            outputs += settle(model)
        }
        return outputs
    }

    // MARK: - Offsets and partitions

    /// The offset to store for a partition: the next unread one, held back to the first event anything still
    /// needs. Nil when nothing was read from the partition.
    public func committableOffset(for source: SourcePartition) -> Int64? {
        resumePoint(for: source)?.offset
    }

    /// Where a restart resumes a partition: `committableOffset`, with the partition's clock just before it.
    public func resumePoint(for source: SourcePartition) -> ResumePoint? {
        guard let state = partitions[source] else { return nil }
        var holds = OffsetHolds()
        for model in models.values {
            if let capture = model.capture { holds.hold(capture.holds) }
            for window in model.windows.values { holds.hold(window.holds) }
            for window in model.performance.values { holds.hold(window.holds) }
        }
        for join in joins.values { holds.hold(join.holds) }
        let next = ResumePoint(offset: state.nextOffset, clock: source.stream == .predictions ? state.highestEventTime : .min)
        guard let held = holds[source], held.offset < next.offset else { return next }
        return held
    }

    // MARK: - Checkpoints

    /// How far a partition has been read, counting what a restored checkpoint had read already.
    func readOffset(of source: SourcePartition) -> Int64? {
        partitions[source].map { max($0.nextOffset, $0.replayUntil) }
    }

    /// The models read on any stream of a partition number.
    func modelNames(on partition: Int32) -> Set<String> {
        [EventStream.predictions, .features, .labels].reduce(into: Set<String>()) { names, stream in
            names.formUnion(partitions[SourcePartition(stream: stream, partition: partition)]?.models ?? [])
        }
    }

    func deadLetteredCount(on partition: Int32) -> Int { partitions[.predictions(partition)]?.deadLettered ?? 0 }

    func versionStates(of names: Set<String>) -> [MonitorCheckpoint.Version] {
        models.filter { names.contains($0.key.model) }.sorted { $0.key < $1.key }.map { key, state in
            MonitorCheckpoint.Version(
                model: key.model, version: key.version, late: state.late, closedThrough: state.closedThrough,
                countedThrough: state.countedThrough, performanceReportedThrough: state.performanceReportedThrough,
                rules: state.rules, predictionDetectors: state.predictionDetectors, errorDetectors: state.errorDetectors)
        }
    }

    func modelCounters(of names: Set<String>) -> [MonitorCheckpoint.Model] {
        names.sorted().compactMap { name in
            joins[name].map {
                MonitorCheckpoint.Model(
                    model: name, unmatchedFeatures: $0.unmatchedFeatures, unmatchedLabels: $0.unmatchedLabels,
                    referenceRequests: $0.referenceRequests.sorted())
            }
        }
    }

    /// Starts a partition number from a checkpoint, before any of its events is ingested: reading resumes at
    /// the checkpoint's resume points, and what was counted or reported before it is not again.
    public mutating func restore(_ checkpoint: MonitorCheckpoint) {
        let names = Set(checkpoint.versions.map(\.model) + checkpoint.models.map(\.model))
        for (name, point) in checkpoint.resume {
            guard let stream = EventStream(rawValue: name) else { continue }
            let source = SourcePartition(stream: stream, partition: checkpoint.partition)
            var state = PartitionState(nextOffset: point.offset)
            state.replayUntil = checkpoint.read[name] ?? point.offset
            if stream == .predictions {
                state.highestEventTime = point.clock
                state.deadLettered = checkpoint.deadLettered
                state.models = names
            }
            partitions[source] = state
        }
        for version in checkpoint.versions {
            let key = ModelKey(model: version.model, version: version.version)
            models[key, default: ModelState()].late = version.late
            models[key]!.closedThrough = version.closedThrough
            models[key]!.countedThrough = version.countedThrough
            models[key]!.performanceReportedThrough = version.performanceReportedThrough
            models[key]!.rules = version.rules
            models[key]!.predictionDetectors = version.predictionDetectors
            models[key]!.errorDetectors = version.errorDetectors
        }
        for model in checkpoint.models {
            joins[model.model, default: ModelJoin()].unmatchedFeatures = model.unmatchedFeatures
            joins[model.model]!.unmatchedLabels = model.unmatchedLabels
            joins[model.model]!.referenceRequests.formUnion(model.referenceRequests)
        }
        if checkpoint.resume[EventStream.predictions.rawValue] != nil {
            for name in names { joins[name, default: ModelJoin()].partition = checkpoint.partition }
        }
    }

    /// The partitions the monitor holds state for.
    public var sources: [SourcePartition] { partitions.keys.sorted() }

    /// Forgets a partition (revoked or lost) and the state of every model seen on it: their unreported windows
    /// will be rebuilt by whoever reads the (co-partitioned) partitions next. References stay: they belong to
    /// the model version, not to the partition, and a monitor that gets the partition back must compare its
    /// replayed windows with the same reference (not capture another from them).
    public mutating func drop(_ source: SourcePartition) {
        guard let state = partitions.removeValue(forKey: source) else { return }
        for key in models.keys where state.models.contains(key.model) {
            models[key] = models[key]!.reference.map { ModelState(reference: $0) }
        }
        for model in state.models { joins[model] = nil }
    }

    // MARK: - Windows

    /// Records that an event of `model` was read at `position` (features and labels partitions).
    private mutating func arrive(_ model: String, at position: EventPosition) {
        Self.advance(&partitions[position.source, default: PartitionState(nextOffset: position.offset)], past: position) {
            $0.models.insert(model)
        }
    }

    /// Moves a partition's read position past `position`, after `body` updated the rest of its state.
    @discardableResult
    private static func advance<T>(
        _ partition: inout PartitionState, past position: EventPosition, _ body: (inout PartitionState) -> T
    ) -> T {
        let result = body(&partition)
        partition.nextOffset = max(partition.nextOffset, position.offset + 1)
        return result
    }

    private static func watermark(_ partition: PartitionState, _ settings: MonitorSettings) -> Int64 {
        partition.highestEventTime == .min ? .min : partition.highestEventTime - settings.allowedLateness
    }

    /// The watermark of the predictions partition a model's events come from.
    private func watermark(of model: String) -> Int64 {
        guard let id = joins[model]?.partition, let partition = partitions[.predictions(id)]
        else { return .min }
        return Self.watermark(partition, settings(for: model))
    }

    /// The time windows holding `time`, oldest first, without an array: a tumbling window is a hopping one whose
    /// slide is its size. Count windows are not cut by time; callers handle them first.
    private func windows(containing time: EventTime, _ settings: MonitorSettings)
        -> LazyMapSequence<ClosedRange<Int64>, WindowBounds>
    {
        let slide = if case .hopping(let slide) = settings.windowKind { slide } else { settings.windowSize }
        return WindowBounds.containing(time, size: settings.windowSize, slide: slide)
    }

    /// Whether an event still has an open window (always, for count windows and versions without a reference).
    private func isOpen(_ event: PredictionEvent, settings: MonitorSettings, watermark: Int64) -> Bool {
        if case .count = settings.windowKind { return true }
        if models[ModelKey(model: event.model, version: event.modelVersion)]?.reference == nil { return true }
        return windows(containing: event.time, settings).contains { $0.end.millisecondsSinceEpoch > watermark }
    }

    /// Puts a complete event (features joined, read at `features` when they came separately) into its
    /// version's capture or windows; windows that closed by `watermark` are not its own (late when none is left).
    private mutating func place(
        _ event: PredictionEvent, at position: EventPosition, features: EventPosition? = nil, watermark: Int64
    ) -> [MonitorOutput] {
        let settings = settings(for: event.model)
        let key = ModelKey(model: event.model, version: event.modelVersion)
        let placed = Placement(
            prediction: position, clock: watermark == .min ? .min : watermark + settings.allowedLateness, features: features)
        // The version's state is swapped out of the dictionary while it changes (close needs `self` too) and
        // swapped back through its index: no second hash, no removal, and its buffers are never copied.
        let index = models.index(forKey: key) ?? {
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
            if join.earlyLabels.take(event.requestID) == nil && join.referenceRequests.count < settings.labels.maximumPending {
                join.referenceRequests.insert(event.requestID)
            }
            joins[event.model] = consume join
        }
        var due = placedDue
        if settings.labels.enabled && !labelled.isEmpty {
            if let early = joins[event.model]?.earlyLabels.take(event.requestID) {
                for window in labelled {
                    models[key]!.performance[window]!.add(prediction: event.prediction, truth: early.event.label, at: early.position)
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
    private func isInReference(_ position: EventPosition, _ state: borrowing ModelState) -> Bool {
        guard let captured = state.reference?.captured else { return state.reference == nil }
        return captured.contains(partition: position.partition, offset: position.offset)
    }

    /// `place`'s work on the version's state, taken out of `models`: the outputs, the windows whose performance
    /// waits for the event's label (only when labels are joined), and from which watermark what the event
    /// added is due (`.max`: nothing).
    private mutating func place(
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
            state.windows[start, default: WindowAccumulator(bounds: bounds, reference: reference)].add(event, at: placed)
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
            state.windows[window, default: WindowAccumulator(
                bounds: WindowBounds(start: event.time, end: EventTime(millisecondsSinceEpoch: time + 1)),
                reference: reference)]
                .add(event, at: placed)
            joinedAny = true
            if settings.labels.enabled { joined = [window] }
        case .tumbling, .hopping:
            for bounds in windows(containing: event.time, settings) where bounds.end.millisecondsSinceEpoch > watermark {
                join(bounds)
            }
        }
        if !isCount && !joinedAny && position.offset >= (partitions[position.source]?.replayUntil ?? .min) {
            state.late += 1
            outputs.append(.late(position))
        }
        // Windows whose performance was reported before a checkpoint collect no labels when replayed.
        let labelled = joined.filter { window in isCount || window + settings.windowSize > state.performanceReportedThrough }
        if settings.labels.enabled {
            for window in labelled {
                state.performance[window, default: PerformanceAccumulator(referenceVersion: reference.modelVersion)].expect()
            }
        }
        if case .count(let size) = settings.windowKind, let window = state.windows[state.countWindow], window.events >= size {
            state.windows[state.countWindow] = nil
            outputs += close(window, key: state.countWindow, of: key, &state)
            state.countWindow += 1
            due = .min  // its performance may be due already
        }
        return (outputs, labelled, due)
    }

    /// Records that something added to a model's state is due from `watermark` on: lowers its `dueAt` and its
    /// predictions partition's `settleFrom`.
    private mutating func lowerDue(_ model: String, to watermark: Int64) {
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
    private mutating func closeWindows(on partition: Int32) -> [MonitorOutput] {
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
            settleFrom = join.partition == partition
                ? min(settleFrom, Self.sum(join.dueAt, settings(for: name).allowedLateness)) : .min
        }
        partitions[source]?.settleFrom = settleFrom
        return outputs
    }

    /// Brings a model up to its watermark: predictions that waited long enough for features go in without
    /// them, features that waited long enough for a prediction are counted unmatched, windows that ended
    /// close (oldest first), predictions past the label TTL stop waiting and finished performance is reported.
    private mutating func settle(_ model: String) -> [MonitorOutput] {
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
    private func dueAt(_ model: String, settings: MonitorSettings) -> Int64 {
        guard let join = joins[model] else { return .max }
        var due = Int64.max
        for pending in join.pendingPredictions.values { due = min(due, pending.event.time.millisecondsSinceEpoch) }
        for pending in join.pendingFeatures.values { due = min(due, Self.sum(pending.event.time.millisecondsSinceEpoch, 1)) }
        let timeWindows = if case .count = settings.windowKind { false } else { true }
        for (key, state) in models where key.model == model {
            if timeWindows {
                for window in state.windows.values { due = min(due, window.bounds.end.millisecondsSinceEpoch) }
            }
            if settings.labels.enabled && join.highestLabelTime == .min {
                for performance in state.performance.values {
                    if let end = performance.bounds?.end.millisecondsSinceEpoch { due = min(due, Self.sum(end, settings.labels.ttl)) }
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
    private static func sum(_ a: Int64, _ b: Int64) -> Int64 {
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? .min : .max) : value
    }

    private mutating func settleSteps(_ model: String) -> [MonitorOutput] {
        let settings = settings(for: model)
        let watermark = watermark(of: model)
        guard var join = joins.removeValue(forKey: model) else { return [] }
        var outputs: [MonitorOutput] = []

        // Settled after every event: each step first checks whether it has anything to do, without allocating.
        var due: [ModelJoin.PendingPrediction] = []
        if join.pendingPredictions.values.contains(where: { $0.event.time.millisecondsSinceEpoch <= watermark }) {
            due = join.pendingPredictions.values.filter { $0.event.time.millisecondsSinceEpoch <= watermark }
                .sorted { $0.position.offset < $1.position.offset }
            for pending in due { join.pendingPredictions[pending.event.requestID] = nil }
        }
        let featureClock = max(watermark, join.highestFeatureTime == .min ? .min : join.highestFeatureTime - settings.allowedLateness)
        if join.pendingFeatures.values.contains(where: { $0.event.time.millisecondsSinceEpoch < featureClock }) {
            let stale = join.pendingFeatures.filter { $0.value.event.time.millisecondsSinceEpoch < featureClock }
            for requestID in stale.keys { join.pendingFeatures[requestID] = nil }
            join.unmatchedFeatures += stale.values.filter {
                $0.position.offset >= (partitions[$0.position.source]?.replayUntil ?? .min)
            }.count
        }
        joins[model] = consume join  // placing events changes the stored join: no second owner
        for pending in due {
            outputs += place(pending.event, at: pending.position, watermark: pending.watermark)
        }

        if case .count = settings.windowKind {} else {
            var ending: [ModelKey] = []
            for (key, state) in models where key.model == model
                && state.windows.values.contains(where: { $0.bounds.end.millisecondsSinceEpoch <= watermark })
            {
                ending.append(key)
            }
            for key in ending.sorted() {
                let closing = models[key]!.windows.filter { $0.value.bounds.end.millisecondsSinceEpoch <= watermark }.keys.sorted()
                var state = models.removeValue(forKey: key)!
                for start in closing {
                    outputs += close(state.windows.removeValue(forKey: start)!, key: start, of: key, &state)
                }
                models[key] = state
            }
        }

        guard settings.labels.enabled else { return outputs }
        // A label waits for its prediction until the predictions' watermark passes its time: a prediction
        // (no later than its label) read after that would be late. The label clock is not the measure here:
        // the labels topic may be read far ahead of the predictions topic (catching up).
        _ = joins[model]!.earlyLabels.expire(before: watermark)
        // Predictions stop waiting when the labels' own clock passes their time + TTL (an interval join cleaned
        // by the other side's watermark), so reading the predictions topic ahead of the labels topic expires
        // nothing. A model that never had a label uses its predictions' watermark.
        let labelClock = joins[model]!.highestLabelTime == .min
            ? watermark : joins[model]!.highestLabelTime - settings.allowedLateness
        guard labelClock != .min else { return outputs }
        let horizon = labelClock - settings.labels.ttl
        expire(joins[model]!.labels.expire(before: horizon), model: model)
        // Labels that waited for their prediction as long as a prediction waits for its label.
        var labelled: [ModelKey] = []
        for (key, state) in models where key.model == model && state.performance.values.contains(where: {
            $0.bounds.map { $0.end.millisecondsSinceEpoch <= horizon } ?? false
        }) {
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
            }
            models[key] = state
        }
        return outputs
    }

    /// Counts predictions that will never get a label in their windows' performance.
    private mutating func expire(_ entries: [WaitingPrediction], model: String) {
        for entry in entries {
            let key = ModelKey(model: model, version: entry.version)
            for window in entry.windows { models[key]?.performance[window]?.expire() }
        }
    }

    /// The report of a closed window, and its trigger when it drifted. A replayed window that was reported
    /// before the checkpoint only settles its performance bookkeeping.
    private mutating func close(_ window: WindowAccumulator, key windowKey: Int64, of key: ModelKey, _ state: inout ModelState)
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
            if isCount { state.countedThrough = window.lastPredictionOffset } else { state.closedThrough = max(state.closedThrough, end) }
        }
        // A ghost is not compared again: its performance bookkeeping needs only the report's id and span.
        let (id, span) = WindowAnalysis.identity(model: key.model, window: window, settings: settings)
        state.performance[windowKey]?.bounds = window.bounds
        state.performance[windowKey]?.window = span
        state.performance[windowKey]?.reportID = id
        // Its performance, reported later, needs the window's predictions again if it is replayed.
        state.performance[windowKey]?.holds.hold(window.holds)
        if ghost { return [] }
        var report = WindowAnalysis.report(
            model: key.model, id: id, span: span, window: window, counts: counts, settings: settings)
        if case .numeric? = window.reference.prediction, !settings.windowKind.isHopping {
            report.predictionChanges = state.predictionDetectors.feeding(window.scoresInOffsetOrder)
        }
        let firings = PolicyEvaluation.apply(settings.policy, to: &report, states: &state.rules, windowEnd: end)
        return [.report(report)] + actions(firings, windowEnd: end, settings: settings) {
            FiringDetails(report: report, evidence: $0)
        }
    }

    /// The alerts and retrain triggers of the rules that fired on a window (`details` describes a firing).
    private func actions(
        _ firings: [PolicyEvaluation.Firing], windowEnd: Int64, settings: MonitorSettings,
        details: (RuleEvidence) -> FiringDetails
    ) -> [MonitorOutput] {
        firings.flatMap { firing -> [MonitorOutput] in
            let data = details(firing.evidence)
            var outputs: [MonitorOutput] = []
            if firing.rule.alert { outputs.append(.alert(Alert(data))) }
            if firing.rule.retrain {
                outputs.append(.trigger(RetrainTrigger(data, windowEnd: windowEnd, lookback: settings.trainingLookback)))
            }
            return outputs
        }
    }

    private mutating func report(_ performance: PerformanceAccumulator, of key: ModelKey, settings: MonitorSettings)
        -> PerformanceReport
    {
        let unmatched = joins[key.model]?.unmatchedLabels ?? 0
        joins[key.model]?.unmatchedLabels = 0
        let labeled = performance.labeled
        return PerformanceReport(
            id: "\(performance.reportID)/performance", model: key.model, modelVersion: key.version,
            window: performance.window!, referenceVersion: performance.referenceVersion,
            labels: .init(
                predictions: performance.predictions, labeled: labeled, unlabeled: performance.unlabeled,
                unmatched: unmatched),
            metrics: performance.metrics(settings: settings.labels),
            status: labeled == 0 ? .noLabels : labeled < settings.labels.minimumLabels ? .insufficientLabels : .ok)
    }
}
