#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Binary classification metrics, defined as scikit-learn 1.9 defines them.
public enum ClassificationMetrics {
    public struct Result: Sendable, Equatable {
        public var count: Int
        /// `accuracy_score`.
        public var accuracy: Double
        /// `precision_score`: TP / (TP + FP), 0 when nothing is predicted positive (zero_division=0).
        public var precision: Double
        /// `recall_score`: TP / (TP + FN), 0 without positives.
        public var recall: Double
        /// `f1_score`: 2·TP / (2·TP + FP + FN), 0 when that is 0/0.
        public var f1: Double
        /// `roc_auc_score`, nil when only one class is present.
        public var rocAUC: Double?
        /// `log_loss` with scores clipped to [ε, 1 − ε], nil without scores.
        public var logLoss: Double?
    }

    /// Metrics of predicted labels against true labels; `scores` (probability of the positive class) add
    /// ROC AUC and log loss.
    public static func binary(truth: [Bool], predicted: [Bool], scores: [Double]? = nil) -> Result {
        precondition(truth.count == predicted.count && !truth.isEmpty, "metrics need matching, non-empty labels")
        var tp = 0
        var fp = 0
        var fn = 0
        var tn = 0
        for (actual, guess) in zip(truth, predicted) {
            switch (actual, guess) {
            case (true, true): tp += 1
            case (false, true): fp += 1
            case (true, false): fn += 1
            case (false, false): tn += 1
            }
        }
        let count = truth.count
        var result = Result(
            count: count,
            accuracy: Double(tp + tn) / Double(count),
            precision: tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp),
            recall: tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn),
            f1: 2 * tp + fp + fn == 0 ? 0 : Double(2 * tp) / Double(2 * tp + fp + fn),
            rocAUC: nil, logLoss: nil)
        if let scores {
            precondition(scores.count == count, "one score per label")
            result.rocAUC = rocAUC(truth: truth, scores: scores)
            result.logLoss = logLoss(truth: truth, scores: scores)
        }
        return result
    }

    /// Area under the ROC curve as the Mann–Whitney statistic U / (n₊·n₋), ties counting one half — the value
    /// of the trapezoidal ROC area `roc_auc_score` computes. Nil unless both classes occur.
    public static func rocAUC(truth: [Bool], scores: [Double]) -> Double? {
        let positives = truth.filter { $0 }.count
        let negatives = truth.count - positives
        guard positives > 0 && negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let averageRank = Double(start + end + 2) / 2  // 1-based ranks start+1 … end+1
            for position in start...end where truth[order[position]] { rankSum += averageRank }
            start = end + 1
        }
        let u = rankSum - Double(positives) * Double(positives + 1) / 2
        return u / (Double(positives) * Double(negatives))
    }

    /// Mean of −log(p) for positives and −log(1 − p) for negatives, each probability clipped to [ε, 1 − ε].
    public static func logLoss(truth: [Bool], scores: [Double]) -> Double {
        let epsilon = Double.ulpOfOne
        let losses = zip(truth, scores).map { actual, score in
            actual ? -log(min(max(score, epsilon), 1 - epsilon)) : -log(min(max(1 - score, epsilon), 1 - epsilon))
        }
        return Descriptive.mean(losses)
    }
}
