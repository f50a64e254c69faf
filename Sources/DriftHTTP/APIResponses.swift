import DriftCore

/// The JSON API's responses, as Codable types: the server encodes them with `CanonicalJSON` (sorted keys, every
/// key present, `null` where a value is absent), clients and tests decode them. Reports, alerts and triggers are
/// the event contracts' own types, so they read as they were published.
public enum APIResponses {
    /// `GET /api/models`.
    public struct Models: Codable, Sendable {
        public var models: [Model]
    }

    /// One model: its history, stored references, registered versions and latest window report.
    public struct Model: Codable, Sendable {
        public var model: String
        public var windows: Int
        public var alerts: Int
        public var triggers: Int
        /// RFC 3339; null without a history.
        @Nullable public var lastWindowEnd: String?
        public var references: [Reference]
        public var versions: [Version]
        @Nullable public var latestReport: WindowReport?

        enum CodingKeys: String, CodingKey {
            case model, windows, alerts, triggers, references, versions
            case lastWindowEnd = "last_window_end"
            case latestReport = "latest_report"
        }
    }

    /// A stored reference profile.
    public struct Reference: Codable, Sendable {
        public var version: String
        /// `deployment` or `bootstrap`.
        public var source: String
        public var events: Int
        public var features: Int
        public var storedAt: String

        enum CodingKeys: String, CodingKey {
            case version, source, events, features
            case storedAt = "stored_at"
        }
    }

    /// A version in the registry.
    public struct Version: Codable, Sendable {
        public var version: String
        public var status: String
        @Nullable public var parentVersion: String?
        public var createdAt: String

        enum CodingKeys: String, CodingKey {
            case version, status
            case parentVersion = "parent_version"
            case createdAt = "created_at"
        }
    }

    /// `GET /api/models/{model}/windows`.
    public struct Windows: Codable, Sendable {
        public var model: String
        public var windows: [WindowReport]
        public var performance: [PerformanceReport]
    }

    /// `GET /api/alerts`.
    public struct Alerts: Codable, Sendable {
        public var alerts: [Alert]
    }

    /// `GET /api/triggers`: each trigger with the training service's outcome (`pending` until it records one).
    public struct Triggers: Codable, Sendable {
        public var triggers: [Trigger]
    }

    public struct Trigger: Codable, Sendable {
        public var outcome: String
        @Nullable public var resultVersion: String?
        public var event: RetrainTrigger

        enum CodingKeys: String, CodingKey {
            case outcome, event
            case resultVersion = "result_version"
        }
    }

    /// `GET /readyz`.
    public struct Readiness: Codable, Sendable {
        public var ready: Bool
        /// What the monitor still waits for; absent when ready.
        public var waitingFor: String?

        enum CodingKeys: String, CodingKey {
            case ready
            case waitingFor = "waiting_for"
        }
    }
}
