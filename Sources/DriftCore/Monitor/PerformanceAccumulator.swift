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
    /// Predictions of the window that wait or waited for a label.
    private(set) var predictions = 0
    private(set) var unlabeled = 0
    /// The labelled predictions and their truths, pairwise.
    private(set) var predicted: [PredictionEvent.Prediction] = []
    private(set) var truths: [LabelEvent.Value] = []
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
        holds.hold(position)
    }

    var labeled: Int { truths.count }

    /// The metrics of the labelled predictions, as scikit-learn computes them (see ClassificationMetrics,
    /// RegressionMetrics); nil when no metric applies (e.g. regression labels that are not numbers).
    func metrics(settings: LabelSettings) -> PerformanceReport.Metrics? {
        guard !truths.isEmpty else { return nil }
        // Scores when any prediction is a score (JSON writes 23.0 as 23, which reads as the class "23") or
        // the task is regression; classes when every prediction is one.
        let numbers = predicted.compactMap(\.number)
        let isScored = numbers.count == predicted.count
            && (settings.task == .regression || predicted.contains { if case .score = $0 { true } else { false } })
        if !isScored {
            // Class predictions: accuracy over classes; binary metrics when both sides are 0/1/true/false.
            let classes = predicted.compactMap { if case .label(let name) = $0 { name } else { nil } }
            guard classes.count == truths.count else { return nil }
            let actual = truths.map(\.className)
            let correct = zip(actual, classes).filter { $0 == $1 }.count
            var metrics = PerformanceReport.Metrics(task: "classification")
            metrics.accuracy = Double(correct) / Double(truths.count)
            let truth = truths.compactMap(\.binary)
            let predicted = classes.compactMap { LabelEvent.Value.category($0).binary }
            if truth.count == truths.count && predicted.count == truths.count {
                metrics.classification(ClassificationMetrics.binary(truth: truth, predicted: predicted))
            }
            return metrics
        }
        let scores = numbers
        let binary = truths.compactMap(\.binary)
        let classification = switch settings.task {
        case .classification: true
        case .regression: false
        case .auto: binary.count == truths.count && scores.allSatisfy { (0...1).contains($0) }
        }
        if classification {
            guard binary.count == truths.count else { return nil }
            var metrics = PerformanceReport.Metrics(task: "classification")
            metrics.classification(ClassificationMetrics.binary(
                truth: binary, predicted: scores.map { $0 >= settings.threshold },
                scores: scores.allSatisfy { (0...1).contains($0) } ? scores : nil))
            return metrics
        }
        let targets = truths.compactMap { if case .number(let value) = $0 { value } else { nil } }
        guard targets.count == truths.count else { return nil }
        let regression = RegressionMetrics.compute(truth: targets, predicted: scores)
        var metrics = PerformanceReport.Metrics(task: "regression")
        metrics.mae = regression.mae
        metrics.rmse = regression.rmse
        metrics.mape = regression.mape
        return metrics
    }
}
