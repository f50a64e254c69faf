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

/// Decodes a batch in chunks on another thread, one chunk ahead of the monitor: decoding is pure, so the
/// monitor ingests chunk k while chunk k + 1 is decoded, and the two stages share the two cores. Chunks are
/// decoded in order, each starting with the feature names the previous one ended with.
struct DecodeAhead {
    static let chunkSize = 256

    typealias Decode = @Sendable (KafkaMessage, EventStream, inout FeatureNameCache) -> DecodedInput

    /// One chunk's decoding, handed from the decoding thread to the monitor's.
    private final class Chunk: Sendable {
        private let result = Mutex<(inputs: [(DecodedInput, Duration)], names: FeatureNameCache)?>(nil)
        private let done = DispatchSemaphore(value: 0)

        init(_ messages: ArraySlice<(KafkaMessage, EventStream)>, names: FeatureNameCache, decode: @escaping Decode) {
            DispatchQueue.global().async { [self] in
                var names = names
                let clock = ContinuousClock()
                let inputs = messages.map { message, stream in
                    let started = clock.now
                    let input = decode(message, stream, &names)
                    return (input, clock.now - started)
                }
                result.withLock { $0 = (inputs, names) }
                done.signal()
            }
        }

        func wait() -> (inputs: [(DecodedInput, Duration)], names: FeatureNameCache) {
            done.wait()
            return result.withLock { $0! }
        }
    }

    private let messages: [(KafkaMessage, EventStream)]
    /// Where the chunk after the pending one starts.
    private var next = 0
    private var pending: Chunk?
    private let decode: Decode

    /// Starts decoding the first chunk of `messages` (each with its stream).
    init(_ messages: [(KafkaMessage, EventStream)], names: FeatureNameCache, decode: @escaping Decode) {
        self.messages = messages
        self.decode = decode
        pending = start(names: names)
    }

    /// The next chunk, decoded (and the decoding of the one after it started), or nil after the last. The
    /// feature names the batch ended with are in `names` after the last chunk.
    mutating func nextChunk(names: inout FeatureNameCache) -> [(DecodedInput, Duration)]? {
        guard let chunk = pending else { return nil }
        let (inputs, endNames) = chunk.wait()
        pending = start(names: endNames)
        names = endNames
        return inputs
    }

    private mutating func start(names: FeatureNameCache) -> Chunk? {
        guard next < messages.count else { return nil }
        let end = min(next + Self.chunkSize, messages.count)
        defer { next = end }
        return Chunk(messages[next..<end], names: names, decode: decode)
    }
}
