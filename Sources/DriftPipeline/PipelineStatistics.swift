import DriftStats
import Synchronization

/// What a monitor pipeline has done so far, readable from any thread while it runs (the end-to-end
/// benchmark reads it; so will metrics): input events processed and dead-lettered, outputs published, and the
/// per-event processing time (decode + monitor, from the message to its outputs) as a histogram.
public final class PipelineStatistics: Sendable {
    private let events = Atomic<Int>(0)
    private let deadLetters = Atomic<Int>(0)
    private let reports = Atomic<Int>(0)
    private let pauses = Atomic<Int>(0)
    private let firstEvent = Mutex<ContinuousClock.Instant?>(nil)
    private let latency = Mutex(LatencyHistogram())

    public init() {}

    /// Input messages processed (events and dead letters).
    public var eventsProcessed: Int { events.load(ordering: .relaxed) }
    public var deadLettered: Int { deadLetters.load(ordering: .relaxed) }
    /// Window reports published (acknowledged by the broker).
    public var windowReports: Int { reports.load(ordering: .relaxed) }
    /// Times an input partition's fetching was paused because the event-time merge held too much of it.
    public var inputPauses: Int { pauses.load(ordering: .relaxed) }
    /// When the first input message was processed.
    public var firstEventAt: ContinuousClock.Instant? { firstEvent.withLock { $0 } }

    /// The per-event processing time at a percentile, in microseconds.
    public func processingMicroseconds(atPercentile percentile: Double) -> Double? {
        latency.withLock { $0.value(atPercentile: percentile) }.map { $0 * 1000 }
    }

    /// `nanoseconds`: each event's processing time.
    func record(batch nanoseconds: [UInt64], deadLettered: Int) {
        guard !nanoseconds.isEmpty else { return }
        firstEvent.withLock { $0 = $0 ?? .now }
        latency.withLock { histogram in
            for time in nanoseconds { histogram.record(milliseconds: Double(time) / 1e6) }
        }
        events.add(nanoseconds.count, ordering: .relaxed)
        deadLetters.add(deadLettered, ordering: .relaxed)
    }

    func published(windowReports count: Int) { reports.add(count, ordering: .relaxed) }

    func paused(_ count: Int) { pauses.add(count, ordering: .relaxed) }
}
