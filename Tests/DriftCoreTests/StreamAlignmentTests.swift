import DriftCore
import Testing

/// The merge of a partition number's three streams by event time, and what it waits for.
@Suite struct StreamAlignmentTests {
    typealias Item = String

    /// Pushes `items` (name, time) of one stream of partition 0, in offset order.
    func push(_ alignment: inout StreamAlignment<Item>, _ stream: EventStream, _ items: [(String, Int64?)]) {
        for (name, time) in items {
            alignment.push(name, time: time, from: SourcePartition(stream: stream, partition: 0))
        }
    }

    @Test func releasesTheEarliestNextEventFirstAndKeepsEachStreamInOffsetOrder() {
        var alignment = StreamAlignment<Item>()
        push(&alignment, .predictions, [("p1", 10), ("p2", 30), ("p3", 20), ("p4", 50)])
        push(&alignment, .features, [("f1", 10), ("f2", 25), ("f3", 40)])
        push(&alignment, .labels, [("l1", 5), ("l2", 45)])
        let merged = alignment.release(waitingFor: { _ in false })
        // p3 (20) stays behind p2 (30): a stream's own order is never changed. Ties: predictions first.
        #expect(merged == ["l1", "p1", "f1", "f2", "p2", "p3", "f3", "l2", "p4"])
        #expect(alignment.count == 0)
    }

    @Test func anEmptyStreamWithUnreadMessagesHoldsTheOthersBack() {
        var alignment = StreamAlignment<Item>()
        let features = SourcePartition(stream: .features, partition: 0)
        push(&alignment, .predictions, [("p1", 10), ("p2", 20)])
        // The features partition has unread messages: nothing may pass it yet.
        #expect(alignment.release(waitingFor: { $0 == features }).isEmpty)
        #expect(alignment.count == 2)
        push(&alignment, .features, [("f1", 15)])
        // f1 is known now: p1 goes, then f1; p2 waits for the features' next event.
        #expect(alignment.release(waitingFor: { $0 == features }) == ["p1", "f1"])
        // Caught up: the features partition is not waited for, p2 goes.
        #expect(alignment.release(waitingFor: { _ in false }) == ["p2"])
    }

    @Test func refusedInputsPassAsSoonAsTheyAreTheirStreamsNext() {
        var alignment = StreamAlignment<Item>()
        let features = SourcePartition(stream: .features, partition: 0)
        push(&alignment, .predictions, [("bad", nil), ("p1", 10)])
        #expect(alignment.release(waitingFor: { $0 == features }) == ["bad"])
        #expect(alignment.count == 1)
    }

    @Test func partitionNumbersAreIndependentAndDroppedWhole() {
        var alignment = StreamAlignment<Item>()
        alignment.push("a", time: 10, from: .predictions(0))
        alignment.push("b", time: 10, from: .predictions(1))
        alignment.push("c", time: 5, from: .features(1))
        let waitsOnZero = { (source: SourcePartition) in source == .features(0) }
        #expect(alignment.release(waitingFor: waitsOnZero) == ["c", "b"])
        #expect(alignment.holds(partition: 0))
        #expect(alignment.drop(partition: 0) == 1)
        #expect(alignment.count == 0)
        #expect(!alignment.holds(partition: 0))
    }
}
