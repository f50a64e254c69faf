/// A domain classifier: how well a model tells a window's rows from the reference's (NannyML 0.13's
/// `DomainClassifierCalculator`): the rows labelled 0 (reference) and 1 (window), split into stratified folds
/// in order (scikit-learn's `StratifiedKFold` without shuffling), a classifier fitted on each fold's
/// complement scores the fold, and the ROC AUC of the pooled out-of-fold scores measures the separation
/// (0.5: indistinguishable). NannyML fits LightGBM; Driftwatch fits the trainer's logistic regression
/// (`LogisticRegression`), which sees linear separations only — a rotated correlation is one.
public enum DomainClassifier {
    public struct Result: Sendable, Equatable {
        public var auc: Double
        /// Per column, the mean absolute weight of the standardised column over the folds' models: which
        /// columns separate most.
        public var weights: [Double]
    }

    /// Nil when either side has fewer rows than folds.
    public static func evaluate(reference: [[Double]], current: [[Double]], folds: Int = 5) -> Result? {
        guard folds >= 2, reference.count >= folds, current.count >= folds, let width = reference.first?.count
        else { return nil }
        let rows = reference + current
        let labels = Array(repeating: false, count: reference.count) + Array(repeating: true, count: current.count)
        let fold = stratifiedFolds(negatives: reference.count, positives: current.count, folds: folds)
        var scores = [Double](repeating: 0, count: rows.count)
        var weights = [Double](repeating: 0, count: width)
        for k in 0..<folds {
            let train = rows.indices.filter { fold[$0] != k }
            let model = LogisticRegression.fit(train.map { rows[$0] }, labels: train.map { labels[$0] })
            for index in rows.indices where fold[index] == k { scores[index] = model.probability(rows[index]) }
            for j in 0..<width { weights[j] += abs(model.weights[j]) / Double(folds) }
        }
        guard let auc = ClassificationMetrics.rocAUC(truth: labels, scores: scores) else { return nil }
        return Result(auc: auc, weights: weights)
    }

    /// `StratifiedKFold(n_splits: folds)` without shuffling, for labels 0…0 1…1: within each class the rows
    /// go to folds in order, fold i taking as many of the class as positions ≡ i (mod folds) of the sorted
    /// labels hold.
    static func stratifiedFolds(negatives: Int, positives: Int, folds: Int) -> [Int] {
        let total = negatives + positives
        var allocation = Array(repeating: (0, 0), count: folds)
        for position in 0..<total {
            if position < negatives { allocation[position % folds].0 += 1 } else { allocation[position % folds].1 += 1 }
        }
        var result: [Int] = []
        result.reserveCapacity(total)
        for fold in 0..<folds { result += repeatElement(fold, count: allocation[fold].0) }
        for fold in 0..<folds { result += repeatElement(fold, count: allocation[fold].1) }
        return result
    }
}
