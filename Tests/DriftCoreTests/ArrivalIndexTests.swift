import Testing

@testable import DriftCore

/// The arrival index (predictions waiting for labels here): expiry by event time, eviction over capacity.
@Suite struct ArrivalIndexTests {
    static func entry(at time: Int64) -> WaitingPrediction {
        .init(version: "1", windows: [0], time: time, prediction: .score(0.5))
    }

    @Test func expirySkipsTakenEntriesAndKeepsNewerOnes() {
        var index = ArrivalIndex<WaitingPrediction>()
        for (id, time) in [("a", 1_000), ("b", 2_000), ("c", 9_000)] {
            _ = index.insert(Self.entry(at: Int64(time)), requestID: id, capacity: 100)
        }
        // a and b are labelled: their arrival items are stale when expiry walks past them.
        _ = index.take("a")
        _ = index.take("b")
        #expect(index.expire(before: 5_000).isEmpty)
        #expect(index.take("c")?.time == 9_000)
    }

    @Test func expiryTakesTheOldOnesAndCapacityTheOldest() {
        var index = ArrivalIndex<WaitingPrediction>()
        for time in [1_000, 2_000, 3_000] {
            _ = index.insert(Self.entry(at: Int64(time)), requestID: "r\(time)", capacity: 100)
        }
        #expect(index.expire(before: 2_500).map(\.time) == [1_000, 2_000])
        #expect(index.insert(Self.entry(at: 4_000), requestID: "r4000", capacity: 1).map(\.time) == [3_000])
        #expect(index.count == 1)
    }

    /// A prediction placed late (older than entries that arrived before it) expires when the clock passes its
    /// own time, not only after the newer ones: otherwise it misses its window's report.
    @Test func anEntryThatArrivedLateExpiresByItsOwnTime() {
        var index = ArrivalIndex<WaitingPrediction>()
        for (id, time) in [("new", 9_000), ("newer", 9_500), ("late", 1_000)] {
            _ = index.insert(Self.entry(at: Int64(time)), requestID: id, capacity: 100)
        }
        #expect(index.oldestTime == 1_000)
        #expect(index.expire(before: 5_000).map(\.time) == [1_000])
        #expect(index.count == 2)
        // Over capacity the oldest by time goes, ties in arrival order.
        _ = index.insert(Self.entry(at: 9_000), requestID: "tie", capacity: 100)
        #expect(index.insert(Self.entry(at: 9_900), requestID: "x", capacity: 3).map(\.time) == [9_000])
        #expect(index.take("new") == nil && index.take("tie") != nil)
    }
}
