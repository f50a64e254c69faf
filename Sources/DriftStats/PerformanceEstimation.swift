/// Confidence-based performance estimation (CBPE) of a binary classifier, as NannyML 0.13 computes it: the
/// scores calibrated on a labelled reference (`IsotonicCalibration`) are the probabilities that each
/// prediction (score ≥ threshold) is positive, so their sums are the expected confusion matrix of a window
/// without labels. Each estimate carries NannyML's sampling error: a standard deviation of per-prediction
/// components on the reference (`sampling_error/binary_classification.py`) over √(n · fraction).
///
/// NannyML calibrates only when a randomised ECE test says calibration helps (`needs_calibration`); Driftwatch
/// always calibrates (isotonic regression of calibrated scores is close to the identity, and the test's random
/// splits cannot be reproduced in a stream).
public struct PerformanceEstimation: Sendable, Equatable, Codable {
    /// A component of a sampling error: std / √(n · fraction). `std` is nil where NannyML's is NaN (no reference
    /// prediction of the kind it needs, e.g. precision's when the reference predicted no positive).
    public struct Spread: Sendable, Equatable, Codable {
        public var std: Double?
        public var fraction: Double

        public init(std: Double?, fraction: Double) {
            self.std = std
            self.fraction = fraction
        }

        func samplingError(count: Int) -> Double? {
            guard let std, fraction > 0 else { return nil }
            return std / (Double(count) * fraction).squareRoot()
        }

        var isValid: Bool { (std.map { $0.isFinite && $0 >= 0 } ?? true) && fraction.isFinite && fraction >= 0 }
    }

    public var calibration: IsotonicCalibration
    /// The score from which a prediction is positive.
    public var threshold: Double
    public var accuracy: Spread
    public var precision: Spread
    public var recall: Spread
    public var f1: Spread
    public var rocAUC: Spread
    /// How many labelled predictions the reference had.
    public var count: Int
    /// The realised accuracy of the reference's predictions: what a window's estimate is compared with.
    public var referenceAccuracy: Double

    enum CodingKeys: String, CodingKey {
        case calibration, threshold, accuracy, precision, recall, f1
        case rocAUC = "roc_auc"
        case count
        case referenceAccuracy = "reference_accuracy"
    }

    /// Decodes and checks a stored estimation (threshold in [0, 1], components finite).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        calibration = try container.decode(IsotonicCalibration.self, forKey: .calibration)
        threshold = try container.decode(Double.self, forKey: .threshold)
        accuracy = try container.decode(Spread.self, forKey: .accuracy)
        precision = try container.decode(Spread.self, forKey: .precision)
        recall = try container.decode(Spread.self, forKey: .recall)
        f1 = try container.decode(Spread.self, forKey: .f1)
        rocAUC = try container.decode(Spread.self, forKey: .rocAUC)
        count = try container.decode(Int.self, forKey: .count)
        referenceAccuracy = try container.decode(Double.self, forKey: .referenceAccuracy)
        guard (0...1).contains(threshold), (0...1).contains(referenceAccuracy), count > 0,
            [accuracy, precision, recall, f1, rocAUC].allSatisfy(\.isValid)
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .threshold, in: container,
                debugDescription:
                    "threshold and reference_accuracy must lie in [0, 1], count be positive, components finite")
        }
    }

    init(
        calibration: IsotonicCalibration, threshold: Double, accuracy: Spread, precision: Spread, recall: Spread,
        f1: Spread, rocAUC: Spread, count: Int, referenceAccuracy: Double
    ) {
        self.calibration = calibration
        self.threshold = threshold
        self.accuracy = accuracy
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.rocAUC = rocAUC
        self.count = count
        self.referenceAccuracy = referenceAccuracy
    }

    /// Fits calibration and sampling-error components on labelled reference scores; nil without both classes
    /// (there is nothing to calibrate against) or without finite scores.
    public static func fit(scores: [Double], labels: [Bool], threshold: Double) -> PerformanceEstimation? {
        precondition(scores.count == labels.count, "one label per score")
        guard labels.contains(true), labels.contains(false), scores.allSatisfy(\.isFinite),
            let calibration = IsotonicCalibration.fit(scores: scores, labels: labels)
        else { return nil }
        let predicted = scores.map { $0 >= threshold }
        let n = Double(scores.count)
        // Per-prediction components (NannyML: TP 1, FP 0, FN 0 over the relevant predictions).
        var tp = 0
        var fp = 0
        var fn = 0
        for (truth, guess) in zip(labels, predicted) {
            if truth && guess { tp += 1 } else if guess { fp += 1 } else if truth { fn += 1 }
        }
        let positivesPredicted = predicted.filter { $0 }.count
        let positives = labels.filter { $0 }.count
        func ones(_ count: Int, zeros: Int) -> [Double] {
            Array(repeating: 1, count: count) + Array(repeating: 0, count: zeros)
        }
        // Components in a canonical order (ones, then zeros): the same sums whatever order the pairs came in.
        let correctCount = zip(labels, predicted).filter { $0 == $1 }.count
        let correct = ones(correctCount, zeros: labels.count - correctCount)
        let f1Relevant = tp + fp + fn
        let correcting = f1Relevant == 0 ? 0 : Double(f1Relevant) / (Double(fn + fp) * 0.5 + Double(tp))
        return PerformanceEstimation(
            calibration: calibration, threshold: threshold,
            accuracy: Spread(std: populationStd(correct), fraction: 1),
            precision: Spread(
                std: populationStd(ones(tp, zeros: fp)), fraction: Double(positivesPredicted) / n),
            recall: Spread(std: populationStd(ones(tp, zeros: fn)), fraction: Double(positives) / n),
            f1: Spread(
                std: populationStd(ones(tp, zeros: fp + fn).map { $0 * correcting }),
                fraction: Double(f1Relevant) / n),
            rocAUC: rocAUCSpread(scores: scores, labels: labels),
            count: scores.count, referenceAccuracy: Double(correctCount) / n)
    }

    /// NannyML's AUROC components: the Mann–Whitney placements of the positives (the minority class, flipped
    /// when positives are the majority) over the negatives' count, their std, and the positives' share.
    static func rocAUCSpread(scores: [Double], labels: [Bool]) -> Spread {
        var truth = labels
        var scored = scores
        if Double(labels.filter { $0 }.count) / Double(labels.count) > 0.5 {
            truth = labels.map { !$0 }
            scored = scores.map { 1 - $0 }
        }
        // Ties by label, so the ranks do not depend on the order the pairs came in (numpy's own order among
        // tied scores is its unstable sort's).
        let order = scored.indices.sorted {
            scored[$0] != scored[$1] ? scored[$0] < scored[$1] : !truth[$0] && truth[$1]
        }
        // np.unique(y · rank)[1:]: the positives' ranks, without the smallest value (0).
        var ranks = Set<Int>()
        for (rank, index) in order.enumerated() where truth[index] { ranks.insert(rank) }
        if order.contains(where: { !truth[$0] }) { ranks.insert(0) }
        let indexes = ranks.sorted().dropFirst()
        let positives = truth.filter { $0 }.count
        let negatives = truth.count - positives
        let placements = indexes.enumerated().map { Double($1 - $0) / Double(negatives) }
        return Spread(std: populationStd(placements), fraction: Double(positives) / Double(truth.count))
    }

    /// `numpy.std` (ddof 0); nil for no values (NannyML's NaN).
    static func populationStd(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : Descriptive.standardDeviation(values)
    }

    /// An estimated metric: its value and sampling error; the band is value ± 3 sampling errors within [0, 1]
    /// (none when the sampling error is undefined).
    public struct Estimate: Sendable, Equatable {
        public var value: Double
        public var samplingError: Double?

        public var lower: Double? { samplingError.map { max(0, value - 3 * $0) } }
        public var upper: Double? { samplingError.map { min(1, value + 3 * $0) } }
    }

    public struct Estimates: Sendable, Equatable {
        public var accuracy: Estimate
        public var precision: Estimate
        public var recall: Estimate
        public var f1: Estimate
        /// Nil when the window's scores are all equal (no ROC curve).
        public var rocAUC: Estimate?
    }

    /// The estimates for a window's scores (in any order); nil for an empty window.
    public func estimate(scores: [Double]) -> Estimates? {
        guard !scores.isEmpty else { return nil }
        let count = scores.count
        var tp = 0.0
        var fp = 0.0
        var fn = 0.0
        var tn = 0.0
        var calibrated = [Double](repeating: 0, count: count)
        for (index, score) in scores.enumerated() {
            let p = calibration.calibrate(score)
            calibrated[index] = p
            if score >= threshold {
                tp += p
                fp += 1 - p
            } else {
                fn += p
                tn += 1 - p
            }
        }
        func estimate(_ value: Double, _ spread: Spread) -> Estimate {
            Estimate(value: value, samplingError: spread.samplingError(count: count))
        }
        let auc = Self.estimatedROCAUC(calibrated: calibrated, scores: scores)
        return Estimates(
            accuracy: estimate((tp + tn) / Double(count), accuracy),
            precision: estimate(tp + fp == 0 ? 0 : tp / (tp + fp), precision),
            recall: estimate(tp + fn == 0 ? 0 : tp / (tp + fn), recall),
            f1: estimate(tp + 0.5 * (fp + fn) == 0 ? 0 : tp / (tp + 0.5 * (fp + fn)), f1),
            rocAUC: auc.isFinite ? estimate(auc, rocAUC) : nil)
    }

    /// NannyML's `estimate_roc_auc`: predictions by descending score, expected true and false positives
    /// accumulated from the calibrated probabilities (rounded to 5 decimals, as NannyML does), the trapezoidal
    /// area under the resulting curve.
    static func estimatedROCAUC(calibrated: [Double], scores: [Double]) -> Double {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var tps = [0.0]
        var fps = [0.0]
        tps.reserveCapacity(order.count + 1)
        fps.reserveCapacity(order.count + 1)
        var cumulative = 0.0
        for (step, index) in order.enumerated() {
            cumulative += calibrated[index]
            tps.append(cumulative)
            fps.append(Double(step + 1) - cumulative)
        }
        func rounded(_ value: Double) -> Double { (value * 1e5).rounded(.toNearestOrEven) / 1e5 }
        let tpEnd = rounded(tps[tps.count - 1])
        let fpEnd = rounded(fps[fps.count - 1])
        guard tpEnd > 0 && fpEnd > 0 else { return .nan }
        var area = 0.0
        var previousX = 0.0
        var previousY = 0.0
        for index in 1..<tps.count {
            let x = rounded(fps[index]) / fpEnd
            let y = rounded(tps[index]) / tpEnd
            area += (x - previousX) * (y + previousY) / 2
            previousX = x
            previousY = y
        }
        return area
    }
}
