/// Predictions waiting for their labels, by request id, in bounded memory: an entry leaves when its label
/// arrives, when the label clock passes its time plus the TTL, or when the index is over capacity (oldest
/// first). Expiry follows arrival order, which is event-time order up to the allowed lateness.
struct LabelIndex: Sendable {
    struct Entry: Sendable, Equatable {
        var version: String
        /// The windows (keys in the version's state) the prediction belongs to.
        var windows: [Int64]
        var time: Int64
        var prediction: PredictionEvent.Prediction
    }

    private var entries: [String: Entry] = [:]
    /// Arrival order; items whose entry is gone (labelled, replaced) are skipped when they come up.
    private var order: [(time: Int64, requestID: String)] = []
    private var head = 0

    var count: Int { entries.count }

    /// Adds a prediction; returns the entries it pushed out (a replaced request id, or the oldest when over
    /// `capacity`), which will never get a label.
    mutating func insert(_ entry: Entry, requestID: String, capacity: Int) -> [Entry] {
        var evicted: [Entry] = []
        if let replaced = entries.updateValue(entry, forKey: requestID) { evicted.append(replaced) }
        order.append((entry.time, requestID))
        while entries.count > capacity, let oldest = popOldest() { evicted.append(oldest) }
        if order.count - head > 2 * max(capacity, 1024) { compact() }
        return evicted
    }

    /// The prediction waiting for this request id's label, removed from the index.
    mutating func take(_ requestID: String) -> Entry? {
        entries.removeValue(forKey: requestID)
    }

    /// Removes and returns the entries older than `time` (in arrival order, stopping at the first newer one).
    mutating func expire(before time: Int64) -> [Entry] {
        var expired: [Entry] = []
        // Items of labelled or replaced predictions are skipped; the time of each item is checked, because the
        // first live entry after them may be newer than `time`.
        while head < order.count, order[head].time < time {
            let (itemTime, requestID) = order[head]
            head += 1
            if let entry = entries[requestID], entry.time == itemTime {
                entries[requestID] = nil
                expired.append(entry)
            }
        }
        if head > 4096, head * 2 > order.count { compact() }
        return expired
    }

    private mutating func popOldest() -> Entry? {
        while head < order.count {
            let (time, requestID) = order[head]
            head += 1
            if let entry = entries[requestID], entry.time == time {
                entries[requestID] = nil
                return entry
            }
        }
        return nil
    }

    /// Drops consumed and stale items from the arrival order.
    private mutating func compact() {
        order = order[head...].filter { entries[$0.requestID]?.time == $0.time }
        head = 0
    }
}
