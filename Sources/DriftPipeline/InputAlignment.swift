import DriftCore
import DriftKafka

/// The pipeline's event-time alignment (`StreamAlignment`) and what it waits for. A stream partition is waited
/// for while it may have unread messages: its lag when the batch was polled (librdkafka's position and cached
/// watermarks; before the first message of an assignment is handed over, the position is where reading starts —
/// a checkpoint's resume point — and without one, or before the first fetch response, the lag is unknown and
/// waited for too). A stream that keeps others waiting without delivering anything for `patience` of drained
/// polls (polls that emptied librdkafka's queue: a stalled fetch, a lag that never reaches zero behind
/// transaction markers, an idle partition whose start is unknown) is not waited for until it delivers again:
/// the monitor's own lateness handling then applies, as without alignment. Time spent otherwise — processing a
/// backlog, a rebalance reading the state topics — is nobody's silence: the scale-out test caught predictions
/// passing their features when it was. Owned by the loop, like the monitor.
package struct InputAlignment: Sendable {
    /// An input held back, with what its ingestion needs later: its message (dead letters, late copies).
    struct Held: Sendable {
        var input: AdmittedInput
        var position: EventPosition
        var message: KafkaMessage
        var decoding: UInt64
    }

    static let patience: Duration = .seconds(2)
    /// The most one round of the loop adds to a source's quiet time.
    static let longestStep: Duration = .milliseconds(500)

    var held = StreamAlignment<Held>()
    /// The assigned sources, with where reading starts until their first message is handed over (nil: at the
    /// committed offset, which librdkafka looks up).
    private var starts: [SourcePartition: Int64?] = [:]
    /// Drained-polling time each source that may have unread messages has gone without delivering any.
    private var quiet: [SourcePartition: Duration] = [:]
    private var lastPrepare: ContinuousClock.Instant?
    /// What the current batch waits for (set by `prepare`).
    private(set) var waits: Set<SourcePartition> = []
    /// The sources the current batch has messages of: until its last chunk is pushed, more may come.
    private var delivering: Set<SourcePartition> = []

    /// Held events of one source above which its fetching is paused; resumed at half (`input.max_held_events`).
    let maximumHeld: Int
    /// The sources whose fetching is paused.
    private(set) var paused: Set<SourcePartition> = []

    package init(maximumHeld: Int = 100_000) {
        self.maximumHeld = maximumHeld
    }

    /// After a batch: the sources to pause (more than `maximumHeld` of their events held, waiting for another
    /// stream) and to resume (held down to half). Bounds the merge's memory whatever the lag between topics;
    /// the paused partition's unread messages stay in Kafka.
    package mutating func flowChanges() -> (pause: [SourcePartition], resume: [SourcePartition]) {
        var pause: [SourcePartition] = []
        var resume: [SourcePartition] = []
        for source in starts.keys.sorted() {
            let count = held.count(of: source)
            if !paused.contains(source), count > maximumHeld {
                pause.append(source)
                paused.insert(source)
            } else if paused.contains(source), count <= maximumHeld / 2 {
                resume.append(source)
                paused.remove(source)
                quiet[source] = nil
            }
        }
        return (pause, resume)
    }

    /// True when the current batch's events go straight to the monitor: nothing is held, and no stream the
    /// batch delivers has another stream of its partition number waited for or delivered in the same batch (a
    /// stream never waits for itself: its own order is kept anyway). A single input topic read with a backlog,
    /// the common case, so costs one check per event.
    private(set) var passesStraight = true

    /// Records an assignment; `starts`: the offsets reading starts at where the pipeline chose them (checkpoints).
    package mutating func assigned(_ sources: [SourcePartition], starts: [SourcePartition: Int64] = [:]) {
        for source in sources {
            self.starts[source] = .some(starts[source])
            quiet[source] = nil
            paused.remove(source)
        }
    }

    /// Forgets the partition numbers given up (their held inputs are read again by the next owner).
    package mutating func dropped(_ sources: [SourcePartition]) {
        for source in sources {
            starts[source] = nil
            quiet[source] = nil
            paused.remove(source)
            held.drop(partition: source.partition)
        }
    }

    /// Before a batch: notes which sources it delivers and decides what the batch waits for, from where each
    /// source stood when it was polled. `drained`: the poll emptied librdkafka's queue (fewer messages than
    /// asked for), so a source with unread messages that delivered nothing is silent.
    package mutating func prepare(
        delivered: Set<SourcePartition>, readings: [SourcePartition: KafkaPartitionReading], drained: Bool,
        now: ContinuousClock.Instant = .now
    ) {
        let step = drained ? lastPrepare.map { min(now - $0, Self.longestStep) } ?? .zero : .zero
        lastPrepare = now
        delivering = delivered
        waits = []
        for (source, start) in starts {
            // Once a source delivers, librdkafka knows its position: the start no longer matters.
            if delivered.contains(source) { starts[source] = .some(nil) }
            if let lag = readings[source]?.lag(from: start), lag == 0 {
                quiet[source] = nil
                continue
            }
            // A paused source delivers nothing by our own doing: not silence.
            let silent =
                delivered.contains(source) || paused.contains(source) ? .zero : (quiet[source] ?? .zero) + step
            quiet[source] = silent
            if silent < Self.patience { waits.insert(source) }
        }
        // A batch can deliver several streams of one number (a backlog fetched at once), in fetch order, not in
        // event-time order: they go through the merge too.
        passesStraight =
            held.count == 0
            && !delivered.contains { source in
                waits.contains { $0.partition == source.partition && $0.stream != source.stream }
                    || delivered.contains { $0.partition == source.partition && $0.stream != source.stream }
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
