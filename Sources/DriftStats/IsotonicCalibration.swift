/// A monotone calibration of scores to probabilities: isotonic regression of the labels on the scores, as
/// scikit-learn 1.9's `IsotonicRegression(increasing=True, out_of_bounds="clip")` fits and predicts it (the
/// calibrator of NannyML's CBPE). Fitting sorts by score, merges scores closer than 1e-15 (`_make_unique`,
/// labels averaged), pools adjacent violators, keeps the ends of flat runs; predicting clips a score to the
/// fitted range and interpolates linearly between the kept points (`np.interp`).
public struct IsotonicCalibration: Sendable, Equatable, Codable {
    /// Ascending scores and their calibrated values (non-decreasing), at least one point.
    public private(set) var scores: [Double]
    public private(set) var values: [Double]

    enum CodingKeys: String, CodingKey {
        case scores, values
    }

    /// Decodes and checks a stored calibration: scores ascending, values non-decreasing, all finite.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard
            let calibration = IsotonicCalibration(
                scores: try container.decode([Double].self, forKey: .scores),
                values: try container.decode([Double].self, forKey: .values))
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .scores, in: container,
                debugDescription:
                    "a calibration needs as many values as scores, at least one, scores ascending, values non-decreasing"
            )
        }
        self = calibration
    }

    public init?(scores: [Double], values: [Double]) {
        guard !scores.isEmpty, scores.count == values.count,
            zip(scores, scores.dropFirst()).allSatisfy({ $0 < $1 }),
            zip(values, values.dropFirst()).allSatisfy({ $0 <= $1 }),
            scores.allSatisfy(\.isFinite), values.allSatisfy(\.isFinite)
        else { return nil }
        self.scores = scores
        self.values = values
    }

    /// Fits labels (true = 1) on finite scores; nil without any.
    public static func fit(scores: [Double], labels: [Bool]) -> IsotonicCalibration? {
        precondition(scores.count == labels.count, "one label per score")
        guard !scores.isEmpty else { return nil }
        // np.lexsort((y, X)): by score, then label.
        let order = scores.indices.sorted {
            scores[$0] != scores[$1] ? scores[$0] < scores[$1] : (!labels[$0] && labels[$1])
        }
        // _make_unique: a new point when the score is at least `resolution` above the current point's first score.
        let resolution = 1e-15
        var xs: [Double] = []
        var ys: [Double] = []
        var weights: [Double] = []
        var current = -Double.infinity
        var sum = 0.0
        var weight = 0.0
        for index in order {
            let x = scores[index]
            if x - current >= resolution {
                if weight > 0 {
                    xs.append(current)
                    ys.append(sum / weight)
                    weights.append(weight)
                }
                current = x
                sum = 0
                weight = 0
            }
            sum += labels[index] ? 1 : 0
            weight += 1
        }
        xs.append(current)
        ys.append(sum / weight)
        weights.append(weight)
        let fitted = poolAdjacentViolators(ys, weights: weights)
        // Only the ends of flat runs are kept (the interpolation is the same).
        var keptScores: [Double] = []
        var keptValues: [Double] = []
        for i in fitted.indices {
            let interior = i > 0 && i < fitted.count - 1
            if !interior || fitted[i - 1] != fitted[i] || fitted[i] != fitted[i + 1] {
                keptScores.append(xs[i])
                keptValues.append(fitted[i])
            }
        }
        return IsotonicCalibration(scores: keptScores, values: keptValues)
    }

    /// Weighted least-squares non-decreasing fit (pool adjacent violators).
    static func poolAdjacentViolators(_ y: [Double], weights: [Double]) -> [Double] {
        var means: [Double] = []
        var blockWeights: [Double] = []
        var sizes: [Int] = []
        for (value, weight) in zip(y, weights) {
            means.append(value)
            blockWeights.append(weight)
            sizes.append(1)
            while means.count > 1 && means[means.count - 2] > means[means.count - 1] {
                let last = means.removeLast()
                let lastWeight = blockWeights.removeLast()
                let lastSize = sizes.removeLast()
                let total = blockWeights[blockWeights.count - 1] + lastWeight
                means[means.count - 1] =
                    (means[means.count - 1] * blockWeights[blockWeights.count - 1] + last * lastWeight)
                    / total
                blockWeights[blockWeights.count - 1] = total
                sizes[sizes.count - 1] += lastSize
            }
        }
        var result: [Double] = []
        result.reserveCapacity(y.count)
        for (mean, size) in zip(means, sizes) { result += repeatElement(mean, count: size) }
        return result
    }

    /// The calibrated probability of a score.
    public func calibrate(_ score: Double) -> Double {
        if score <= scores[0] { return values[0] }
        if score >= scores[scores.count - 1] { return values[values.count - 1] }
        // The last point at or below the score (binary search).
        var low = 0
        var high = scores.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if scores[middle] <= score { low = middle } else { high = middle }
        }
        let slope = (values[high] - values[low]) / (scores[high] - scores[low])
        return slope * (score - scores[low]) + values[low]
    }
}
