/// An entry of an `ArrivalIndex`: its event time decides when it expires.
protocol ArrivalTimed: Sendable {
    var time: Int64 { get }
}

/// Entries by request id in bounded memory, for the label join's two sides (ModelJoin): predictions waiting
/// for their labels and labels waiting for their predictions. An entry leaves when it is taken, when a clock
/// passes its time, or when the index is over capacity (oldest first). Expiry follows arrival order, which is
/// event-time order up to the allowed lateness.
struct ArrivalIndex<Entry: ArrivalTimed>: Sendable {
    private var entries: [String: Entry] = [:]
    /// Arrival order; items whose entry is gone (labelled, replaced) are skipped when they come up.
    private var order: [(time: Int64, requestID: String)] = []
    private var head = 0

    var count: Int { entries.count }

    var values: Dictionary<String, Entry>.Values { entries.values }

    /// The time of the oldest item in arrival order, which `expire` looks at first (nil when empty).
    var oldestTime: Int64? { head < order.count ? order[head].time : nil }

    /// Adds an entry; returns the entries it pushed out (a replaced request id, or the oldest when over
    /// `capacity`), which will never be taken.
    mutating func insert(_ entry: Entry, requestID: String, capacity: Int) -> [Entry] {
        var evicted: [Entry] = []
        if let replaced = entries.updateValue(entry, forKey: requestID) { evicted.append(replaced) }
        order.append((entry.time, requestID))
        while entries.count > capacity, let oldest = popOldest() { evicted.append(oldest) }
        if order.count - head > 2 * max(capacity, 1024) { compact() }
        return evicted
    }

    /// The entry waiting under this request id, removed from the index.
    mutating func take(_ requestID: String) -> Entry? {
        entries.removeValue(forKey: requestID)
    }

    /// Removes and returns the entries older than `time` (in arrival order, stopping at the first newer one).
    mutating func expire(before time: Int64) -> [Entry] {
        var expired: [Entry] = []
        // Items of taken or replaced entries are skipped; the time of each item is checked, because the first
        // live entry after them may be newer than `time`.
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

/// A prediction waiting for its label.
struct WaitingPrediction: ArrivalTimed, Equatable {
    var version: String
    /// The windows (keys in the version's state) the prediction belongs to.
    var windows: [Int64]
    var time: Int64
    var prediction: PredictionEvent.Prediction
}
