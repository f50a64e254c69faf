/// A model output, as published on the `predictions` topic (see topics/schemas/prediction.schema.json).
public struct PredictionEvent: Sendable, Equatable {
    public enum Prediction: Sendable, Equatable {
        /// A score or regression output.
        case score(Double)
        /// A class, given as a string or an integer.
        case label(String)

        /// The prediction as a number: a score, or a class given as an integer (JSON has one number type, and
        /// encoders write 23.0 as 23, so a regression output can arrive looking like a class).
        public var number: Double? {
            switch self {
            case .score(let score): score
            case .label(let name): Int64(name).map(Double.init)
            }
        }
    }

    public var model: String
    public var modelVersion: String
    public var requestID: String
    public var time: EventTime
    public var features: Features
    public var prediction: Prediction
    public var latencyMilliseconds: Double?
    /// True when the event came without a `features` object: its features arrive on the `features` topic.
    public var awaitsFeatures = false

    public init(
        model: String, modelVersion: String, requestID: String, time: EventTime, features: Features,
        prediction: Prediction, latencyMilliseconds: Double? = nil
    ) {
        self.model = model
        self.modelVersion = modelVersion
        self.requestID = requestID
        self.time = time
        self.features = features
        self.prediction = prediction
        self.latencyMilliseconds = latencyMilliseconds
    }
}
