/// The joins of one model across its input streams, by request id: predictions that came without features
/// wait for their feature event (at most until the watermark reaches their time), feature events wait for
/// their prediction, predictions wait for their label (LabelIndex), and labels read before their prediction
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

    struct EarlyLabel: Sendable {
        var event: LabelEvent
        var position: EventPosition
    }

    /// Labels waiting for their prediction, by request id, expiring in arrival order (label time order up
    /// to the allowed lateness), like LabelIndex.
    struct EarlyLabels: Sendable {
        private(set) var byRequestID: [String: EarlyLabel] = [:]
        private var order: [(time: Int64, requestID: String)] = []
        private var head = 0

        var count: Int { byRequestID.count }

        mutating func insert(_ label: EarlyLabel, requestID: String) {
            byRequestID[requestID] = label
            order.append((label.event.time.millisecondsSinceEpoch, requestID))
        }

        mutating func take(_ requestID: String) -> EarlyLabel? { byRequestID.removeValue(forKey: requestID) }

        /// Drops the labels older than `time`.
        mutating func expire(before time: Int64) {
            while head < order.count, order[head].time < time {
                let (itemTime, requestID) = order[head]
                head += 1
                if byRequestID[requestID]?.event.time.millisecondsSinceEpoch == itemTime { byRequestID[requestID] = nil }
            }
            if head > 4096, head * 2 > order.count {
                order = order[head...].filter { byRequestID[$0.requestID]?.event.time.millisecondsSinceEpoch == $0.time }
                head = 0
            }
        }
    }

    var pendingPredictions: [String: PendingPrediction] = [:]
    var pendingFeatures: [String: PendingFeatures] = [:]
    var labels = LabelIndex()
    var earlyLabels = EarlyLabels()
    /// The predictions partition the model's events come from (its watermark is the model's clock).
    var partition: Int32?
    var highestFeatureTime: Int64 = .min
    var highestLabelTime: Int64 = .min
    /// Feature events that found no prediction, since the model's previous window report.
    var unmatchedFeatures = 0
    /// Labels that found no waiting prediction when read, since the model's previous performance report
    /// (counted when read, so a replay counts the same; those read early still join their prediction).
    var unmatchedLabels = 0

    /// The first offsets of the events still waiting here.
    var holds: OffsetHolds {
        var holds = OffsetHolds()
        for pending in pendingPredictions.values { holds.hold(pending.position, clock: pending.clock) }
        for pending in pendingFeatures.values { holds.hold(pending.position) }
        for early in earlyLabels.byRequestID.values { holds.hold(early.position) }
        return holds
    }
}
