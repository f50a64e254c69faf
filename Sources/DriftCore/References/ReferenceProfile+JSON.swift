import DriftStats
import Foundation

/// The profile's JSON form: stored in SQLite by `driftwatch reference build` and carried inline by
/// `model.deployments` events (see topics/schemas/reference.schema.json).
///
///     {"model_version": "8", "source": "file", "events": 50000,
///      "features": {"amount": {"type": "numeric", "count": 50000, "sample": [...sorted...],
///                              "psi_edges": [...], "psi_counts": [...]},
///                   "country": {"type": "categorical", "counts": {"DE": 120, "FR": 80}}},
///      "prediction": {"type": "numeric", ...}}
extension ReferenceProfile: Codable {
    enum CodingKeys: String, CodingKey {
        case modelVersion = "model_version"
        case source, captured
        case eventCount = "events"
        case features, prediction, estimation, multivariate
        case estimationFrom = "estimation_from"
    }

    /// Decodes a profile and checks it is usable (sorted finite samples, one count per PSI bin).
    public static func decode(json bytes: [UInt8]) throws(EventDecodingError) -> ReferenceProfile {
        try EventJSON.decode(ReferenceProfile.self, from: bytes)
    }

    public func json() -> [UInt8] { CanonicalJSON.encode(self) }

    /// `model_version`, `source` and `events` may be left out (a deployment names the version itself).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        modelVersion = container.contains(.modelVersion) ? try container.decodeModelVersion(forKey: .modelVersion) : ""
        source = try container.decodeIfPresent(Source.self, forKey: .source) ?? .file
        eventCount = try container.decodeIfPresent(Int.self, forKey: .eventCount) ?? 0
        captured = try container.decodeIfPresent(Capture.self, forKey: .captured)
        features = try container.decode([String: Feature].self, forKey: .features)
        prediction = try container.decodeIfPresent(Feature.self, forKey: .prediction)
        estimation = try container.decodeIfPresent(PerformanceEstimation.self, forKey: .estimation)
        estimationFrom = try container.decodeIfPresent(Int64.self, forKey: .estimationFrom)
        multivariate = try container.decodeIfPresent(MultivariateReference.self, forKey: .multivariate)
        if let problem = multivariate?.problem(features: features.keys.sorted()) {
            throw EventDecodingError(.invalidValue, "reference 'multivariate': \(problem)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(modelVersion, forKey: .modelVersion)
        try container.encode(source, forKey: .source)
        try container.encode(eventCount, forKey: .eventCount)
        try container.encodeIfPresent(captured, forKey: .captured)
        try container.encode(features, forKey: .features)
        try container.encodeIfPresent(prediction, forKey: .prediction)
        try container.encodeIfPresent(estimation, forKey: .estimation)
        try container.encodeIfPresent(estimationFrom, forKey: .estimationFrom)
        try container.encodeIfPresent(multivariate, forKey: .multivariate)
    }
}

extension ReferenceProfile.Feature: Codable {
    enum CodingKeys: String, CodingKey {
        case type, count, sample
        case psiEdges = "psi_edges"
        case psiCounts = "psi_counts"
        case counts
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = decoder.codingPath.map(\.stringValue).joined(separator: ".")
        func invalid(_ problem: String) -> EventDecodingError {
            EventDecodingError(.invalidValue, "reference feature '\(name)': \(problem)")
        }
        switch try container.decode(String.self, forKey: .type) {
        case "numeric":
            let sample = try container.decode([Double].self, forKey: .sample)
            let edges = try container.decode([Double].self, forKey: .psiEdges)
            let counts = try container.decode([Int].self, forKey: .psiCounts)
            guard !sample.isEmpty else { throw invalid("'sample' is empty") }
            guard sample.allSatisfy(\.isFinite), zip(sample, sample.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw invalid("'sample' must be finite numbers in ascending order")
            }
            guard edges.allSatisfy(\.isFinite), zip(edges, edges.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw invalid("'psi_edges' must be finite numbers in ascending order")
            }
            guard counts.count == edges.count + 1, counts.allSatisfy({ $0 >= 0 }), counts.reduce(0, +) > 0 else {
                throw invalid("'psi_counts' needs one non-negative count per bin (\(edges.count + 1)), not all zero")
            }
            let count = try container.decodeIfPresent(Int.self, forKey: .count) ?? counts.reduce(0, +)
            self = .numeric(.init(sortedSample: sample, psiEdges: edges, psiCounts: counts, count: count))
        case "categorical":
            let counts = try container.decode([String: Int].self, forKey: .counts)
            guard !counts.isEmpty, counts.values.allSatisfy({ $0 > 0 }) else {
                throw invalid("'counts' must hold at least one category with a positive count")
            }
            var categories = CategoryCounts()
            for (category, count) in counts { categories.add(category, count: count) }
            self = .categorical(categories)
        case let other:
            throw invalid("type '\(other)' is neither 'numeric' nor 'categorical'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .numeric(let feature):
            try container.encode("numeric", forKey: .type)
            try container.encode(feature.count, forKey: .count)
            try container.encode(feature.sortedSample, forKey: .sample)
            try container.encode(feature.psiEdges, forKey: .psiEdges)
            try container.encode(feature.psiCounts, forKey: .psiCounts)
        case .categorical(let counts):
            try container.encode("categorical", forKey: .type)
            try container.encode(counts.counts, forKey: .counts)
        }
    }
}
