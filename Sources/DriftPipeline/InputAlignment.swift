import DriftCore
import DriftKafka

/// The pipeline's event-time alignment (`StreamAlignment`) and what it waits for. A stream partition is waited
/// for while it has unread messages — its lag when the batch was polled, from librdkafka's cached watermarks —
/// or, before its first watermark is known, for `grace` after its assignment. A stream that has kept others
/// waiting without delivering anything for `patience` of polling (a stalled fetch, a lag that never reaches
/// zero behind transaction markers) is not waited for until it delivers again: the monitor's own lateness
/// handling then applies, as without alignment. Only time spent polling counts: a pause of the loop (a
/// rebalance that reads the state topics, a long batch) is nobody's silence, and after it every stream with a
/// lag is waited for again (the scale-out test caught predictions passing their features after such a pause).
/// Owned by the loop, like the monitor.
package struct InputAlignment: Sendable {
    /// An input held back, with what its ingestion needs later: its message (dead letters, late copies).
    struct Held: Sendable {
        var input: AdmittedInput
        var position: EventPosition
        var message: KafkaMessage
        var decoding: UInt64
    }

    static let grace: Duration = .seconds(2)
    static let patience: Duration = .seconds(2)

    var held = StreamAlignment<Held>()
    private var assignedAt: [SourcePartition: ContinuousClock.Instant] = [:]
    /// Polling time each source with unread messages has gone without delivering any.
    private var quiet: [SourcePartition: Duration] = [:]
    private var lastPrepare: ContinuousClock.Instant?
    /// The most one round of the loop adds to a source's quiet time.
    static let longestStep: Duration = .milliseconds(500)
    /// What the current batch waits for (set by `prepare`).
    private(set) var waits: Set<SourcePartition> = []
    /// The sources the current batch has messages of: until its last chunk is pushed, more may come.
    private var delivering: Set<SourcePartition> = []

    package init() {}

    /// True when the current batch's events go straight to the monitor: nothing is held, and no stream the
    /// batch delivers has another stream of its partition number waited for (a stream never waits for itself:
    /// its own order is kept anyway). A single input topic read with a backlog, the common case, so costs one
    /// check per event.
    private(set) var passesStraight = true

    package mutating func assigned(_ sources: [SourcePartition], at now: ContinuousClock.Instant = .now) {
        for source in sources {
            assignedAt[source] = now
            quiet[source] = nil
        }
    }

    /// Forgets the partition numbers given up (their held inputs are read again by the next owner).
    package mutating func dropped(_ sources: [SourcePartition]) {
        for source in sources {
            assignedAt[source] = nil
            quiet[source] = nil
            held.drop(partition: source.partition)
        }
    }

    /// Before a batch: notes which sources it delivers and decides what the batch waits for, from the lag
    /// measured when it was polled.
    package mutating func prepare(
        delivered: Set<SourcePartition>, lag: [SourcePartition: Int64], now: ContinuousClock.Instant = .now
    ) {
        let step = lastPrepare.map { min(now - $0, Self.longestStep) } ?? .zero
        lastPrepare = now
        delivering = delivered
        waits = []
        for (source, assigned) in assignedAt {
            if let lag = lag[source] {
                guard lag > 0 else {
                    quiet[source] = nil
                    continue
                }
                let silent = delivered.contains(source) ? .zero : (quiet[source] ?? .zero) + step
                quiet[source] = silent
                if silent < Self.patience { waits.insert(source) }
            } else if now - assigned < Self.grace {
                waits.insert(source)
            }
        }
        passesStraight =
            held.count == 0
            && !delivered.contains { source in
                waits.contains { $0.partition == source.partition && $0.stream != source.stream }
            }
    }

    /// The held inputs whose turn has come, in merged order. Before the batch's last chunk is pushed
    /// (`batchDone` false) its own sources are waited for too: their next messages are in the batch.
    mutating func release(batchDone: Bool) -> [Held] {
        guard held.count > 0 else { return [] }
        if batchDone { return held.release(waitingFor: waits.contains) }
        return held.release { waits.contains($0) || delivering.contains($0) }
    }
}
