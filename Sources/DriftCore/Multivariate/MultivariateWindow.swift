import DriftStats

/// A window's multivariate state: every event's features encoded as the reference encodes them (into one
/// reused row, no allocation per event), the running mean and spread of the rows' reconstruction errors, and
/// up to `classifierRows` rows for the domain classifier — every row until twice that many, then every other
/// one kept and the stride doubled, so the kept rows stay evenly spaced over the window.
struct MultivariateWindow: Sendable {
    let reference: MultivariateReference
    private let kernel: ReconstructionModel.Kernel?
    private let classifierRows: Int
    /// The encoded row of an event with every feature missing: each event starts from it.
    private let missingRow: [Double]
    private var row: [Double]
    private var scratch: [SIMD4<Double>]
    private(set) var errors = ReconstructionErrorSummary()
    private(set) var rows: [[Double]] = []
    private var stride = 1
    private var seen = 0

    init(_ reference: MultivariateReference, reconstruction: Bool, classifierRows: Int) {
        self.reference = reference
        let kernel = reconstruction ? ReconstructionModel.Kernel(reference.model) : nil
        self.kernel = kernel
        self.classifierRows = classifierRows
        missingRow = reference.names.indices.map { reference.encode(.missing, column: $0) }
        row = missingRow
        scratch = kernel?.scratch() ?? []
    }

    /// Adds an event's values; `slots[i]` is value i's column (−1: not in the reference).
    mutating func add(_ values: [FeatureValue], slots: [Int]) {
        row.withUnsafeMutableBufferPointer { row in
            missingRow.withUnsafeBufferPointer { row.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
            for index in values.indices where slots[index] >= 0 {
                row[slots[index]] = reference.encode(values[index], column: slots[index])
            }
        }
        if let kernel {
            // Values beyond ±1e150 can overflow the squares: such a row has no error, rather than an infinite mean.
            let error = row.withUnsafeBufferPointer { kernel.error($0, scratch: &scratch) }
            if error.isFinite { errors.add(error) }
        }
        guard classifierRows > 0 else { return }
        if seen % stride == 0 {
            rows.append(row)
            if rows.count >= 2 * classifierRows {
                rows = Swift.stride(from: 0, to: rows.count, by: 2).map { rows[$0] }
                stride *= 2
            }
        }
        seen += 1
    }
}
