import Foundation

/// Why an event could not be decoded; the text names the field and what was expected.
public struct EventDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case invalidJSON = "invalid-json"
        case invalidUTF8 = "invalid-utf8"
        case missingField = "missing-field"
        case wrongType = "wrong-type"
        case invalidValue = "invalid-value"
        /// Larger than `input.max_message_bytes`.
        case tooLarge = "too-large"
        /// A model not in the configuration, with `input.unknown_models: deadletter`.
        case unknownModel = "unknown-model"
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

extension PredictionEvent {
    /// Decodes one event from JSON bytes. Required: model, model_version (string or integer), request_id,
    /// timestamp (RFC 3339 or epoch ms), prediction (number, string or integer); features and latency_ms
    /// are optional. Numbers must be finite.
    public static func decode(json bytes: [UInt8]) throws(EventDecodingError) -> PredictionEvent {
        var names = FeatureNameCache()
        return try decode(json: bytes, names: &names)
    }

    /// The same, sharing feature names with the previous event decoded with `names` when its keys came in
    /// the same order (the hot path: decode a batch with one cache).
    public static func decode(json bytes: [UInt8], names: inout FeatureNameCache) throws(EventDecodingError)
        -> PredictionEvent
    {
        if let event = PredictionEventScanner.scan(bytes, names: &names) { return event }
        return try decodeWithFoundation(json: bytes)
    }

    /// The same decoding through Foundation's JSONDecoder: every input, and the wording of every error.
    static func decodeWithFoundation(json bytes: [UInt8]) throws(EventDecodingError) -> PredictionEvent {
        try EventJSON.decode(Wire.self, from: bytes).event
    }

    /// Encodes the event as the contract's JSON (timestamp as RFC 3339, keys sorted).
    public func json() -> [UInt8] { CanonicalJSON.encode(Wire(self)) }

    private struct Wire: Codable {
        var event: PredictionEvent

        init(_ event: PredictionEvent) { self.event = event }

        enum CodingKeys: String, CodingKey {
            case model, timestamp, features, prediction
            case modelVersion = "model_version"
            case requestId = "request_id"
            case latencyMs = "latency_ms"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let model = try container.decodeModel(forKey: .model)
            let version = try container.decodeModelVersion(forKey: .modelVersion)
            let requestID = try container.decode(String.self, forKey: .requestId)
            let time = try container.decodeEventTime(forKey: .timestamp)
            let features = try container.decodeIfPresent([String: FeatureValue].self, forKey: .features)
            let prediction: Prediction
            if let integer = try? container.decode(Int64.self, forKey: .prediction) {
                prediction = .label(String(integer))
            } else if let score = try? container.decode(Double.self, forKey: .prediction) {
                guard score.isFinite else {
                    throw EventDecodingError(.invalidValue, "field 'prediction' is not finite")
                }
                prediction = .score(score)
            } else {
                prediction = .label(try container.decode(String.self, forKey: .prediction))
            }
            let latency = try container.decodeIfPresent(Double.self, forKey: .latencyMs)
            if let latency, !latency.isFinite || latency < 0 {
                throw EventDecodingError(.invalidValue, "field 'latency_ms' must be a finite, non-negative number")
            }
            event = PredictionEvent(
                model: model, modelVersion: version, requestID: requestID, time: time,
                features: features.map(Features.init) ?? Features(),
                prediction: prediction, latencyMilliseconds: latency)
            event.awaitsFeatures = features == nil
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(event.model, forKey: .model)
            try container.encode(event.modelVersion, forKey: .modelVersion)
            try container.encode(event.requestID, forKey: .requestId)
            try container.encode(event.time.rfc3339, forKey: .timestamp)
            if !event.awaitsFeatures { try container.encode(event.features.dictionary, forKey: .features) }
            switch event.prediction {
            case .score(let score): try container.encode(score, forKey: .prediction)
            case .label(let label): try container.encode(label, forKey: .prediction)
            }
            try container.encodeIfPresent(event.latencyMilliseconds, forKey: .latencyMs)
        }
    }
}

extension FeatureValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .missing
        } else if let flag = try? container.decode(Bool.self) {
            self = .category(flag ? "true" : "false")
        } else if let number = try? container.decode(Double.self) {
            guard number.isFinite else {
                throw EventDecodingError(
                    .invalidValue, "feature '\(decoder.codingPath.last?.stringValue ?? "")' is not finite")
            }
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .category(text)
        } else {
            throw EventDecodingError(
                .wrongType,
                "feature '\(decoder.codingPath.last?.stringValue ?? "")' must be a number, string, bool or null")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .category(let text): try container.encode(text)
        case .missing: try container.encodeNil()
        }
    }
}

extension EventDecodingError {
    /// Turns Foundation's decoding errors into one line that names the field.
    init(decoding error: DecodingError) {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(.missingField, "missing required field '\(path(context, key))'")
        case .valueNotFound(_, let context):
            self.init(.missingField, "field '\(path(context))' is null")
        case .typeMismatch(let type, let context):
            let expected =
                type == String.self ? "a string" : type == Double.self || type == Int64.self ? "a number" : "\(type)"
            self.init(
                .wrongType,
                context.codingPath.isEmpty
                    ? "the message must be a JSON object" : "field '\(path(context))' must be \(expected)")
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0))" } ?? ""
            self.init(
                .invalidJSON,
                context.codingPath.isEmpty
                    ? "not valid JSON\(underlying)" : "field '\(path(context))': \(context.debugDescription)")
        @unknown default:
            self.init(.invalidJSON, "\(error)")
        }
    }
}
