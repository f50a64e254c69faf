/// A model output, as published on the `predictions` topic (see topics/schemas/prediction.schema.json).
public struct PredictionEvent: Sendable, Equatable {
    public enum Prediction: Sendable, Equatable {
        /// A score or regression output.
        case score(Double)
        /// A class, given as a string or an integer.
        case label(String)
    }

    public var model: String
    public var modelVersion: String
    public var requestID: String
    public var time: EventTime
    public var features: [String: FeatureValue]
    public var prediction: Prediction
    public var latencyMilliseconds: Double?
    /// True when the event came without a `features` object: its features arrive on the `features` topic.
    public var awaitsFeatures = false

    public init(
        model: String, modelVersion: String, requestID: String, time: EventTime, features: [String: FeatureValue],
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
