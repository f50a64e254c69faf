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
        /// Labelled scores collected for a calibration the reference lacks (`labels.calibration_labels`).
        var calibration = CalibrationSample()
    }

    public let defaults: MonitorSettings
    let overrides: [String: MonitorSettings]
    var partitions: [SourcePartition: PartitionState] = [:]
    var models: [ModelKey: ModelState] = [:]
    var joins: [String: ModelJoin] = [:]
    /// Partition numbers read from a point whose earlier state is lost (`startPartially`). Apart from the
    /// partitions' read state: marking one reads nothing, so its checkpoint has no resume point until it does.
    var partialStarts: [Int32: PartialStart] = [:]
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
        if !partialStarts.isEmpty, partialStarts[position.partition].map({ $0.from == nil }) ?? false {
            partialStarts[position.partition]!.from = event.time.millisecondsSinceEpoch
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
                    .init(event: event, position: position), requestID: event.requestID,
                    capacity: settings.labels.maximumPending)
            }
        }
        joins[event.model] = consume join
        return settle(event.model)
    }

    /// Records a message that was not an event (dead-lettered), so its offset may be committed; dead letters
    /// on a predictions partition are counted in its next window report.
    public mutating func skip(at position: EventPosition) {
        Self.advance(&partitions[position.source, default: PartitionState(nextOffset: position.offset)], past: position)
        {
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
        let next = ResumePoint(
            offset: state.nextOffset, clock: source.stream == .predictions ? state.highestEventTime : .min)
        guard let held = holds[source], held.offset < next.offset else { return next }
        return held
    }

    /// The partitions the monitor holds state for.
    public var sources: [SourcePartition] { partitions.keys.sorted() }

    /// Marks partition number `partition` as read from a point whose earlier state is lost (no checkpoint, but
    /// the group had committed offsets): windows that began before its first event read from there are
    /// reported `partial`, with `reason`. Call before its events are ingested.
    public mutating func startPartially(partition: Int32, reason: String) {
        partialStarts[partition] = PartialStart(reason: reason)
    }

    /// Forgets a partition (revoked or lost) and the state of every model seen on it: their unreported windows
    /// will be rebuilt by whoever reads the (co-partitioned) partitions next. References stay: they belong to
    /// the model version, not to the partition, and a monitor that gets the partition back must compare its
    /// replayed windows with the same reference (not capture another from them).
    public mutating func drop(_ source: SourcePartition) {
        if source.stream == .predictions { partialStarts[source.partition] = nil }
        guard let state = partitions.removeValue(forKey: source) else { return }
        for key in models.keys where state.models.contains(key.model) {
            models[key] = models[key]!.reference.map { ModelState(reference: $0) }
        }
        for model in state.models { joins[model] = nil }
    }
}
