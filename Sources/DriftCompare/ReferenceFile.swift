import DriftCore
import DriftStats
import Foundation

/// Builds a reference profile from a training file (`driftwatch reference build`):
/// - CSV (`.csv`): a header row, one row per example; columns typed as `compare` types them (CSVTable).
/// - JSON Lines (`.jsonl`, `.ndjson`): one object per line, either flat (`{"amount": 12.5, "country": "DE",
///   "prediction": 0.83}`) or shaped like a prediction event (`{"features": {...}, "prediction": 0.83, ...}`).
/// Numbers are numeric features, strings and bools categorical, null or absent missing. The prediction
/// column becomes the prediction's profile; bookkeeping columns (`ignoredColumns`) are left out. The rows
/// (at most `maximumMultivariateRows`, evenly spaced) fit the multivariate model; with `labelColumn`, scores
/// in [0, 1] beside 0/1 (or true/false) labels fit performance estimation (CBPE's calibration).
public enum ReferenceFile {
    /// Rows the multivariate model is fitted on at most (evenly spaced over a larger file).
    public static let maximumMultivariateRows = 50_000

    public static let ignoredColumns: Set<String> = [
        "request_id", "timestamp", "model", "model_version", "label", "latency_ms", "prediction_label",
    ]

    public struct Options: Sendable {
        public var version: String
        public var predictionColumn = "prediction"
        public var ignored = ReferenceFile.ignoredColumns
        public var psiBins = PopulationStabilityIndex.defaultBins
        /// The column of true outcomes (0/1 or true/false) for performance estimation; nil for none.
        public var labelColumn: String?
        /// The score from which a prediction is positive (`labels.threshold`).
        public var threshold = 0.5
        /// How a CSV file is read (as `compare` reads it).
        public var csv = CSVReadOptions()

        public init(version: String) { self.version = version }
    }

    /// `progress` gets the bytes read so far and the file's size now and then (large files take a while).
    public static func build(path: String, options: Options, progress: ((Int, Int) -> Void)? = nil) throws
        -> ReferenceProfile
    {
        var options = options
        if let label = options.labelColumn { options.ignored.insert(label) }
        let lowered = path.lowercased()
        if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") {
            return try fromJSONLines(path: path, options: options, progress: progress)
        }
        guard lowered.hasSuffix(".csv") else {
            throw FileError(file: path, "unknown file type; expected .csv, .jsonl or .ndjson")
        }
        return try fromCSV(path: path, options: options, progress: progress)
    }

    private static func fromCSV(path: String, options: Options, progress: ((Int, Int) -> Void)?) throws
        -> ReferenceProfile
    {
        let table = try CSVTable(path: path, options: options.csv, progress: progress)
        var values = ReferenceProfile.Columns()
        var predictions = ReferenceProfile.Columns()
        for (name, column) in table.columns where !options.ignored.contains(name) {
            let isPrediction = name == options.predictionColumn
            switch column {
            case .numeric(let numbers, _, _):
                if isPrediction { predictions.numbers["prediction"] = numbers } else { values.numbers[name] = numbers }
            case .categorical(let counts, _):
                if isPrediction {
                    predictions.categories["prediction"] = counts
                } else {
                    values.categories[name] = counts
                }
            }
        }
        var profile = try profile(values, predictions, rows: table.rows, path: path, options: options)
        let names = profile.features.keys.sorted()
        // Only the rows the model is fitted on are kept: a large file's rows are not all held at once.
        let stride = max(1, (table.rows + maximumMultivariateRows - 1) / maximumMultivariateRows)
        profile.fitMultivariate(columns: try table.rows(of: names, every: stride, options: options.csv))
        if let label = options.labelColumn {
            guard table.columns[label] != nil else {
                throw FileError(
                    file: path, "no label column '\(label)' (columns: \(table.header.joined(separator: ", ")))")
            }
            guard table.columns[options.predictionColumn] != nil else {
                throw FileError(
                    file: path, "no prediction column '\(options.predictionColumn)' to put beside the labels")
            }
            let pairs = try table.rows(of: [options.predictionColumn, label], every: 1, options: options.csv)
            try estimate(&profile, pairs.map { ($0[0], $0[1]) }, path: path, options: options)
        }
        return profile
    }

    /// Fits performance estimation on the (score, label) pairs that have both; fails when none or one class.
    private static func estimate(
        _ profile: inout ReferenceProfile, _ pairs: [(FeatureValue, FeatureValue)], path: String, options: Options
    ) throws {
        var scores: [Double] = []
        var labels: [Bool] = []
        for (prediction, label) in pairs {
            guard case .number(let score) = prediction, (0...1).contains(score) else { continue }
            let truth: Bool? =
                switch label {
                case .number(1), .category("1"), .category("True"), .category("true"): true
                case .number(0), .category("0"), .category("False"), .category("false"): false
                default: nil
                }
            guard let truth else { continue }
            scores.append(score)
            labels.append(truth)
        }
        profile.fitEstimation(scores: scores, labels: labels, threshold: options.threshold)
        guard profile.estimation != nil else {
            throw FileError(
                file: path,
                "\(scores.count) rows have a score in [0, 1] in '\(options.predictionColumn)' and a 0/1 (or true/false) "
                    + "label in '\(options.labelColumn ?? "")'; performance estimation needs some of each class")
        }
    }

    /// One cell of a JSON Lines record: a feature value, or the nested `features` object.
    private enum Cell: Decodable {
        case value(FeatureValue)
        case object([String: FeatureValue])

        init(from decoder: any Decoder) throws {
            if let value = try? FeatureValue(from: decoder) {
                self = .value(value)
            } else {
                self = .object(try [String: FeatureValue](from: decoder))
            }
        }
    }

    private static func fromJSONLines(path: String, options: Options, progress: ((Int, Int) -> Void)?) throws
        -> ReferenceProfile
    {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw FileError(file: path, "cannot read the file as UTF-8 text (does it exist?)")
        }
        var numbers: [String: [Double]] = [:]
        var categories: [String: CategoryCounter] = [:]
        var predictionNumbers: [Double] = []
        var predictionClasses = CategoryCounter()
        var featureRows: [Features] = []
        var pairs: [(FeatureValue, FeatureValue)] = []
        var rows = 0
        let decoder = JSONDecoder()
        var bytesRead = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Only the rows the model is fitted on are kept (every `stride`-th; the lines bound the rows).
        let stride = max(1, (lines.count + maximumMultivariateRows - 1) / maximumMultivariateRows)
        for (index, line) in lines.enumerated() {
            bytesRead += line.utf8.count + 1
            if let progress, index & 0x3FFF == 0 { progress(min(bytesRead, data.count), data.count) }
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let record: [String: Cell]
            do {
                record = try decoder.decode([String: Cell].self, from: Data(line.utf8))
            } catch {
                throw FileError(file: path, line: index + 1, "expected a JSON object of feature values: \(error)")
            }
            rows += 1
            var features: [String: FeatureValue] = [:]
            for (name, cell) in record where !options.ignored.contains(name) && name != options.predictionColumn {
                switch cell {
                case .object(let nested) where name == "features": features.merge(nested) { $1 }
                case .object:
                    throw FileError(file: path, line: index + 1, "'\(name)' is an object; only 'features' may be")
                case .value(let value): features[name] = value
                }
            }
            for (name, value) in features {
                switch value {
                case .number(let number): numbers[name, default: []].append(number)
                case .category(let category): categories[name, default: CategoryCounter()].add(category)
                case .missing: break
                }
            }
            switch record[options.predictionColumn] {
            case .value(.number(let number)): predictionNumbers.append(number)
            case .value(.category(let name)): predictionClasses.add(name)
            default: break
            }
            if (rows - 1) % stride == 0 { featureRows.append(Features(features)) }
            if let label = options.labelColumn, case .value(let truth)? = record[label],
                case .value(let prediction)? = record[options.predictionColumn]
            {
                pairs.append((prediction, truth))
            }
        }
        var profile = try profile(
            .init(numbers: numbers, categories: categories.mapValues(\.categoryCounts)),
            .init(
                numbers: ["prediction": predictionNumbers], categories: ["prediction": predictionClasses.categoryCounts]
            ),
            rows: rows, path: path, options: options)
        profile.fitMultivariate(rows: featureRows)
        if options.labelColumn != nil { try estimate(&profile, pairs, path: path, options: options) }
        return profile
    }

    private static func profile(
        _ values: ReferenceProfile.Columns, _ predictions: ReferenceProfile.Columns, rows: Int, path: String,
        options: Options
    ) throws -> ReferenceProfile {
        let profile = ReferenceProfile(
            modelVersion: options.version, source: .file, eventCount: rows, values: values, predictions: predictions,
            psiBins: options.psiBins)
        guard !profile.features.isEmpty else {
            throw FileError(file: path, "no feature columns with values (\(rows) rows); a reference needs at least one")
        }
        return profile
    }
}
