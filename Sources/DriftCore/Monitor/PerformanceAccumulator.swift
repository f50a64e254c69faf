import DriftStats

/// The labelled predictions of one window of one (model, version), collected until the window's labels had
/// `ttl` of event time to arrive. Holds the offsets of the labels it took, so they are read again after a
/// restart until its report is out.
struct PerformanceAccumulator: Sendable {
    /// Set when the window closes (count windows know their bounds only then), with its report's window and id.
    var bounds: WindowBounds?
    var window: WindowReport.Window?
    var reportID = ""
    var referenceVersion: String
    /// What the window's scores estimated before the labels (set when the window closes).
    var estimated: WindowReport.Estimated?
    /// Predictions of the window that wait or waited for a label.
    private(set) var predictions = 0
    private(set) var unlabeled = 0
    /// The labelled predictions and their truths, pairwise.
    private(set) var predicted: [PredictionEvent.Prediction] = []
    private(set) var truths: [LabelEvent.Value] = []
    /// Each pair's label offset: the order the change detectors read the errors in.
    private var labelOffsets: [Int64] = []
    /// The labels it took, and (once the window closed) the window's own events.
    var holds = OffsetHolds()

    init(referenceVersion: String) {
        self.referenceVersion = referenceVersion
    }

    mutating func expect() { predictions += 1 }

    mutating func expire() { unlabeled += 1 }

    mutating func add(prediction: PredictionEvent.Prediction, truth: LabelEvent.Value, at position: EventPosition) {
        predicted.append(prediction)
        truths.append(truth)
        labelOffsets.append(position.offset)
        holds.hold(position)
    }

    var labeled: Int { truths.count }

    /// How the labelled predictions are read: classes, binary classification from scores, or regression.
    private enum Reading {
        case classes(predicted: [String], actual: [String])
        case scoredBinary(truth: [Bool], scores: [Double], threshold: Double)
        case regression(truth: [Double], predicted: [Double])
    }

    /// Scores when any prediction is a score (JSON writes 23.0 as 23, which reads as the class "23") or the
    /// task is regression; classes when every prediction is one. Nil when the labels do not fit.
    private func reading(_ settings: LabelSettings) -> Reading? {
        guard !truths.isEmpty else { return nil }
        let numbers = predicted.compactMap(\.number)
        let isScored =
            numbers.count == predicted.count
            && (settings.task == .regression || predicted.contains { if case .score = $0 { true } else { false } })
        if !isScored {
            let classes = predicted.compactMap { if case .label(let name) = $0 { name } else { nil } }
            guard classes.count == truths.count else { return nil }
            return .classes(predicted: classes, actual: truths.map(\.className))
        }
        let binary = truths.compactMap(\.binary)
        let classification =
            switch settings.task {
            case .classification: true
            case .regression: false
            case .auto: binary.count == truths.count && numbers.allSatisfy { (0...1).contains($0) }
            }
        if classification {
            guard binary.count == truths.count else { return nil }
            return .scoredBinary(truth: binary, scores: numbers, threshold: settings.threshold)
        }
        let targets = truths.compactMap { if case .number(let value) = $0 { value } else { nil } }
        guard targets.count == truths.count else { return nil }
        return .regression(truth: targets, predicted: numbers)
    }

    /// The metrics of the labelled predictions, as scikit-learn computes them (see ClassificationMetrics,
    /// RegressionMetrics); nil when no metric applies (e.g. regression labels that are not numbers).
    func metrics(settings: LabelSettings) -> PerformanceReport.Metrics? {
        switch reading(settings) {
        case nil:
            return nil
        case .classes(let classes, let actual):
            // Accuracy over classes; binary metrics when both sides are 0/1/true/false.
            var metrics = PerformanceReport.Metrics(task: "classification")
            metrics.accuracy = Double(zip(actual, classes).filter { $0 == $1 }.count) / Double(truths.count)
            let truth = truths.compactMap(\.binary)
            let predicted = classes.compactMap { LabelEvent.Value.category($0).binary }
            if truth.count == truths.count && predicted.count == truths.count {
                metrics.classification(ClassificationMetrics.binary(truth: truth, predicted: predicted))
            }
            return metrics
        case .scoredBinary(let truth, let scores, let threshold):
            var metrics = PerformanceReport.Metrics(task: "classification")
            metrics.classification(
                ClassificationMetrics.binary(
                    truth: truth, predicted: scores.map { $0 >= threshold },
                    scores: scores.allSatisfy { (0...1).contains($0) } ? scores : nil))
            return metrics
        case .regression(let truth, let predicted):
            let regression = RegressionMetrics.compute(truth: truth, predicted: predicted)
            var metrics = PerformanceReport.Metrics(task: "regression")
            metrics.mae = regression.mae
            metrics.rmse = regression.rmse
            metrics.mape = regression.mape
            return metrics
        }
    }

    /// Each labelled prediction's error in label-offset order: 0 or 1 for a class (from a score: at the
    /// threshold), the absolute error for regression. Nil when no metric applies.
    func errors(settings: LabelSettings) -> [Double]? {
        let errors: [Double]
        switch reading(settings) {
        case nil: return nil
        case .classes(let predicted, let actual): errors = zip(predicted, actual).map { $0 == $1 ? 0 : 1 }
        case .scoredBinary(let truth, let scores, let threshold):
            errors = zip(truth, scores).map { ($1 >= threshold) == $0 ? 0 : 1 }
        case .regression(let truth, let predicted): errors = zip(truth, predicted).map { abs($0 - $1) }
        }
        return labelOffsets.indices.sorted { labelOffsets[$0] < labelOffsets[$1] }.map { errors[$0] }
    }
}
