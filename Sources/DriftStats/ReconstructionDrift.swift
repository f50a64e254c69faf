/// Multivariate drift as NannyML 0.13's data reconstruction drift measures it: rows are standardised with the
/// reference's mean and standard deviation (StandardScaler, ddof 0, scale 1 for a constant column), projected
/// on the principal components that explain `varianceFraction` of the reference's variance (scikit-learn's
/// `PCA(n_components=0.65)`: the fewest components whose cumulative ratio exceeds it) and back; a row's
/// reconstruction error is the Euclidean distance between the standardised row and its reconstruction. A
/// change in how features relate moves rows off the reference's principal subspace, so the mean error of a
/// window rises even when every feature's own distribution stays put.
///
/// Rows arrive imputed and encoded (see `MultivariateReference` in DriftCore). The per-row work is SIMD over
/// the columns, padded to a multiple of 4: 2·k·d multiply-adds for k components of d columns.
public struct ReconstructionModel: Sendable, Equatable, Codable {
    public var means: [Double]
    public var scales: [Double]
    /// The mean of the standardised reference (PCA centres its input), per column.
    public var center: [Double]
    /// The kept components, each a unit vector of `means.count` values.
    public var components: [[Double]]
    /// The other eigenvectors of the reference's covariance: with the kept ones an orthonormal basis, so a row's
    /// squared error is also the sum of its squared projections on these — fewer multiply-adds when more than a
    /// third of the components are kept.
    public var discarded: [[Double]]
    /// The share of the reference's variance the kept components explain.
    public var explainedVariance: Double

    enum CodingKeys: String, CodingKey {
        case means, scales, center, components, discarded
        case explainedVariance = "explained_variance"
    }

    public var columnCount: Int { means.count }

    /// What makes a stored model unusable (nil: usable): one mean, scale and centre per column, scales positive,
    /// at least one kept component, every vector one value per column, at most as many vectors as columns, all
    /// finite.
    public var problem: String? {
        let width = means.count
        guard width > 0, scales.count == width, center.count == width else {
            return "'means', 'scales' and 'center' need one value per column"
        }
        guard (means + center).allSatisfy(\.isFinite), scales.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            return "'means' and 'center' must be finite, 'scales' finite and positive"
        }
        guard !components.isEmpty, components.count + discarded.count <= width,
            (components + discarded).allSatisfy({ $0.count == width && $0.allSatisfy(\.isFinite) })
        else {
            return
                "'components' (at least one) and 'discarded' need \(width) finite values each, \(width) vectors at most"
        }
        return nil
    }

    public init(
        means: [Double], scales: [Double], center: [Double], components: [[Double]], discarded: [[Double]],
        explainedVariance: Double
    ) {
        self.means = means
        self.scales = scales
        self.center = center
        self.components = components
        self.discarded = discarded
        self.explainedVariance = explainedVariance
    }

    /// Fits the model on reference rows (all of one width, finite); nil for fewer than two rows or no column.
    public static func fit(rows: [[Double]], varianceFraction: Double = 0.65) -> ReconstructionModel? {
        guard rows.count >= 2, let width = rows.first?.count, width > 0 else { return nil }
        let n = Double(rows.count)
        var means = [Double](repeating: 0, count: width)
        for row in rows { for j in 0..<width { means[j] += row[j] } }
        means = means.map { $0 / n }
        var variances = [Double](repeating: 0, count: width)
        for row in rows { for j in 0..<width { variances[j] += (row[j] - means[j]) * (row[j] - means[j]) } }
        let scales = variances.map { $0 / n > 0 ? ($0 / n).squareRoot() : 1 }
        let scaled = rows.map { row in (0..<width).map { (row[$0] - means[$0]) / scales[$0] } }
        var center = [Double](repeating: 0, count: width)
        for row in scaled { for j in 0..<width { center[j] += row[j] } }
        center = center.map { $0 / n }
        var covariance = [Double](repeating: 0, count: width * width)
        for row in scaled {
            for i in 0..<width {
                let di = row[i] - center[i]
                for j in i..<width { covariance[i * width + j] += di * (row[j] - center[j]) }
            }
        }
        for i in 0..<width { for j in 0..<i { covariance[i * width + j] = covariance[j * width + i] } }
        let (values, vectors) = SymmetricEigen.decompose(covariance, order: width)
        let clipped = values.map { max($0, 0) }
        let total = clipped.reduce(0, +)
        guard total > 0 else { return nil }
        // np.searchsorted(cumulative ratios, fraction, side="right") + 1, at most every component.
        var cumulative = 0.0
        var kept = 0
        for value in clipped {
            cumulative += value / total
            if cumulative <= varianceFraction { kept += 1 } else { break }
        }
        kept = min(kept + 1, width)
        let explained = clipped.prefix(kept).reduce(0, +) / total
        return ReconstructionModel(
            means: means, scales: scales, center: center, components: Array(vectors.prefix(kept)),
            discarded: Array(vectors.dropFirst(kept)), explainedVariance: explained)
    }

    /// The reconstruction error of each row.
    public func errors(_ rows: [[Double]]) -> [Double] {
        let kernel = Kernel(self)
        var scratch = kernel.scratch()
        return rows.map { row in row.withUnsafeBufferPointer { kernel.error($0, scratch: &scratch) } }
    }
}

extension ReconstructionModel {
    /// The model laid out for the per-row work: columns padded to a multiple of 4, affine standardisation
    /// folded into one multiply-add per column, components as rows of SIMD4 blocks. With k of d components kept,
    /// the error is ‖z − Σ (wₖ·z) wₖ‖ (2·k·d multiply-adds) or, when d − k < 2·k, √Σ (vⱼ·z)² over the d − k
    /// discarded eigenvectors (the basis is orthonormal; (d − k)·d multiply-adds).
    public struct Kernel: Sendable {
        let width: Int
        let blocks: Int
        /// The rows of `components`: the kept components, or the discarded eigenvectors (`useDiscarded`).
        let componentCount: Int
        let useDiscarded: Bool
        /// z = x · multiplier + offset: ((x − mean) / scale) − center.
        let multiplier: [SIMD4<Double>]
        let offset: [SIMD4<Double>]
        let components: [SIMD4<Double>]

        public init(_ model: ReconstructionModel) {
            width = model.columnCount
            blocks = (width + 3) / 4
            useDiscarded = model.discarded.count < 2 * model.components.count
            componentCount = useDiscarded ? model.discarded.count : model.components.count
            let blocks = blocks
            multiplier = Self.padded(model.scales.map { 1 / $0 }, blocks: blocks)
            offset = Self.padded(
                (0..<model.columnCount).map { -model.means[$0] / model.scales[$0] - model.center[$0] }, blocks: blocks)
            components = (useDiscarded ? model.discarded : model.components).flatMap { Self.padded($0, blocks: blocks) }
        }

        private static func padded(_ values: [Double], blocks: Int) -> [SIMD4<Double>] {
            let all = values + Array(repeating: 0, count: blocks * 4 - values.count)
            return (0..<blocks).map { SIMD4(all[$0 * 4], all[$0 * 4 + 1], all[$0 * 4 + 2], all[$0 * 4 + 3]) }
        }

        /// Working memory for `error`: one per caller, reused for every row (the standardised row, then the
        /// projections on the components).
        public func scratch() -> [SIMD4<Double>] { Array(repeating: .zero, count: blocks + (componentCount + 3) / 4) }

        /// The reconstruction error of one row of `width` values.
        public func error(_ row: UnsafeBufferPointer<Double>, scratch: inout [SIMD4<Double>]) -> Double {
            precondition(
                row.count == width && scratch.count >= blocks + (componentCount + 3) / 4, "one value per column")
            let blocks = blocks
            let count = componentCount
            let width = width
            return scratch.withUnsafeMutableBufferPointer { buffer in
                let z = buffer.baseAddress!
                let projections = UnsafeMutableRawPointer(z + blocks).assumingMemoryBound(to: Double.self)
                return multiplier.withUnsafeBufferPointer { multiplier in
                    offset.withUnsafeBufferPointer { offset in
                        components.withUnsafeBufferPointer { components in
                            // z = x · multiplier + offset, four columns at a time (padding lanes stay 0).
                            let input = UnsafeRawPointer(row.baseAddress!)
                            let full = width / 4
                            for block in 0..<full {
                                let x = input.loadUnaligned(
                                    fromByteOffset: block * 32, as: SIMD4<Double>.self)
                                z[block] = x * multiplier[block] + offset[block]
                            }
                            if full < blocks {
                                var x = SIMD4<Double>.zero
                                for lane in 0..<(width - full * 4) { x[lane] = row[full * 4 + lane] }
                                z[full] = x * multiplier[full] + offset[full]
                            }
                            if useDiscarded {
                                // ‖r‖² = Σⱼ (vⱼ·z)² over the discarded eigenvectors.
                                var squared = 0.0
                                for j in 0..<count {
                                    var dot = SIMD4<Double>.zero
                                    let base = j * blocks
                                    for block in 0..<blocks { dot += components[base + block] * z[block] }
                                    let projection = dot.sum()
                                    squared += projection * projection
                                }
                                return squared.squareRoot()
                            }
                            // Projections on the (orthonormal) components, then r = z − Σₖ pₖ wₖ.
                            for k in 0..<count {
                                var dot = SIMD4<Double>.zero
                                let base = k * blocks
                                for block in 0..<blocks { dot += components[base + block] * z[block] }
                                projections[k] = dot.sum()
                            }
                            var squared = SIMD4<Double>.zero
                            for block in 0..<blocks {
                                var r = z[block]
                                for k in 0..<count { r -= projections[k] * components[k * blocks + block] }
                                squared += r * r
                            }
                            return squared.sum().squareRoot()
                        }
                    }
                }
            }
        }
    }

    /// What the reference's chunks say a window's mean error may be: their mean ± 3 standard deviations
    /// (NannyML's `StandardDeviationThreshold`, ddof 0); a lower bound at or below 0 is none.
    public struct Bounds: Sendable, Equatable, Codable {
        public var lower: Double?
        public var upper: Double?

        public init(lower: Double?, upper: Double?) {
            self.lower = lower
            self.upper = upper
        }

        /// NannyML's chunks of `size` rows in order, the remainder a chunk of its own (`incomplete='keep'`).
        public init(referenceErrors errors: [Double], chunkSize: Int) {
            precondition(chunkSize > 0, "a chunk has rows")
            let means = stride(from: 0, to: errors.count, by: chunkSize).map { start in
                Descriptive.mean(Array(errors[start..<min(start + chunkSize, errors.count)]))
            }
            let mean = Descriptive.mean(means)
            let std = Descriptive.standardDeviation(means)
            let lower = mean - 3 * std
            self.init(lower: lower <= 0 ? nil : lower, upper: mean + 3 * std)
        }

        /// NannyML's alert: the value is not strictly between the bounds.
        public func contains(_ value: Double) -> Bool {
            (lower ?? -.infinity) < value && value < (upper ?? .infinity)
        }
    }
}

/// The mean and spread of a window's reconstruction errors, accumulated per row (Welford).
public struct ReconstructionErrorSummary: Sendable, Equatable {
    public private(set) var count = 0
    public private(set) var mean = 0.0
    private var squares = 0.0

    public init() {}

    public mutating func add(_ error: Double) {
        count += 1
        let delta = error - mean
        mean += delta / Double(count)
        squares += delta * (error - mean)
    }

    /// Sample standard deviation (ddof 1, as NannyML's chunks), nil below two rows.
    public var standardDeviation: Double? { count < 2 ? nil : (squares / Double(count - 1)).squareRoot() }

    /// std / √n: NannyML's sampling error of the chunk's mean.
    public var samplingError: Double? { standardDeviation.map { $0 / Double(count).squareRoot() } }
}
