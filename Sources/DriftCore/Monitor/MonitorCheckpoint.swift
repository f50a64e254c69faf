/// What a restart needs, besides the events it re-reads, to publish exactly what an uninterrupted monitor
/// would have published for a partition number (the co-partitioned predictions, features and labels
/// partitions): where each stream resumes (with the predictions partition's clock there), how far each had
/// been read, the counters that go into the next reports, and which windows are reported already.
/// Window contents are not in it: they are rebuilt by re-reading from the resume points.
public struct MonitorCheckpoint: Codable, Sendable, Equatable {
    public struct Version: Codable, Sendable, Equatable {
        public var model: String
        public var version: String
        public var late: Int
        public var closedThrough: Int64
        public var countedThrough: Int64
        public var performanceReportedThrough: Int64
        /// Policy rules' recent outcomes (k of n, cooldown), by rule name.
        public var rules: [String: RuleState]
        /// The change detectors as of the last window report (prediction scores) and performance report
        /// (errors); nil before the first (and in checkpoints written before detectors existed).
        public var predictionDetectors: ChangeDetectors?
        public var errorDetectors: ChangeDetectors?
        /// Labelled scores collected towards a calibration (nil when none are).
        public var calibration: CalibrationSample?

        enum CodingKeys: String, CodingKey {
            case calibration
            case model, version, late
            case closedThrough = "closed_through"
            case countedThrough = "counted_through"
            case performanceReportedThrough = "performance_reported_through"
            case rules
            case predictionDetectors = "prediction_detectors"
            case errorDetectors = "error_detectors"
        }
    }

    public struct Model: Codable, Sendable, Equatable {
        public var model: String
        public var unmatchedFeatures: Int
        public var unmatchedLabels: Int
        /// Request ids of predictions in a bootstrapped reference whose labels have not come yet, sorted.
        public var referenceRequests: [String]

        public init(model: String, unmatchedFeatures: Int, unmatchedLabels: Int, referenceRequests: [String] = []) {
            self.model = model
            self.unmatchedFeatures = unmatchedFeatures
            self.unmatchedLabels = unmatchedLabels
            self.referenceRequests = referenceRequests
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            model = try container.decode(String.self, forKey: .model)
            unmatchedFeatures = try container.decode(Int.self, forKey: .unmatchedFeatures)
            unmatchedLabels = try container.decode(Int.self, forKey: .unmatchedLabels)
            referenceRequests = try container.decodeIfPresent([String].self, forKey: .referenceRequests) ?? []
        }

        enum CodingKeys: String, CodingKey {
            case model
            case unmatchedFeatures = "unmatched_features"
            case unmatchedLabels = "unmatched_labels"
            case referenceRequests = "reference_requests"
        }
    }

    public var partition: Int32
    /// By stream name (`predictions`, `features`, `labels`).
    public var resume: [String: ResumePoint]
    /// The next offset each stream had reached.
    public var read: [String: Int64]
    public var deadLettered: Int
    public var versions: [Version]
    public var models: [Model]
    /// Set when the partition was started without its earlier state (`DriftMonitor.startPartially`): replays
    /// mark the same windows partial.
    public var partial: PartialStart?

    enum CodingKeys: String, CodingKey {
        case partition, resume, read
        case deadLettered = "dead_lettered"
        case versions, models, partial
    }

    public func json() -> [UInt8] { CanonicalJSON.encode(self) }
}

extension DriftMonitor {
    /// The checkpoint of a partition number; nil when nothing was read from it.
    public func checkpoint(partition: Int32) -> MonitorCheckpoint? {
        let sources = [EventStream.predictions, .features, .labels].map {
            SourcePartition(stream: $0, partition: partition)
        }
        var resume: [String: ResumePoint] = [:]
        var read: [String: Int64] = [:]
        for source in sources {
            guard let point = resumePoint(for: source), let next = readOffset(of: source) else { continue }
            resume[source.stream.rawValue] = point
            read[source.stream.rawValue] = next
        }
        guard !resume.isEmpty else { return nil }
        let names = modelNames(on: partition)
        return MonitorCheckpoint(
            partition: partition, resume: resume, read: read, deadLettered: deadLetteredCount(on: partition),
            versions: versionStates(of: names), models: modelCounters(of: names),
            partial: partialStarts[partition])
    }
}

/// A partition started without its earlier state: why, and the event time of the first prediction read after
/// (windows that began before it lack earlier events).
public struct PartialStart: Codable, Sendable, Equatable {
    public var reason: String
    public var from: Int64?

    public init(reason: String, from: Int64? = nil) {
        self.reason = reason
        self.from = from
    }
}
