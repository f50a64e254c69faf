/// An input message decoded and admitted, or why it is refused (it then goes to the dead letters).
public enum AdmittedInput: Sendable {
    case prediction(PredictionEvent)
    case features(FeatureEvent)
    case label(LabelEvent)
    case refused(EventDecodingError)

    /// The model the event is about (nil when refused).
    public var model: String? {
        switch self {
        case .prediction(let event): event.model
        case .features(let event): event.model
        case .label(let event): event.model
        case .refused: nil
        }
    }

    /// The event time in milliseconds since the epoch (nil when refused).
    public var time: Int64? {
        switch self {
        case .prediction(let event): event.time.millisecondsSinceEpoch
        case .features(let event): event.time.millisecondsSinceEpoch
        case .label(let event): event.time.millisecondsSinceEpoch
        case .refused: nil
        }
    }
}

/// What enters the monitor, in one place for `run`, `replay`, `verify` and the benchmarks: the message-size
/// limit (`input.max_message_bytes`), decoding by stream, and — when `input.unknown_models` is `deadletter` —
/// the configured models only. Pure and `Sendable`: the pipeline runs it on its decoding thread.
public struct InputAdmission: Sendable {
    /// Larger messages are refused before they are parsed.
    public var maximumBytes: Int
    /// The models admitted; nil admits every model.
    public var knownModels: Set<String>?

    public init(maximumBytes: Int, knownModels: Set<String>?) {
        self.maximumBytes = maximumBytes
        self.knownModels = knownModels
    }

    /// Decodes `bytes`, the value of a message of `stream`, and admits its event or says why not. `names`
    /// carries the feature names seen so far (prediction decoding reuses them instead of allocating).
    public func admit(_ bytes: [UInt8], stream: EventStream, names: inout FeatureNameCache) -> AdmittedInput {
        do throws(EventDecodingError) {
            guard bytes.count <= maximumBytes else {
                throw EventDecodingError(
                    .tooLarge, "the message has \(bytes.count) bytes; input.max_message_bytes is \(maximumBytes)")
            }
            let input: AdmittedInput =
                switch stream {
                case .predictions: .prediction(try PredictionEvent.decode(json: bytes, names: &names))
                case .features: .features(try FeatureEvent.decode(json: bytes))
                case .labels: .label(try LabelEvent.decode(json: bytes))
                }
            if let knownModels, let model = input.model, !knownModels.contains(model) {
                throw EventDecodingError(.unknownModel, "model '\(model)' is not in the configuration's models section")
            }
            return input
        } catch {
            return .refused(error)
        }
    }
}

extension DriftMonitor {
    /// Ingests an admitted input at its position, received at wall-clock `now` (milliseconds). A refused one is
    /// skipped: its position still counts as read, so offsets move past it.
    public mutating func ingest(_ input: AdmittedInput, at position: EventPosition, receivedAt now: Int64)
        -> [MonitorOutput]
    {
        switch input {
        case .prediction(let event): return ingest(event, at: position, receivedAt: now)
        case .features(let event): return ingest(event, at: position, receivedAt: now)
        case .label(let event): return ingest(event, at: position, receivedAt: now)
        case .refused:
            skip(at: position)
            return []
        }
    }
}
