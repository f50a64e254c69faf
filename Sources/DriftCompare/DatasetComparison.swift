// The report's property names are `compare`'s JSON keys (topics/schemas/compare.schema.json), snake_case.
// swift-format-ignore-file: AlwaysUseLowerCamelCase

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
        public var csv = CSVReadOptions()
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
        @Nullable public var share: Double?
        public var drift_share: Double
        public var status: String
        public var drift: Bool

    }

    /// What `--format json` writes (`topics/schemas/compare.schema.json`): every key present, null where a value
    /// does not apply or is not a finite number (`notes` then says why).
    public struct Report: Encodable, Sendable {
        public struct File: Encodable, Sendable {
            public var path: String
            public var rows: Int
            public var delimiter: String
            public var encoding: String
        }

        public var dataset: DatasetVerdict
        public var columns: [ColumnResult]
        public var reference: File
        public var current: File
        /// What was read differently from a plain file (short rows, invalid cells of `--numeric` columns).
        public var warnings: [String]

        public init(
            dataset: DatasetVerdict, columns: [ColumnResult], reference: File, current: File, warnings: [String]
        ) {
            self.dataset = dataset
            self.columns = columns
            self.reference = reference
            self.current = current
            self.warnings = warnings
        }
    }

    /// One column's result; field names are the JSON output's.
    public struct ColumnResult: Encodable, Sendable {
        public struct KS: Encodable, Sendable {
            public var statistic: Double
            public var p_value: Double
            public var method: String
        }

        public struct PSI: Encodable, Sendable {
            public var value: Double
            public var convention: String
            public var bins: Int
        }

        public struct ChiSquared: Encodable, Sendable {
            /// Nil when infinite (a category the reference never had).
            @Nullable public var statistic: Double?
            /// Nil when undefined (a single category: no degrees of freedom).
            @Nullable public var p_value: Double?
            public var degrees_of_freedom: Int
        }

        /// Both samples over the same bins, as shares, for plots: a histogram (`edges` has one more entry than
        /// the shares) for numeric columns, the most frequent categories (the rest summed as `(other)`) for
        /// categorical ones.
        public struct Distribution: Encodable, Sendable {
            public var type: String
            @Nullable public var edges: [Double]?
            @Nullable public var categories: [String]?
            public var reference: [Double]
            public var current: [Double]
        }

        public var column: String
        /// `numeric`, `categorical` or `empty` (no value in one of the files).
        public var type: String
        public var reference_count: Int
        public var current_count: Int
        public var missing_rate: Double
        public var reference_missing_rate: Double
        /// Cells of a `--numeric` column that were not numbers (left out), in both files.
        public var invalid_count: Int
        @Nullable public var ks: KS?
        @Nullable public var psi: PSI?
        @Nullable public var wasserstein: Double?
        @Nullable public var wasserstein_normed: Double?
        @Nullable public var jensen_shannon: Double?
        @Nullable public var chi2: ChiSquared?
        @Nullable public var unseen_rate: Double?
        /// The decision mode's verdict and its evidence (nil for an empty column).
        @Nullable public var decision: FeatureDecision?
        /// `drift`, `ok` or `too_few_values`.
        public var status: String
        public var drift: Bool
        @Nullable public var distribution: Distribution?
        /// Why a value is null or unusual (e.g. a distance beyond the largest double).
        public var notes: [String]

    }

    public var settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// Reads both files (concurrently) and compares every selected column, in the reference file's column order.
    public func compare(referencePath: String, currentPath: String) throws -> [ColumnResult] {
        try report(referencePath: referencePath, currentPath: currentPath).columns
    }

    /// `compare` with the dataset verdict and what was read.
    public func report(referencePath: String, currentPath: String) throws -> Report {
        var (reference, current) = try Self.load(referencePath, currentPath, settings.csv, [])
        let names = try checkColumns(reference, current)
        // A column that holds text in either file is categorical in both.
        let textInReference = Set(names.filter { reference.isText($0) })
        let textInCurrent = Set(names.filter { current.isText($0) })
        if textInReference != textInCurrent {
            (reference, current) = try Self.load(
                referencePath, currentPath, settings.csv, textInReference.union(textInCurrent))
        }
        for table in [reference, current] where names.allSatisfy({ table.columns[$0]!.valueCount == 0 }) {
            throw FileError(
                file: table.path,
                "every cell of the compared column(s) is missing (\(table.rows) rows); nothing to compare")
        }
        let (referenceTable, currentTable) = (reference, current)
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
            results[index].decision = Self.finite(verdict)
            results[index].status = verdict.status.rawValue
            results[index].drift = verdict.drifted
        }
        func file(_ table: CSVTable) -> Report.File {
            Report.File(
                path: table.path, rows: table.rows,
                delimiter: CSVDialect.name(table.dialect.delimiter)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "'")),
                encoding: table.dialect.encoding)
        }
        return Report(
            dataset: verdict(results), columns: results, reference: file(reference), current: file(current),
            warnings: reference.warnings + current.warnings)
    }

    /// The selected columns, in the reference's order; both files must have them, with rows.
    private func checkColumns(_ reference: CSVTable, _ current: CSVTable) throws -> [String] {
        let selection = settings.csv.selection
        let unmatched = selection.unmatched(in: Array(Set(reference.header).union(current.header)))
        if !unmatched.isEmpty {
            throw FileError(
                file: reference.path, line: 1,
                "no column matches \(unmatched.map { "'\($0)'" }.joined(separator: ", ")) (--columns/--ignore); "
                    + "the columns are: \(reference.header.joined(separator: ", "))")
        }
        for (table, other) in [(reference, current), (current, reference)] {
            for name in table.selected where other.columns[name] == nil {
                let column = table.header.firstIndex(of: name)! + 1
                throw FileError(
                    file: table.path, line: 1, column: column,
                    "column '\(name)' is not in \(other.path); both files need the same columns (or pass --ignore '\(name)')"
                        + (name.hasPrefix("Unnamed: ")
                            ? ". It is a header cell without a name: a delimiter at the end of the lines?" : ""))
            }
        }
        let names = reference.selected
        guard !names.isEmpty else {
            throw FileError(file: reference.path, line: 1, "--columns/--ignore leave no column to compare")
        }
        for table in [reference, current] where table.rows == 0 {
            throw FileError(file: table.path, line: 2, "the file has a header but no rows; nothing to compare")
        }
        return names
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

    /// Reads two CSV files on two threads; `text` columns are read as categories in both.
    private static func load(_ first: String, _ second: String, _ options: CSVReadOptions, _ text: Set<String>)
        throws -> (CSVTable, CSVTable)
    {
        let tables = ConcurrentSlots<Result<CSVTable, Error>>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            tables[index] = Result { try CSVTable(path: index == 0 ? first : second, options: options, asText: text) }
        }
        return (try tables.values[0].get(), try tables.values[1].get())
    }

    /// One column's statistics and the evidence for its verdict (nil for an empty column, which gets none).
    func compareColumn(
        _ name: String, _ reference: CSVTable.Column, _ referenceRows: Int,
        _ current: CSVTable.Column, _ currentRows: Int
    ) -> (ColumnResult, FeatureEvidence?) {
        let mode = settings.policy.decision.mode
        var result = ColumnResult(
            column: name, type: "numeric", reference_count: 0, current_count: 0,
            missing_rate: currentRows == 0 ? 0 : Double(current.missing) / Double(currentRows),
            reference_missing_rate: referenceRows == 0 ? 0 : Double(reference.missing) / Double(referenceRows),
            invalid_count: 0, status: FeatureDecision.Status.tooFewValues.rawValue, drift: false, notes: [])
        switch (reference, current) {
        case (
            .numeric(let referenceValues, let referenceMissing, let referenceInvalid),
            .numeric(let currentValues, _, let currentInvalid)
        ):
            result.reference_count = referenceValues.count
            result.current_count = currentValues.count
            result.invalid_count = referenceInvalid + currentInvalid
            guard !referenceValues.isEmpty && !currentValues.isEmpty else {
                result.type = "empty"
                result.notes.append("no value in the \(referenceValues.isEmpty ? "reference" : "current") file")
                return (result, nil)
            }
            let evidence = compareNumeric(
                referenceValues, currentValues, referenceMissing: referenceMissing, into: &result)
            return (result, evidence)
        case (.categorical(let referenceCounts, _), .categorical(let currentCounts, _)):
            result.type = "categorical"
            result.reference_count = referenceCounts.total
            result.current_count = currentCounts.total
            guard referenceCounts.total > 0 && currentCounts.total > 0 else {
                result.type = "empty"
                result.notes.append("no value in the \(referenceCounts.total == 0 ? "reference" : "current") file")
                return (result, nil)
            }
            let categorical = CategoricalDrift.compare(reference: referenceCounts, current: currentCounts)
            result.psi = .init(value: categorical.psi, convention: "evidently", bins: categorical.categories)
            result.jensen_shannon = categorical.jensenShannon
            result.chi2 = .init(
                statistic: categorical.chiSquared.finiteStatistic, p_value: categorical.chiSquared.definedPValue,
                degrees_of_freedom: categorical.chiSquared.degreesOfFreedom)
            result.unseen_rate = categorical.unseenRate
            result.distribution = Self.categoryShares(referenceCounts, currentCounts)
            let evidence = FeatureEvidence.categorical(
                reference: referenceCounts, current: currentCounts, psi: categorical.psi,
                jensenShannon: categorical.jensenShannon, mode: mode)
            return (result, evidence)
        default:
            preconditionFailure("column \(name) typed differently in the two files")
        }
    }

    /// A numeric column's statistics into `result`, and the evidence for its verdict.
    private func compareNumeric(
        _ referenceValues: [Double], _ currentValues: [Double], referenceMissing: Int, into result: inout ColumnResult
    ) -> FeatureEvidence {
        let mode = settings.policy.decision.mode
        // Values beyond ±2⁵⁰⁰ are scaled by a power of two (exact; ranks, shares and normed distances do not
        // change) so that ranges, variances and areas do not overflow; W₁ is scaled back.
        let (unscaledReference, unscaledCurrent) = (
            RadixSort.sorted(referenceValues), RadixSort.sorted(currentValues)
        )
        let scale = NumericScale(sorted: unscaledReference, unscaledCurrent)
        let sortedReference = scale.apply(unscaledReference)
        let sortedCurrent = scale.apply(unscaledCurrent)
        let numeric = NumericDrift.compare(
            sortedReference: sortedReference, sortedCurrent: sortedCurrent,
            psiConvention: settings.psiConvention, psiBins: settings.psiBins,
            ksMethod: settings.policy.decision.ksMethod)
        result.ks = .init(
            statistic: numeric.ks.statistic, p_value: numeric.ks.pValue, method: numeric.ks.method.rawValue)
        result.psi = .init(
            value: numeric.psi.value, convention: numeric.psi.convention.rawValue, bins: numeric.psi.bins)
        result.wasserstein = Self.finite(numeric.wasserstein * scale.factor)
        if result.wasserstein == nil {
            result.notes.append("wasserstein: beyond the largest double (the values reach ±\(scale.largest)); null")
        }
        result.wasserstein_normed = Self.finite(numeric.wassersteinNormalized)
        result.jensen_shannon = Self.finite(numeric.jensenShannon)
        let edges = EvidentlyBinning.sturgesEdges(
            minimum: Swift.min(sortedReference[0], sortedCurrent[0]),
            maximum: Swift.max(sortedReference[sortedReference.count - 1], sortedCurrent[sortedCurrent.count - 1]),
            count: Swift.min(sortedReference.count + sortedCurrent.count, 1 << 20))
        result.distribution = .init(
            type: "histogram", edges: edges.map { $0 * scale.factor }, categories: nil,
            reference: EvidentlyBinning.histogram(sorted: sortedReference, edges: edges)
                .map { Double($0) / Double(sortedReference.count) },
            current: EvidentlyBinning.histogram(sorted: sortedCurrent, edges: edges)
                .map { Double($0) / Double(sortedCurrent.count) })
        // pandas reads an integer column without missing cells as int64, which Evidently may type categorical.
        let evidentlyCategorical =
            mode == .evidently && referenceMissing == 0
            && EvidentlyDrift.isCategorical(sortedReference: sortedReference)
        let evidence = FeatureEvidence.numeric(
            sortedReference: sortedReference, sortedCurrent: sortedCurrent, ks: numeric.ks, psi: numeric.psi.value,
            referenceStandardDeviation: Descriptive.standardDeviation(sortedReference),
            referenceNoiseIntegral: Wasserstein.noiseIntegral(sorted: sortedReference),
            evidentlyCategorical: evidentlyCategorical, mode: mode)
        return evidence
    }

    /// Categories plotted by name: the most frequent in both files together; the rest summed as `(other)`.
    static let plottedCategories = 20

    static func categoryShares(_ reference: CategoryCounts, _ current: CategoryCounts) -> ColumnResult.Distribution {
        let all = reference.categories.union(current.categories).sorted {
            let (left, right) = (reference[$0] + current[$0], reference[$1] + current[$1])
            return left != right ? left > right : $0 < $1
        }
        let shown = Array(all.prefix(plottedCategories))
        var referenceShares = shown.map { Double(reference[$0]) / Double(reference.total) }
        var currentShares = shown.map { Double(current[$0]) / Double(current.total) }
        var names = shown
        if all.count > shown.count {
            names.append("(other)")
            referenceShares.append(Swift.max(0, 1 - referenceShares.reduce(0, +)))
            currentShares.append(Swift.max(0, 1 - currentShares.reduce(0, +)))
        }
        return .init(
            type: "categories", edges: nil, categories: names, reference: referenceShares, current: currentShares)
    }

    /// nil for ±inf and NaN, which JSON cannot hold.
    static func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }

    /// A decision with every non-finite number nulled.
    static func finite(_ decision: FeatureDecision) -> FeatureDecision {
        var decision = decision
        decision.score = decision.score.flatMap(finite)
        decision.threshold = decision.threshold.flatMap(finite)
        decision.effectValue = decision.effectValue.flatMap(finite)
        return decision
    }
}
