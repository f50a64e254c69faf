import DriftCore
import DriftKafka
import Dispatch
import Synchronization

/// An input message decoded, or why it cannot be: what the monitor's thread needs of it.
enum DecodedInput: Sendable {
    case prediction(PredictionEvent)
    case features(FeatureEvent)
    case label(LabelEvent)
    case undecodable(EventDecodingError)
}

/// Decodes a batch in chunks on another thread, ahead of the monitor: decoding is pure, so the monitor ingests
/// chunk k while the chunks after it are decoded, and the two stages share the two cores. Every chunk of the
/// batch is queued at once on one serial queue, so decoding never waits for the monitor (a window close
/// holding the monitor for milliseconds included); chunks are decoded in order, each starting with the
/// feature names the previous one ended with.
struct DecodeAhead: Sendable {
    static let chunkSize = 256

    typealias Decode = @Sendable (KafkaMessage, EventStream, inout FeatureNameCache) -> DecodedInput

    /// Decoding runs here, one chunk after the other (of every pipeline in the process).
    private static let queue = DispatchQueue(label: "driftwatch.decode")

    /// One chunk's decoding, handed from the decoding thread to the monitor's.
    private final class Chunk: Sendable {
        private let result = Mutex<[(DecodedInput, Duration)]?>(nil)
        private let done = DispatchSemaphore(value: 0)

        func fulfil(_ inputs: [(DecodedInput, Duration)]) {
            result.withLock { $0 = inputs }
            done.signal()
        }

        func wait() -> [(DecodedInput, Duration)] {
            done.wait()
            return result.withLock { $0! }
        }
    }

    /// The feature names carried from chunk to chunk and batch to batch: touched only on `queue`, in order.
    final class Names: @unchecked Sendable {
        fileprivate var cache = FeatureNameCache()
        init() {}
    }

    private let chunks: [Chunk]
    private var next = 0

    /// Queues the decoding of every chunk of `messages` (each with its stream), after everything queued before.
    init(_ messages: [(KafkaMessage, EventStream)], names carried: Names, decode: @escaping Decode) {
        chunks = stride(from: 0, to: messages.count, by: Self.chunkSize).map { start in
            let slice = messages[start..<min(start + Self.chunkSize, messages.count)]
            let chunk = Chunk()
            Self.queue.async {
                let clock = ContinuousClock()
                let inputs = slice.map { message, stream in
                    let started = clock.now
                    let input = decode(message, stream, &carried.cache)
                    return (input, clock.now - started)
                }
                chunk.fulfil(inputs)
            }
            return chunk
        }
    }

    /// Lets go of a processed batch on the decoding thread: freeing its messages and events is a few percent of
    /// the work, and the monitor's thread is the pipeline's busiest stage. Queued after the decoding in flight.
    static func release(_ batch: consuming some Sendable) {
        queue.async { [batch] in withExtendedLifetime(batch) {} }
    }

    /// The next chunk, decoded, or nil after the last.
    mutating func nextChunk() -> [(DecodedInput, Duration)]? {
        guard next < chunks.count else { return nil }
        defer { next += 1 }
        return chunks[next].wait()
    }
}
