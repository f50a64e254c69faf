// Property names are the keys scripts/crosscheck/reference_values.py writes, snake_case.
// swift-format-ignore-file: AlwaysUseLowerCamelCase

import Foundation

/// Runs scripts/crosscheck/reference_values.py with the project's virtualenv (scripts/setup installs the
/// pinned numpy, scipy, Evidently and scikit-learn) and decodes what those libraries computed. Each case set
/// is loaded once per test process.
public enum ReferenceValues {
    public struct TwoSampleCase: Decodable, Sendable {
        public var name: String
        public var a: [Double]
        public var b: [Double]
        public var statistic: Double
        public var pvalue: Double
        /// `method='asymp'`; no p-value where scipy's is NaN (its effective n rounds to 0: one value a side).
        public var asymp_statistic: Double
        public var asymp_pvalue: Double?
        /// `method='exact'`, for the cases beyond `auto`'s exact limit (nil elsewhere: there it equals `auto`).
        public var exact_statistic: Double?
        public var exact_pvalue: Double?
    }

    public struct DistributionPoint: Decodable, Sendable {
        public var n: Int
        public var x: Double
        public var sf: Double
    }

    public struct KS: Decodable, Sendable {
        public var scipy: String
        public var ks_2samp: [TwoSampleCase]
        public var kstwo: [DistributionPoint]
    }

    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardizedFileURL

    public struct NumericDriftCase: Decodable, Sendable {
        public var name: String
        public var reference: [Double]
        public var current: [Double]
        public var psi_evidently: Double
        public var psi_reference_quantiles: Double
        public var jensenshannon_evidently: Double
        public var wasserstein: Double
        public var wasserstein_normed_evidently: Double
        public var mean: Double
        public var std: Double
        public var min: Double
        public var max: Double
        public var quartiles: [Double]
    }

    public struct CategoricalDriftCase: Decodable, Sendable {
        public var name: String
        public var reference: [String]
        public var current: [String]
        public var chi2_statistic: Double?  // nil: infinite
        public var chi2_p_value: Double
        public var psi_evidently: Double
        public var jensenshannon_evidently: Double
        public var unseen_rate: Double
    }

    public struct HomogeneityCase: Decodable, Sendable {
        public var name: String
        public var reference: [Int]
        public var current: [Int]
        /// Columns after pooling; statistic, p-value and degrees of freedom are nil below two.
        public var columns: Int
        public var statistic: Double?
        public var p_value: Double?
        public var dof: Int?
    }

    public struct Drift: Decodable, Sendable {
        public var evidently: String
        public var numeric: [NumericDriftCase]
        public var categorical: [CategoricalDriftCase]
        public var homogeneity: [HomogeneityCase]
    }

    public struct ClassificationCase: Decodable, Sendable {
        public var name: String
        public var truth: [Bool]
        public var predicted: [Bool]
        public var scores: [Double]
        public var accuracy, precision, recall, f1, roc_auc, log_loss: Double
    }

    public struct RegressionCase: Decodable, Sendable {
        public var name: String
        public var truth: [Double]
        public var predicted: [Double]
        public var mae, rmse, mape: Double
    }

    public struct Metrics: Decodable, Sendable {
        public var sklearn: String
        public var classification: [ClassificationCase]
        public var regression: [RegressionCase]
    }

    public struct LatencyCase: Decodable, Sendable {
        public var name: String
        public var values: [Double]
        public var p50, p95, p99, max: Double
    }

    public struct Latency: Decodable, Sendable {
        public var latency: [LatencyCase]
    }

    public static let ks: Result<KS, ReferenceError> = load("ks")
    public static let drift: Result<Drift, ReferenceError> = load("drift")
    public static let metrics: Result<Metrics, ReferenceError> = load("metrics")
    public static let latency: Result<Latency, ReferenceError> = load("latency")
    public struct ChangeDetectorCases: Decodable, Sendable {
        public struct Case: Decodable, Sendable {
            public var name: String
            public var values: [Double]
            public var adwin: [Int]
            public var page_hinkley: [Int]
        }

        public var river: String
        public var cases: [Case]
    }

    public static let changeDetectors: Result<ChangeDetectorCases, ReferenceError> = load("change-detectors")
    public static let multipleTesting: Result<MultipleTestingCases, ReferenceError> = load("multiple-testing")

    public struct MultipleTestingCases: Decodable, Sendable {
        public struct Case: Decodable, Sendable {
            public var name: String
            public var p_values: [Double]
            public var benjamini_hochberg: [Double]
            public var bonferroni: [Double]
        }

        public var scipy: String
        public var cases: [Case]
    }

    private static func load<T: Decodable>(_ caseSet: String) -> Result<T, ReferenceError> {
        do {
            return .success(try JSONDecoder().decode(T.self, from: run(caseSet)))
        } catch {
            return .failure(error as? ReferenceError ?? ReferenceError("\(caseSet): \(error)"))
        }
    }

    public static func run(
        _ caseSet: String, _ arguments: [String] = [], script: String = "reference_values.py", venv: String = "venv"
    ) throws -> Data {
        let python = repository.appendingPathComponent(".deps/\(venv)/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw ReferenceError(
                "no \(python.path): run scripts/setup (make test does) to install the reference libraries")
        }
        let process = Process()
        process.executableURL = python
        process.arguments =
            [repository.appendingPathComponent("scripts/crosscheck/\(script)").path]
            + (caseSet.isEmpty ? [] : [caseSet])
            + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReferenceError("\(script) \(caseSet) failed (\(process.terminationStatus)): \(errorText)")
        }
        return data
    }

    public struct ReferenceError: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}

/// Equal within `relative` of the expected value; values that both underflow count as equal.
public func agrees(_ actual: Double, _ expected: Double, relative: Double) -> Bool {
    if actual == expected { return true }
    if abs(expected) < 1e-300 && abs(actual) < 1e-300 { return true }
    return abs(actual - expected) <= relative * abs(expected)
}

/// |actual − expected| / |expected|, 0 where both underflow or are equal.
public func relativeError(_ actual: Double, _ expected: Double) -> Double {
    if actual == expected || (abs(expected) < 1e-300 && abs(actual) < 1e-300) { return 0 }
    return abs(actual - expected) / abs(expected)
}
