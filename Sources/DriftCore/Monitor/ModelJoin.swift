/// The joins of one model across its input streams, by request id: predictions that came without features
/// wait for their feature event (at most until the watermark reaches their time), feature events wait for
/// their prediction, predictions wait for their label, and labels read before their prediction
/// (the topics are read in no fixed order) wait for it until the predictions' watermark passes their time.
struct ModelJoin: Sendable {
    struct PendingPrediction: Sendable {
        var event: PredictionEvent
        var position: EventPosition
        /// The watermark when it arrived: windows that had closed by then are not its to join.
        var watermark: Int64
        /// The partition's clock before it (highest event time), for resuming.
        var clock: Int64
    }

    struct PendingFeatures: Sendable {
        var event: FeatureEvent
        var position: EventPosition
    }

    /// A label read before its prediction.
    struct EarlyLabel: ArrivalTimed {
        var event: LabelEvent
        var position: EventPosition

        var time: Int64 { event.time.millisecondsSinceEpoch }
    }

    var pendingPredictions: [String: PendingPrediction] = [:]
    var pendingFeatures: [String: PendingFeatures] = [:]
    var labels = ArrivalIndex<WaitingPrediction>()
    var earlyLabels = ArrivalIndex<EarlyLabel>()
    /// Request ids of predictions taken into a bootstrapped reference (at most `labels.max_pending`): their
    /// labels have no window to join and are not counted as unmatched.
    var referenceRequests: Set<String> = []
    /// The predictions partition the model's events come from (its watermark is the model's clock).
    var partition: Int32?
    var highestFeatureTime: Int64 = .min
    var highestLabelTime: Int64 = .min
    /// Feature events that found no prediction, since the model's previous window report.
    var unmatchedFeatures = 0
    /// Labels that found no waiting prediction when read, since the model's previous performance report
    /// (counted when read, so a replay counts the same; those read early still join their prediction).
    var unmatchedLabels = 0
    /// The watermark from which settling the model could change anything (`.min`: at once), as its last
    /// settle left it.
    var dueAt: Int64 = .min

    /// The first offsets of the events still waiting here.
    var holds: OffsetHolds {
        var holds = OffsetHolds()
        for pending in pendingPredictions.values { holds.hold(pending.position, clock: pending.clock) }
        for pending in pendingFeatures.values { holds.hold(pending.position) }
        for early in earlyLabels.values { holds.hold(early.position) }
        return holds
    }
}
