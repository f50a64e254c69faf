import DriftCore
import Testing

@testable import DriftPipeline

/// What the pipeline's alignment waits for: streams with unread messages, for at most `patience` of polling
/// without a delivery; a pause of the loop does not count as a stream's silence.
@Suite struct InputAlignmentTests {
    let start = ContinuousClock.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    @Test func aStreamWithUnreadMessagesIsWaitedForUntilItStaysSilentWhilePolled() {
        var alignment = InputAlignment()
        alignment.assigned([.predictions(0), .features(0)], at: at(0))
        let lag: [SourcePartition: Int64] = [.predictions(0): 100, .features(0): 50]
        alignment.prepare(delivered: [.predictions(0)], lag: lag, now: at(100))
        #expect(alignment.waits.contains(.features(0)))
        #expect(!alignment.passesStraight)  // the batch's predictions must not pass the features

        // The loop paused for 10 s (a rebalance reading the state topics): not the features' silence.
        alignment.prepare(delivered: [.predictions(0)], lag: lag, now: at(10_100))
        #expect(alignment.waits.contains(.features(0)))

        // Polled for 2 s more without a features message: no longer waited for.
        for step in 1...5 { alignment.prepare(delivered: [.predictions(0)], lag: lag, now: at(10_100 + step * 400)) }
        #expect(!alignment.waits.contains(.features(0)))
        #expect(alignment.passesStraight)

        // It delivers again: waited for again while it has unread messages; caught up, not.
        alignment.prepare(delivered: [.features(0)], lag: lag, now: at(12_600))
        #expect(alignment.waits.contains(.features(0)))
        alignment.prepare(delivered: [], lag: [.predictions(0): 100, .features(0): 0], now: at(12_700))
        #expect(!alignment.waits.contains(.features(0)))
    }

    @Test func anUnknownLagIsWaitedForOnlyBrieflyAfterTheAssignment() {
        var alignment = InputAlignment()
        alignment.assigned([.predictions(1), .labels(1)], at: at(0))
        alignment.prepare(delivered: [.predictions(1)], lag: [.predictions(1): 10], now: at(500))
        #expect(alignment.waits.contains(.labels(1)))
        alignment.prepare(delivered: [.predictions(1)], lag: [.predictions(1): 10], now: at(2_500))
        #expect(!alignment.waits.contains(.labels(1)))
        // A stream never holds its own events back.
        #expect(alignment.passesStraight)
    }
}
