#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Binary logistic regression fitted by full-batch gradient descent on standardized features, with a small
/// L2 penalty on the weights: deterministic (same data, same model), dependency-free, good enough for the
/// retraining loop's demo models. Features are standardized with the training data's mean and standard
/// deviation (a constant feature gets scale 1).
public struct LogisticRegression: Sendable, Equatable, Codable {
    public var means: [Double]
    public var scales: [Double]
    public var weights: [Double]
    public var bias: Double

    public init(means: [Double], scales: [Double], weights: [Double], bias: Double) {
        self.means = means
        self.scales = scales
        self.weights = weights
        self.bias = bias
    }

    /// Fits rows of features (all the same length) to labels.
    public static func fit(
        _ rows: [[Double]], labels: [Bool], epochs: Int = 300, learningRate: Double = 0.5, l2: Double = 1e-4
    ) -> LogisticRegression {
        precondition(!rows.isEmpty && rows.count == labels.count, "fitting needs labelled rows")
        let width = rows[0].count
        let n = Double(rows.count)
        var means = [Double](repeating: 0, count: width)
        for row in rows { for j in 0..<width { means[j] += row[j] / n } }
        var scales = [Double](repeating: 0, count: width)
        for row in rows { for j in 0..<width { scales[j] += (row[j] - means[j]) * (row[j] - means[j]) / n } }
        scales = scales.map { $0 > 0 ? $0.squareRoot() : 1 }
        let x = rows.map { row in (0..<width).map { (row[$0] - means[$0]) / scales[$0] } }
        let y = labels.map { $0 ? 1.0 : 0.0 }
        var weights = [Double](repeating: 0, count: width)
        var bias = 0.0
        for _ in 0..<epochs {
            var gradient = [Double](repeating: 0, count: width)
            var gradientBias = 0.0
            for (row, target) in zip(x, y) {
                var z = bias
                for j in 0..<width { z += weights[j] * row[j] }
                let error = 1 / (1 + exp(-z)) - target
                for j in 0..<width { gradient[j] += error * row[j] }
                gradientBias += error
            }
            for j in 0..<width { weights[j] -= learningRate * (gradient[j] / n + l2 * weights[j]) }
            bias -= learningRate * gradientBias / n
        }
        return LogisticRegression(means: means, scales: scales, weights: weights, bias: bias)
    }

    /// The probability of the positive class.
    public func probability(_ row: [Double]) -> Double {
        var z = bias
        for j in 0..<weights.count { z += weights[j] * (row[j] - means[j]) / scales[j] }
        return 1 / (1 + exp(-z))
    }
}
