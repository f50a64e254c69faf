@testable import DriftCore
import Testing

/// The arrival index (predictions waiting for labels here): expiry by time in arrival order, eviction over capacity.
@Suite struct ArrivalIndexTests {
    static func entry(at time: Int64) -> WaitingPrediction {
        .init(version: "1", windows: [0], time: time, prediction: .score(0.5))
    }

    @Test func expiryStopsAtTheFirstWaitingPredictionThatIsNewer() {
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
        for time in [1_000, 2_000, 3_000] { _ = index.insert(Self.entry(at: Int64(time)), requestID: "r\(time)", capacity: 100) }
        #expect(index.expire(before: 2_500).map(\.time) == [1_000, 2_000])
        #expect(index.insert(Self.entry(at: 4_000), requestID: "r4000", capacity: 1).map(\.time) == [3_000])
        #expect(index.count == 1)
    }
}
