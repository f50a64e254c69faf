import DriftStats

/// A model version going live, on `model.deployments` (see topics/schemas/deployment.schema.json): the
/// monitor compares that version's windows with the reference it carries (inline, or a `file://` URI of a
/// profile's JSON read by the pipeline).
public struct DeploymentEvent: Sendable, Equatable {
    /// A model the serving side can evaluate: logistic regression over named numeric features (bools as 0/1).
    public struct Parameters: Codable, Sendable, Equatable {
        public var features: [String]
        public var logisticRegression: LogisticRegression

        public init(features: [String], logisticRegression: LogisticRegression) {
            self.features = features
            self.logisticRegression = logisticRegression
        }

        enum CodingKeys: String, CodingKey {
            case features
            case logisticRegression = "logistic_regression"
        }
    }

    public var model: String
    public var modelVersion: String
    public var deployedAt: EventTime
    public var reference: ReferenceProfile?
    public var referenceURI: String?
    /// Set by Driftwatch's trainer: the new version's parameters.
    public var parameters: Parameters?

    public init(
        model: String, modelVersion: String, deployedAt: EventTime, reference: ReferenceProfile?,
        referenceURI: String? = nil
    ) {
        self.model = model
        self.modelVersion = modelVersion
        self.deployedAt = deployedAt
        self.reference = reference
        self.referenceURI = referenceURI
    }

    /// Decodes one event; it needs `reference` or `reference_uri`. An inline reference's `model_version`
    /// is taken from the event.
    public static func decode(json bytes: [UInt8]) throws(EventDecodingError) -> DeploymentEvent {
        try EventJSON.decode(Wire.self, from: bytes).event
    }

    public func json() -> [UInt8] { CanonicalJSON.encode(Wire(event: self)) }

    private struct Wire: Codable {
        var event: DeploymentEvent

        init(event: DeploymentEvent) { self.event = event }

        enum CodingKeys: String, CodingKey {
            case model, reference, parameters
            case modelVersion = "model_version"
            case deployedAt = "deployed_at"
            case referenceUri = "reference_uri"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let version = try container.decodeModelVersion(forKey: .modelVersion)
            var reference = try container.decodeIfPresent(ReferenceProfile.self, forKey: .reference)
            reference?.modelVersion = version
            reference?.source = .deployment
            let uri = try container.decodeIfPresent(String.self, forKey: .referenceUri)
            guard reference != nil || uri != nil else {
                throw EventDecodingError(.missingField, "a deployment needs 'reference' or 'reference_uri'")
            }
            event = DeploymentEvent(
                model: try container.decodeModel(forKey: .model), modelVersion: version,
                deployedAt: try container.decodeEventTime(forKey: .deployedAt), reference: reference, referenceURI: uri
            )
            event.parameters = try container.decodeIfPresent(Parameters.self, forKey: .parameters)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(event.model, forKey: .model)
            try container.encode(event.modelVersion, forKey: .modelVersion)
            try container.encode(event.deployedAt.rfc3339, forKey: .deployedAt)
            try container.encodeIfPresent(event.reference, forKey: .reference)
            try container.encodeIfPresent(event.referenceURI, forKey: .referenceUri)
            try container.encodeIfPresent(event.parameters, forKey: .parameters)
        }
    }
}
