import DriftCore
import DriftKafka
import Testing

@testable import DriftPipeline

/// What the pipeline's alignment waits for: streams that may have unread messages — a known lag, or an unknown
/// one (no position and no start yet) — for at most `patience` of drained polls without a delivery; processing
/// time and pauses of the loop do not count as a stream's silence.
@Suite struct InputAlignmentTests {
    let start = ContinuousClock.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    func reading(_ source: SourcePartition, position: Int64?, high: Int64?, low: Int64? = 0) -> KafkaPartitionReading {
        KafkaPartitionReading(
            KafkaTopicPartition(topic: source.stream.rawValue, partition: source.partition), position: position,
            lowWatermark: high == nil ? nil : low, highWatermark: high)
    }

    @Test func aStreamWithUnreadMessagesIsWaitedForUntilItStaysSilentWhileDrainedPolls() {
        var alignment = InputAlignment()
        alignment.assigned([.predictions(0), .features(0)])
        let readings = [
            SourcePartition.predictions(0): reading(.predictions(0), position: 100, high: 200),
            .features(0): reading(.features(0), position: 50, high: 100),
        ]
        alignment.prepare(delivered: [.predictions(0)], readings: readings, drained: true, now: at(100))
        #expect(alignment.waits.contains(.features(0)))
        #expect(!alignment.passesStraight)  // the batch's predictions must not pass the features

        // The loop paused for 10 s (a rebalance reading the state topics): not the features' silence.
        alignment.prepare(delivered: [.predictions(0)], readings: readings, drained: true, now: at(10_100))
        #expect(alignment.waits.contains(.features(0)))
        // Full batches (librdkafka's queue not emptied) however slow: the features' messages may be queued behind.
        for step in 1...10 {
            alignment.prepare(
                delivered: [.predictions(0)], readings: readings, drained: false, now: at(10_100 + step * 500))
        }
        #expect(alignment.waits.contains(.features(0)))

        // Drained polls for 2 s more without a features message: no longer waited for.
        for step in 1...5 {
            alignment.prepare(
                delivered: [.predictions(0)], readings: readings, drained: true, now: at(15_100 + step * 400))
        }
        #expect(!alignment.waits.contains(.features(0)))
        #expect(alignment.passesStraight)

        // It delivers again: waited for again while it has unread messages; caught up, not.
        alignment.prepare(delivered: [.features(0)], readings: readings, drained: true, now: at(17_600))
        #expect(alignment.waits.contains(.features(0)))
        var caughtUp = readings
        caughtUp[.features(0)] = reading(.features(0), position: 100, high: 100)
        alignment.prepare(delivered: [], readings: caughtUp, drained: true, now: at(17_700))
        #expect(!alignment.waits.contains(.features(0)))
    }

    /// Before a stream's first message is handed over librdkafka has no position for it: the lag counts from the
    /// start the pipeline chose (a checkpoint's resume point), and without one it is unknown, and waited for,
    /// however long the fetch takes, unless the partition is empty.
    @Test func aStreamWithoutPositionIsWaitedForFromItsStartOrWhileItsLagIsUnknown() {
        var alignment = InputAlignment()
        alignment.assigned(
            [.predictions(1), .features(1), .labels(1), .predictions(2), .labels(2)],
            starts: [.features(1): 84, .labels(1): 28])
        let readings = [
            SourcePartition.predictions(1): reading(.predictions(1), position: 400, high: 900),
            .features(1): reading(.features(1), position: nil, high: 84),  // read from 84: nothing left
            .labels(1): reading(.labels(1), position: nil, high: 90),  // read from 28: 62 to go
            .predictions(2): reading(.predictions(2), position: 10, high: 20),
            // .labels(2): no fetch response yet: unknown
        ]
        alignment.prepare(
            delivered: [.predictions(1), .predictions(2)], readings: readings, drained: false, now: at(5_000))
        #expect(!alignment.waits.contains(.features(1)))
        #expect(alignment.waits.contains(.labels(1)))
        #expect(alignment.waits.contains(.labels(2)))

        // An empty partition has nothing to wait for, position or not.
        var empty = readings
        empty[.labels(2)] = reading(.labels(2), position: nil, high: 7, low: 7)
        alignment.prepare(delivered: [.predictions(2)], readings: empty, drained: false, now: at(5_100))
        #expect(!alignment.waits.contains(.labels(2)))

        // Once it delivers, its position counts, not the start.
        var delivered = readings
        delivered[.labels(1)] = reading(.labels(1), position: 90, high: 90)
        alignment.prepare(delivered: [.labels(1)], readings: delivered, drained: true, now: at(5_200))
        #expect(!alignment.waits.contains(.labels(1)))
        // The labels wait for the predictions of their number, which have unread messages.
        #expect(alignment.waits.contains(.predictions(1)))
        #expect(!alignment.passesStraight)
    }

    /// A source held beyond the bound is paused, resumed at half; while paused it is not silent (its quiet time
    /// does not grow), and a dropped partition forgets it was paused.
    @Test func aSourceHeldBeyondTheBoundIsPausedUntilHalfIsLeft() throws {
        var alignment = InputAlignment(maximumHeld: 4)
        alignment.assigned([.predictions(0), .features(0)])
        let message = KafkaMessage(
            topicPartition: KafkaTopicPartition(topic: "predictions", partition: 0), offset: 0, key: nil, value: [])
        func push(_ count: Int, from start: Int) {
            for index in start..<start + count {
                let event = PredictionEvent(
                    model: "m", modelVersion: "1", requestID: "r\(index)",
                    time: EventTime(millisecondsSinceEpoch: Int64(index)), features: [:], prediction: .score(0.5))
                alignment.held.push(
                    .init(
                        input: .prediction(event), position: EventPosition(partition: 0, offset: Int64(index)),
                        message: message, decoding: 0), time: Int64(index), from: .predictions(0))
            }
        }
        push(4, from: 0)
        #expect(alignment.flowChanges().pause.isEmpty)
        push(1, from: 4)
        #expect(alignment.flowChanges().pause == [.predictions(0)])
        #expect(alignment.flowChanges() == ([], []) as ([SourcePartition], [SourcePartition]))

        // Paused and waited for by nobody else's delivery: its quiet time does not grow.
        let readings = [
            SourcePartition.predictions(0): reading(.predictions(0), position: 5, high: 50),
            .features(0): reading(.features(0), position: 0, high: 50),
        ]
        for step in 0...10 {
            alignment.prepare(delivered: [.features(0)], readings: readings, drained: true, now: at(step * 400))
        }
        #expect(alignment.waits.contains(.predictions(0)))

        // What was held goes to the monitor: resumed (at or below half of the bound).
        #expect(alignment.held.release { _ in false }.count == 5)
        #expect(alignment.flowChanges().resume == [.predictions(0)])

        push(5, from: 10)
        #expect(alignment.flowChanges().pause == [.predictions(0)])
        alignment.dropped([.predictions(0), .features(0)])
        #expect(alignment.paused.isEmpty)
    }
}
