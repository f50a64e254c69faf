// Property names are the keys scripts/crosscheck/nannyml_values.py writes, snake_case.
// swift-format-ignore-file: AlwaysUseLowerCamelCase

import Foundation

/// Runs scripts/crosscheck/nannyml_values.py with NannyML's own virtualenv (.deps/nannyml: NannyML 0.13 needs
/// pandas 3, Evidently pandas 2) and decodes its inputs and what NannyML computed on them. Loaded once per
/// test process (NannyML takes ~10 s).
public enum NannyMLValues {
    public struct Estimate: Decodable, Sendable {
        public var value: Double
        public var sampling_error: Double
        public var lower: Double
        public var upper: Double
        public var realized: Double
    }

    public struct EstimatedChunk: Decodable, Sendable {
        public var start: Int
        public var end: Int
        public var accuracy: Estimate
        public var precision: Estimate
        public var recall: Estimate
        public var f1: Estimate
        public var roc_auc: Estimate
    }

    public struct PerformanceCase: Decodable, Sendable {
        public var scores: [Double]
        public var labels: [Int]
        public var nannyml_needs_calibration: Bool
        public var chunks: [EstimatedChunk]
        public var calibrated: [Double]
    }

    public struct Labelled: Decodable, Sendable {
        public var scores: [Double]
        public var labels: [Int]
    }

    public struct Performance: Decodable, Sendable {
        public var reference: Labelled
        public var cases: [String: PerformanceCase]
    }

    /// A cell of a row: a number, a category or missing.
    public enum Cell: Decodable, Sendable {
        case number(Double)
        case category(String)
        case missing

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .missing
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .category(try container.decode(String.self))
            }
        }
    }

    public struct ReconstructionChunk: Decodable, Sendable {
        public var start: Int
        public var end: Int
        public var value: Double
        public var sampling_error: Double
        public var alert: Bool
    }

    public struct Reconstruction: Decodable, Sendable {
        public var components: Int
        public var lower: Double?
        public var upper: Double
        public var reference_chunks: [ReconstructionChunk]
        public var chunks: [ReconstructionChunk]
    }

    public struct DomainChunk: Decodable, Sendable {
        public var start: Int
        public var end: Int
        public var auc: Double
        public var alert: Bool
    }

    public struct MultivariateCase: Decodable, Sendable {
        public var rows: [[Cell]]
        public var reconstruction: Reconstruction
        public var domain_classifier: [DomainChunk]
    }

    public struct Multivariate: Decodable, Sendable {
        public var reference: [[Cell]]
        public var cases: [String: MultivariateCase]
    }

    public struct Document: Decodable, Sendable {
        public var nannyml: String
        public var chunk_size: Int
        public var features: [String]
        public var categorical: [String]
        public var cbpe: Performance
        public var multivariate: Multivariate
    }

    public static let document: Result<Document, ReferenceValues.ReferenceError> = {
        do {
            let data = try ReferenceValues.run("", script: "nannyml_values.py", venv: "nannyml")
            return .success(try JSONDecoder().decode(Document.self, from: data))
        } catch {
            return .failure(
                error as? ReferenceValues.ReferenceError
                    ?? ReferenceValues.ReferenceError("nannyml_values.py: \(error)"))
        }
    }()
}
