/// An entry of an `ArrivalIndex`: its event time decides when it expires.
protocol ArrivalTimed: Sendable {
    var time: Int64 { get }
}

/// Entries by request id in bounded memory, for the label join's two sides (ModelJoin): predictions waiting
/// for their labels and labels waiting for their predictions. An entry leaves when it is taken, when a clock
/// passes its time, or when the index is over capacity (oldest first). Expiry and eviction follow event time
/// (ties in arrival order), kept in a binary min-heap: an entry that arrives late, behind newer ones, still
/// expires when the clock passes its own time (a FIFO of arrivals stopped at the first newer entry and so kept
/// a late prediction waiting past its window's report, where it was counted neither labelled nor unlabelled).
struct ArrivalIndex<Entry: ArrivalTimed>: Sendable {
    /// A heap item; its entry may be gone (taken, replaced), which is noticed when it comes up.
    private struct Item: Sendable {
        var time: Int64
        var sequence: Int
        var requestID: String

        func precedes(_ other: Item) -> Bool { (time, sequence) < (other.time, other.sequence) }
    }

    private var entries: [String: (entry: Entry, sequence: Int)] = [:]
    private var heap: [Item] = []
    private var sequence = 0

    var count: Int { entries.count }

    var values: [Entry] { entries.values.map(\.entry) }

    /// The time of the oldest item, which `expire` looks at first (nil when empty; an item whose entry is gone
    /// may make it earlier than the oldest live entry, never later).
    var oldestTime: Int64? { heap.first?.time }

    /// Adds an entry; returns the entries it pushed out (a replaced request id, or the oldest when over
    /// `capacity`), which will never be taken.
    mutating func insert(_ entry: Entry, requestID: String, capacity: Int) -> [Entry] {
        var evicted: [Entry] = []
        sequence += 1
        if let replaced = entries.updateValue((entry, sequence), forKey: requestID) { evicted.append(replaced.entry) }
        push(Item(time: entry.time, sequence: sequence, requestID: requestID))
        while entries.count > capacity, let oldest = popOldest() { evicted.append(oldest) }
        if heap.count > 2 * max(capacity, 1024) { compact() }
        return evicted
    }

    /// The entry waiting under this request id, removed from the index.
    mutating func take(_ requestID: String) -> Entry? {
        entries.removeValue(forKey: requestID)?.entry
    }

    /// Removes and returns the entries older than `time`, oldest first.
    mutating func expire(before time: Int64) -> [Entry] {
        var expired: [Entry] = []
        while let top = heap.first, top.time < time {
            pop()
            if let live = entries[top.requestID], live.sequence == top.sequence {
                entries[top.requestID] = nil
                expired.append(live.entry)
            }
        }
        return expired
    }

    /// Pops heap items until one whose entry is still there, which it removes and returns.
    private mutating func popOldest() -> Entry? {
        while let top = heap.first {
            pop()
            if let live = entries[top.requestID], live.sequence == top.sequence {
                entries[top.requestID] = nil
                return live.entry
            }
        }
        return nil
    }

    private mutating func push(_ item: Item) {
        heap.append(item)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func pop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            let right = left + 1
            let child = right < heap.count && heap[right].precedes(heap[left]) ? right : left
            guard heap[child].precedes(heap[parent]) else { return }
            heap.swapAt(child, parent)
            parent = child
        }
    }

    /// Drops the items of entries that are gone and rebuilds the heap.
    private mutating func compact() {
        let live = heap.filter { entries[$0.requestID]?.sequence == $0.sequence }
        heap = []
        for item in live { push(item) }
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
