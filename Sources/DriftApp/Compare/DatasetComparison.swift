import DriftCore
import DriftStats
import Foundation

/// `driftwatch compare`: every column of a reference CSV against the same column of a current CSV. Numeric
/// columns (numbers in both files) get KS, PSI, Wasserstein and Jensen–Shannon; the others are categorical
/// and get χ², PSI, Jensen–Shannon and the unseen-category rate. Columns are compared in parallel; each gets
/// its verdict from the policy's decision mode, the same rule the monitor applies to windows, and the files
/// get a dataset verdict (see `DatasetVerdict`).
public struct DatasetComparison: Sendable {
    public struct Settings: Sendable {
        public var psiConvention: PopulationStabilityIndex.Convention = .referenceQuantiles
        public var psiBins = PopulationStabilityIndex.defaultBins
        public var policy = DriftPolicy()
        public init() {}
    }

    /// The files' verdict, as Evidently's dataset drift: the share of drifted columns against `drift_share`.
    /// Columns with too few values have no verdict and are left out of the share; with no verdict at all there
    /// is no dataset verdict either (`drift` false, `status` `too_few_values`).
    public struct DatasetVerdict: Encodable, Sendable, Equatable {
        public var mode: String
        public var columns: Int
        public var columns_with_verdict: Int
        public var drifted_columns: Int
        public var share: Double?
        public var drift_share: Double
        public var status: String
        public var drift: Bool
    }

    /// What `--format json` writes.
    public struct Report: Encodable, Sendable {
        public var dataset: DatasetVerdict
        public var columns: [ColumnResult]

        public init(dataset: DatasetVerdict, columns: [ColumnResult]) {
            self.dataset = dataset
            self.columns = columns
        }
    }

    /// One column's result; field names are the JSON output's.
    public struct ColumnResult: Encodable, Sendable {
        public struct KS: Encodable, Sendable {
            var statistic: Double
            var p_value: Double
            var method: String
        }

        public struct PSI: Encodable, Sendable {
            var value: Double
            var convention: String
            var bins: Int
        }

        public struct ChiSquared: Encodable, Sendable {
            /// Nil when infinite (a category the reference never had).
            var statistic: Double?
            /// Nil when undefined (a single category: no degrees of freedom).
            var p_value: Double?
            var degrees_of_freedom: Int
        }

        public var column: String
        public var type: String
        public var reference_count: Int
        public var current_count: Int
        public var missing_rate: Double
        public var reference_missing_rate: Double
        public var ks: KS?
        public var psi: PSI?
        public var wasserstein: Double?
        public var wasserstein_normed: Double?
        public var jensen_shannon: Double?
        public var chi2: ChiSquared?
        public var unseen_rate: Double?
        /// The decision mode's verdict and its evidence (nil for an empty column).
        public var decision: FeatureDecision?
        /// `drift`, `ok`, `too_few_values` or `empty`.
        public var status: String
        public var drift: Bool
    }

    public var settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// Reads both files (concurrently) and compares every column, in the reference file's column order.
    public func compare(referencePath: String, currentPath: String) throws -> [ColumnResult] {
        var (reference, current) = try Self.load(referencePath, [], currentPath, [])
        for (index, name) in reference.header.enumerated() where !current.header.contains(name) {
            throw ConfigError(file: referencePath, line: 1, column: index + 1,
                              "column '\(name)' is not in \(currentPath); both files need the same columns")
        }
        for (index, name) in current.header.enumerated() where !reference.header.contains(name) {
            throw ConfigError(file: currentPath, line: 1, column: index + 1,
                              "column '\(name)' is not in \(referencePath); both files need the same columns")
        }
        // A column that holds text in either file is categorical in both.
        let textInReference = Set(reference.header.filter { reference.isText($0) })
        let textInCurrent = Set(current.header.filter { current.isText($0) })
        if textInReference != textInCurrent {
            let text = textInReference.union(textInCurrent)
            (reference, current) = try Self.load(referencePath, text, currentPath, text)
        }
        let (referenceTable, currentTable) = (reference, current)
        let names = referenceTable.header
        let compared = ConcurrentSlots<(ColumnResult, FeatureEvidence?)>(count: names.count)
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            compared[index] = compareColumn(
                names[index], referenceTable.columns[names[index]]!, referenceTable.rows,
                currentTable.columns[names[index]]!, currentTable.rows)
        }
        var results = compared.values.map(\.0)
        let tested = results.indices.filter { compared.values[$0].1 != nil }
        let policy = settings.policy
        let verdicts = policy.decision.decide(tested.map { compared.values[$0].1! }, correction: policy.correction)
        for (index, verdict) in zip(tested, verdicts) {
            results[index].decision = verdict
            results[index].status = verdict.status.rawValue
            results[index].drift = verdict.drifted
        }
        return results
    }

    /// The dataset verdict of compared columns.
    public func verdict(_ results: [ColumnResult]) -> DatasetVerdict {
        let decided = results.filter { $0.status == "drift" || $0.status == "ok" }
        let drifted = decided.filter(\.drift).count
        let share = decided.isEmpty ? nil : Double(drifted) / Double(decided.count)
        let drift = share.map { $0 >= settings.policy.datasetDriftShare } ?? false
        return DatasetVerdict(
            mode: settings.policy.decision.mode.rawValue, columns: results.count, columns_with_verdict: decided.count,
            drifted_columns: drifted, share: share, drift_share: settings.policy.datasetDriftShare,
            status: share == nil ? "too_few_values" : drift ? "drift" : "ok", drift: drift)
    }

    /// Reads two CSV files on two threads.
    private static func load(_ first: String, _ firstText: Set<String>, _ second: String, _ secondText: Set<String>)
        throws -> (CSVTable, CSVTable)
    {
        let tables = ConcurrentSlots<Result<CSVTable, Error>>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            tables[index] = Result {
                index == 0 ? try CSVTable(path: first, asText: firstText) : try CSVTable(path: second, asText: secondText)
            }
        }
        return (try tables.values[0].get(), try tables.values[1].get())
    }

    /// One column's statistics and the evidence for its verdict (nil for an empty column, which gets none).
    func compareColumn(_ name: String, _ reference: CSVTable.Column, _ referenceRows: Int,
                       _ current: CSVTable.Column, _ currentRows: Int) -> (ColumnResult, FeatureEvidence?) {
        let mode = settings.policy.decision.mode
        var result = ColumnResult(
            column: name, type: "numeric", reference_count: 0, current_count: 0,
            missing_rate: currentRows == 0 ? 0 : Double(current.missing) / Double(currentRows),
            reference_missing_rate: referenceRows == 0 ? 0 : Double(reference.missing) / Double(referenceRows),
            status: "empty", drift: false)
        switch (reference, current) {
        case (.numeric(let referenceValues, let referenceMissing), .numeric(let currentValues, _)):
            result.reference_count = referenceValues.count
            result.current_count = currentValues.count
            guard !referenceValues.isEmpty && !currentValues.isEmpty else {
                result.type = "empty"
                return (result, nil)
            }
            let (sortedReference, sortedCurrent) = (RadixSort.sorted(referenceValues), RadixSort.sorted(currentValues))
            let numeric = NumericDrift.compare(
                sortedReference: sortedReference, sortedCurrent: sortedCurrent,
                psiConvention: settings.psiConvention, psiBins: settings.psiBins, ksMethod: settings.policy.decision.ksMethod)
            result.ks = .init(statistic: numeric.ks.statistic, p_value: numeric.ks.pValue, method: numeric.ks.method.rawValue)
            result.psi = .init(value: numeric.psi.value, convention: numeric.psi.convention.rawValue, bins: numeric.psi.bins)
            result.wasserstein = numeric.wasserstein
            result.wasserstein_normed = numeric.wassersteinNormalized
            result.jensen_shannon = numeric.jensenShannon
            // pandas reads an integer column without missing cells as int64, which Evidently may type categorical.
            let evidentlyCategorical = mode == .evidently && referenceMissing == 0
                && EvidentlyDrift.isCategorical(sortedReference: sortedReference)
            let evidence = FeatureEvidence.numeric(
                sortedReference: sortedReference, sortedCurrent: sortedCurrent, ks: numeric.ks, psi: numeric.psi.value,
                referenceStandardDeviation: Descriptive.standardDeviation(sortedReference),
                referenceNoiseIntegral: Wasserstein.noiseIntegral(sorted: sortedReference),
                evidentlyCategorical: evidentlyCategorical, mode: mode)
            return (result, evidence)
        case (.categorical(let referenceCounts, _), .categorical(let currentCounts, _)):
            result.type = "categorical"
            result.reference_count = referenceCounts.total
            result.current_count = currentCounts.total
            guard referenceCounts.total > 0 && currentCounts.total > 0 else {
                result.type = "empty"
                return (result, nil)
            }
            let categorical = CategoricalDrift.compare(reference: referenceCounts, current: currentCounts)
            result.psi = .init(value: categorical.psi, convention: "evidently", bins: categorical.categories)
            result.jensen_shannon = categorical.jensenShannon
            result.chi2 = .init(
                statistic: categorical.chiSquared.finiteStatistic, p_value: categorical.chiSquared.definedPValue,
                degrees_of_freedom: categorical.chiSquared.degreesOfFreedom)
            result.unseen_rate = categorical.unseenRate
            let evidence = FeatureEvidence.categorical(
                reference: referenceCounts, current: currentCounts, psi: categorical.psi,
                jensenShannon: categorical.jensenShannon, mode: mode)
            return (result, evidence)
        default:
            preconditionFailure("column \(name) typed differently in the two files")
        }
    }
}

extension CSVTable {
    func isText(_ name: String) -> Bool {
        if case .categorical? = columns[name] { return true }
        return false
    }
}
