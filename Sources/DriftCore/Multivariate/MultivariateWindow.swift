import DriftStats

/// A window's multivariate state: every event's features encoded as the reference encodes them (into one
/// reused row, no allocation per event), each row's reconstruction error with its prediction's offset, and up to
/// about twice `classifierRows` rows for the domain classifier. What the window reports must not depend on the
/// order events were placed in (instances merge streams differently; replays must publish the same bytes), so
/// errors are summed in offset order when the window closes, and a row is kept for the classifier by a hash of
/// its offset: all rows whose hash has its low `level` bits zero, the level raised (and rows dropped) whenever
/// twice `classifierRows` are kept — the same set whatever the order.
struct MultivariateWindow: Sendable {
    let reference: MultivariateReference
    private let kernel: ReconstructionModel.Kernel?
    private let classifierRows: Int
    private let encoder: RowEncoder
    private var row: [Double]
    private var scratch: [SIMD4<Double>]
    private var errorValues: [Double] = []
    private var errorOffsets: [Int64] = []
    private var keptRows: [(offset: Int64, row: [Double])] = []
    private var level = 0

    init(_ reference: MultivariateReference, reconstruction: Bool, classifierRows: Int) {
        self.reference = reference
        let kernel = reconstruction ? ReconstructionModel.Kernel(reference.model) : nil
        self.kernel = kernel
        self.classifierRows = classifierRows
        encoder = RowEncoder(reference)
        row = encoder.missingRow
        scratch = kernel?.scratch() ?? []
    }

    /// Adds an event's values, read at `offset` of its predictions partition; `slots[i]` is value i's column
    /// (−1: not in the reference).
    mutating func add(_ values: [FeatureValue], slots: [Int], offset: Int64) {
        row.withUnsafeMutableBufferPointer { encoder.fill($0, with: values, slots: slots) }
        if let kernel {
            // Values beyond ±1e150 can overflow the squares: such a row has no error, rather than an infinite mean.
            let error = row.withUnsafeBufferPointer { kernel.error($0, scratch: &scratch) }
            if error.isFinite {
                errorValues.append(error)
                errorOffsets.append(offset)
            }
        }
        guard classifierRows > 0, Self.hash(offset) & ((1 << level) - 1) == 0 else { return }
        keptRows.append((offset, row))
        while keptRows.count >= 2 * classifierRows && level < 63 {
            level += 1
            let mask: UInt64 = (1 << level) - 1
            keptRows.removeAll { Self.hash($0.offset) & mask != 0 }
        }
    }

    /// The mean and spread of the errors, summed in offset order.
    var errors: ReconstructionErrorSummary {
        var summary = ReconstructionErrorSummary()
        for index in errorOffsets.indices.sorted(by: { errorOffsets[$0] < errorOffsets[$1] }) {
            summary.add(errorValues[index])
        }
        return summary
    }

    /// The rows kept for the domain classifier, in offset order.
    var rows: [[Double]] { keptRows.sorted { $0.offset < $1.offset }.map(\.row) }

    /// SplitMix64's finaliser: offsets spread evenly over the bits.
    static func hash(_ offset: Int64) -> UInt64 {
        var z = UInt64(bitPattern: offset) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
