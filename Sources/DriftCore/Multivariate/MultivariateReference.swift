import DriftStats

/// What multivariate drift compares a window with: how each feature becomes a number (NannyML's data
/// reconstruction preprocessing: a missing or wrong-typed number imputed with the reference mean, a missing
/// category with the most frequent one — the smallest name among ties, as scikit-learn's `SimpleImputer` —,
/// a category encoded as its share of the reference's rows, `CountEncoder(normalize=True)`, an unseen one as 0),
/// the PCA reconstruction model of the encoded reference, the bounds its chunks set for a window's mean error,
/// and a sample of encoded reference rows for the domain classifier.
public struct MultivariateReference: Sendable, Equatable, Codable {
    public enum Column: Sendable, Equatable, Codable {
        case numeric(mean: Double)
        case categorical(shares: [String: Double], mostFrequent: String)
    }

    /// At most this many reference rows are kept for the domain classifier (evenly spaced), and fewer for many
    /// columns (at most `maximumSampleValues` numbers), so a reference stays a Kafka message.
    public static let maximumSampleRows = 1_000
    public static let maximumSampleValues = 20_000

    static func sampleRows(columns: Int) -> Int {
        max(100, min(maximumSampleRows, maximumSampleValues / max(columns, 1)))
    }

    /// What makes a stored multivariate reference unusable for `features` (name order), nil when usable.
    public func problem(features: [String]) -> String? {
        guard names == features, columns.count == names.count, model.columnCount == names.count else {
            return "must describe the features \(features), in name order"
        }
        if let problem = model.problem { return "model: \(problem)" }
        for (name, column) in zip(names, columns) {
            switch column {
            case .numeric(let mean) where !mean.isFinite: return "column '\(name)': the mean is not finite"
            case .categorical(let shares, let most) where shares[most] == nil || !shares.values.allSatisfy(\.isFinite):
                return "column '\(name)': the most frequent category needs a share, every share finite"
            default: continue
            }
        }
        guard sample.allSatisfy({ $0.count == names.count && $0.allSatisfy(\.isFinite) }) else {
            return "'sample' rows need \(names.count) finite values each"
        }
        return nil
    }

    /// The features in name order (the reference's features that have values).
    public var names: [String]
    public var columns: [Column]
    public var model: ReconstructionModel
    public var bounds: ReconstructionModel.Bounds
    /// Encoded reference rows, evenly spaced over the reference.
    public var sample: [[Double]]

    /// Fits on reference rows, one value per name (`.missing` for an absent feature). `numeric[i]` says how
    /// column i is profiled. The bounds come from chunks of `chunkSize` rows (nil: NannyML's default, a tenth of
    /// the rows). Nil when fewer than two rows or no column with values.
    public static func fit(
        names: [String], numeric: [Bool], rows: [[FeatureValue]], chunkSize: Int? = nil,
        varianceFraction: Double = 0.65
    ) -> MultivariateReference? {
        guard rows.count >= 2, !names.isEmpty else { return nil }
        var columns: [Column] = []
        for (index, isNumeric) in numeric.enumerated() {
            if isNumeric {
                var sum = 0.0
                var count = 0
                for row in rows {
                    guard case .number(let value) = row[index] else { continue }
                    sum += value
                    count += 1
                }
                guard count > 0 else { return nil }
                columns.append(.numeric(mean: sum / Double(count)))
            } else {
                var counts = CategoryCounter()
                var missing = 0
                for row in rows {
                    if case .category(let value) = row[index] { counts.add(value) } else { missing += 1 }
                }
                let known = counts.categoryCounts.counts
                guard let most = known.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })
                else { return nil }
                var shares = known.mapValues { Double($0) }
                shares[most.key]! += Double(missing)
                columns.append(
                    .categorical(shares: shares.mapValues { $0 / Double(rows.count) }, mostFrequent: most.key))
            }
        }
        var reference = MultivariateReference(
            names: names, columns: columns,
            model: ReconstructionModel(
                means: [], scales: [], center: [], components: [], discarded: [], explainedVariance: 0),
            bounds: .init(lower: nil, upper: nil), sample: [])
        let encoder = RowEncoder(reference)
        let encoded = rows.map { encoder.encode($0) }
        guard let model = ReconstructionModel.fit(rows: encoded, varianceFraction: varianceFraction) else { return nil }
        reference.model = model
        reference.bounds = .init(
            referenceErrors: model.errors(encoded), chunkSize: chunkSize ?? max(1, rows.count / 10))
        reference.sample = ReferenceProfile.NumericFeature.evenlySpaced(
            encoded, count: sampleRows(columns: names.count))
        return reference
    }

    /// A row of values (one per name) as numbers.
    public func encode(_ row: [FeatureValue]) -> [Double] { RowEncoder(self).encode(row) }
}

/// The reference's encoding unpacked per column, for the per-event path (no enum payload copied per value):
/// a number of a numeric column as it is, a category its share of the reference's rows (0 when unseen), and
/// anything else — missing, absent, wrong-typed — the imputed value the missing row holds (the column's mean, or
/// the most frequent category's share).
struct RowEncoder: Sendable {
    let missingRow: [Double]
    private let isNumeric: [Bool]
    private let shares: [[String: Double]]

    init(_ reference: MultivariateReference) {
        missingRow = reference.columns.map { column in
            switch column {
            case .numeric(let mean): mean
            case .categorical(let shares, let most): shares[most]!
            }
        }
        isNumeric = reference.columns.map { if case .numeric = $0 { true } else { false } }
        shares = reference.columns.map { if case .categorical(let shares, _) = $0 { shares } else { [:] } }
    }

    /// A row of values, one per column in order.
    func encode(_ values: [FeatureValue]) -> [Double] {
        var row = missingRow
        row.withUnsafeMutableBufferPointer { fill($0, with: values, slots: Array(values.indices)) }
        return row
    }

    /// Writes `values` into `row` (which starts as a copy of `missingRow`); `slots[i]` is value i's column
    /// (−1: not in the reference).
    func fill(_ row: UnsafeMutableBufferPointer<Double>, with values: [FeatureValue], slots: [Int]) {
        missingRow.withUnsafeBufferPointer { row.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
        for index in values.indices {
            let slot = slots[index]
            guard slot >= 0 else { continue }
            switch values[index] {
            case .number(let number) where isNumeric[slot]: row[slot] = number
            case .category(let category) where !isNumeric[slot]: row[slot] = shares[slot][category] ?? 0
            default: continue
            }
        }
    }
}
