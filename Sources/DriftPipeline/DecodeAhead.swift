import Dispatch
import DriftCore
import DriftKafka
import Synchronization

/// The messages of a polled batch that belong to an input stream, each with its stream (side by side).
struct BatchInputs: Sendable {
    let messages: [KafkaMessage]
    let streams: [EventStream]

    /// The batch's messages of `streams`' topics (all of them, unless the consumer was subscribed to others).
    init(_ batch: [KafkaMessage], streams: InputStreams) {
        let found = batch.map { streams.stream(of: $0.topic) }
        if found.allSatisfy({ $0 != nil }) {
            messages = batch
            self.streams = found.map { $0! }
        } else {
            let kept = batch.indices.filter { found[$0] != nil }
            messages = kept.map { batch[$0] }
            self.streams = kept.map { found[$0]! }
        }
    }

    var count: Int { messages.count }
}

/// Decodes a batch in chunks on another thread, ahead of the monitor: decoding is pure, so the monitor ingests
/// chunk k while the chunks after it are decoded, and the two stages share the two cores. Every chunk of the
/// batch is queued at once on one serial queue, so decoding never waits for the monitor (a window close
/// holding the monitor for milliseconds included); chunks are decoded in order, each starting with the
/// feature names the previous one ended with.
package struct DecodeAhead: Sendable {
    static let chunkSize = 256

    /// Monotonic nanoseconds, for per-event processing times: two readings per event on each side, so not
    /// `ContinuousClock`, whose instants and durations are 128-bit attoseconds (a 128-bit division per event
    /// to report them).
    @inline(__always)
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Decoding runs here, one chunk after the other (of every pipeline in the process).
    private static let queue = DispatchQueue(label: "driftwatch.decode")

    /// One chunk's decoding, handed from the decoding thread to the monitor's: awaited, never waited for
    /// (a chunk decoded before it is asked for costs no suspension).
    private final class Chunk: Sendable {
        typealias Decoded = [(AdmittedInput, UInt64)]
        private enum State {
            case decoding
            case awaited(CheckedContinuation<Decoded, Never>)
            case decoded(Decoded)
        }

        private let state = Mutex(State.decoding)
        /// How often `value()` looks before it suspends: some 20–50 µs.
        private static let lookups = 1_000

        func fulfil(_ inputs: Decoded) {
            let waiter = state.withLock { state -> CheckedContinuation<Decoded, Never>? in
                guard case .awaited(let waiter) = state else {
                    state = .decoded(inputs)
                    return nil
                }
                return waiter
            }
            waiter?.resume(returning: inputs)
        }

        func value() async -> Decoded {
            // The decoding thread is usually a few microseconds from done: look again for a little while (as a
            // futex wait spins first) before suspending, which costs a task switch and a wake-up per chunk.
            for _ in 0..<Self.lookups {
                if let ready = state.withLock({ state -> Decoded? in
                    if case .decoded(let inputs) = state { inputs } else { nil }
                }) {
                    return ready
                }
            }
            return await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Decoded? in
                    if case .decoded(let inputs) = state { return inputs }
                    state = .awaited(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }

    /// The feature names carried from chunk to chunk and batch to batch: touched only on `queue`, in order.
    package final class Names: @unchecked Sendable {
        fileprivate var cache = FeatureNameCache()
        package init() {}
    }

    private let chunks: [Chunk]
    private var next = 0

    /// Queues the decoding of every chunk of `inputs`, after everything queued before. Messages are read in
    /// place: copying one per event retains its arrays and the topic name the batch shares (~2 % of the
    /// benchmark's CPU).
    init(_ inputs: BatchInputs, names carried: Names, admission: InputAdmission) {
        chunks = stride(from: 0, to: inputs.count, by: Self.chunkSize).map { start in
            let range = start..<min(start + Self.chunkSize, inputs.count)
            let chunk = Chunk()
            Self.queue.async {
                var decoded: [(AdmittedInput, UInt64)] = []
                decoded.reserveCapacity(range.count)
                inputs.messages.withUnsafeBufferPointer { messages in
                    for index in range {
                        let started = Self.now()
                        let input = admission.admit(
                            messages[index].value, stream: inputs.streams[index], names: &carried.cache)
                        decoded.append((input, Self.now() - started))
                    }
                }
                chunk.fulfil(decoded)
            }
            return chunk
        }
    }

    /// Lets go of a processed batch on the decoding thread: freeing its messages and events is a few percent of
    /// the work, and the monitor's thread is the pipeline's busiest stage. Queued after the decoding in flight.
    static func release(_ batch: consuming some Sendable) {
        queue.async { [batch] in withExtendedLifetime(batch) {} }
    }

    /// The next chunk, decoded (each input with its decoding time in nanoseconds), or nil after the last.
    mutating func nextChunk() async -> [(AdmittedInput, UInt64)]? {
        guard next < chunks.count else { return nil }
        defer { next += 1 }
        return await chunks[next].value()
    }
}
