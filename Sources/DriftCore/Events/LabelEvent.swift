/// Ground truth for an earlier prediction, on the `labels` topic (see topics/schemas/label.schema.json).
/// Joined with the prediction of the same (model, request_id) while that prediction is within the label TTL.
public struct LabelEvent: Sendable, Equatable {
    /// A number (regression target, or a 0/1 class) or a class name; JSON booleans become "true"/"false".
    public enum Value: Sendable, Equatable {
        case number(Double)
        case category(String)

        /// The positive class of a binary task: 1, true, "1", "true"; nil for anything else than 0/1/true/false.
        public var binary: Bool? {
            switch self {
            case .number(1), .category("1"), .category("true"): true
            case .number(0), .category("0"), .category("false"): false
            default: nil
            }
        }

        /// The class as a string, the way predictions of classes are compared ("1" for 1.0).
        public var className: String {
            switch self {
            case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
            case .category(let name): name
            }
        }
    }

    public var model: String
    public var requestID: String
    public var time: EventTime
    public var label: Value

    public init(model: String, requestID: String, time: EventTime, label: Value) {
        self.model = model
        self.requestID = requestID
        self.time = time
        self.label = label
    }

    /// Decodes one event. Required: model, request_id, timestamp, label (finite number, string or bool).
    public static func decode(json bytes: [UInt8]) throws(EventDecodingError) -> LabelEvent {
        try EventJSON.decode(Wire.self, from: bytes).event
    }

    public func json() -> [UInt8] { CanonicalJSON.encode(Wire(event: self)) }

    private struct Wire: Codable {
        var event: LabelEvent

        init(event: LabelEvent) { self.event = event }

        enum CodingKeys: String, CodingKey {
            case model, timestamp, label
            case requestId = "request_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let label: Value
            if let flag = try? container.decode(Bool.self, forKey: .label) {
                label = .category(flag ? "true" : "false")
            } else if let number = try? container.decode(Double.self, forKey: .label) {
                guard number.isFinite else { throw EventDecodingError(.invalidValue, "field 'label' is not finite") }
                label = .number(number)
            } else {
                label = .category(try container.decode(String.self, forKey: .label))
            }
            event = LabelEvent(
                model: try container.decodeModel(forKey: .model),
                requestID: try container.decode(String.self, forKey: .requestId),
                time: try container.decodeEventTime(forKey: .timestamp),
                label: label)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(event.model, forKey: .model)
            try container.encode(event.requestID, forKey: .requestId)
            try container.encode(event.time.rfc3339, forKey: .timestamp)
            switch event.label {
            case .number(let value): try container.encode(value, forKey: .label)
            case .category(let name): try container.encode(name, forKey: .label)
            }
        }
    }
}
