/// The features of a prediction, published separately on the `features` topic (see
/// topics/schemas/feature.schema.json). Joined with the prediction of the same (model, request_id).
public struct FeatureEvent: Sendable, Equatable {
    public var model: String
    public var modelVersion: String?
    public var requestID: String
    public var time: EventTime
    public var features: Features

    public init(model: String, modelVersion: String? = nil, requestID: String, time: EventTime, features: Features) {
        self.model = model
        self.modelVersion = modelVersion
        self.requestID = requestID
        self.time = time
        self.features = features
    }

    /// Decodes one event. Required: model, request_id, timestamp, features; model_version is optional.
    public static func decode(json bytes: [UInt8]) throws(EventDecodingError) -> FeatureEvent {
        try EventJSON.decode(Wire.self, from: bytes).event
    }

    public func json() -> [UInt8] { CanonicalJSON.encode(Wire(event: self)) }

    private struct Wire: Codable {
        var event: FeatureEvent

        init(event: FeatureEvent) { self.event = event }

        enum CodingKeys: String, CodingKey {
            case model, timestamp, features
            case modelVersion = "model_version"
            case requestId = "request_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            event = FeatureEvent(
                model: try container.decodeModel(forKey: .model),
                modelVersion: container.contains(.modelVersion)
                    ? try container.decodeModelVersion(forKey: .modelVersion) : nil,
                requestID: try container.decode(String.self, forKey: .requestId),
                time: try container.decodeEventTime(forKey: .timestamp),
                features: Features(try container.decode([String: FeatureValue].self, forKey: .features)))
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(event.model, forKey: .model)
            try container.encodeIfPresent(event.modelVersion, forKey: .modelVersion)
            try container.encode(event.requestID, forKey: .requestId)
            try container.encode(event.time.rfc3339, forKey: .timestamp)
            try container.encode(event.features.dictionary, forKey: .features)
        }
    }
}
