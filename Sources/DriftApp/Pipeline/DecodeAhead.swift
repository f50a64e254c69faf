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
struct DecodeAhead {
    static let chunkSize = 256

    typealias Decode = @Sendable (KafkaMessage, EventStream, inout FeatureNameCache) -> DecodedInput

    /// Decoding runs here, one chunk after the other (of every pipeline in the process).
    private static let queue = DispatchQueue(label: "driftwatch.decode")

    /// One chunk's decoding, handed from the decoding thread to the monitor's.
    private final class Chunk: Sendable {
        private let result = Mutex<(inputs: [(DecodedInput, Duration)], names: FeatureNameCache)?>(nil)
        private let done = DispatchSemaphore(value: 0)

        func fulfil(_ inputs: [(DecodedInput, Duration)], names: FeatureNameCache) {
            result.withLock { $0 = (inputs, names) }
            done.signal()
        }

        func wait() -> (inputs: [(DecodedInput, Duration)], names: FeatureNameCache) {
            done.wait()
            return result.withLock { $0! }
        }
    }

    /// The feature names carried from chunk to chunk: touched only on `queue`, in chunk order.
    private final class Names: @unchecked Sendable {
        var cache: FeatureNameCache
        init(_ cache: FeatureNameCache) { self.cache = cache }
    }

    private let chunks: [Chunk]
    private var next = 0

    /// Queues the decoding of every chunk of `messages` (each with its stream).
    init(_ messages: [(KafkaMessage, EventStream)], names: FeatureNameCache, decode: @escaping Decode) {
        let carried = Names(names)
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
                chunk.fulfil(inputs, names: carried.cache)
            }
            return chunk
        }
    }

    /// The next chunk, decoded, or nil after the last. The feature names the batch ended with are in `names`
    /// after the last chunk.
    mutating func nextChunk(names: inout FeatureNameCache) -> [(DecodedInput, Duration)]? {
        guard next < chunks.count else { return nil }
        let (inputs, endNames) = chunks[next].wait()
        next += 1
        names = endNames
        return inputs
    }
}
