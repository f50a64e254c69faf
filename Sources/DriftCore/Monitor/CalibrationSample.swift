import DriftStats

/// The labelled scores of a version's first performance reports, collected (in report order) until there are
/// enough to fit the calibration its reference lacks. Part of the checkpoint, so a replay fits it at the same
/// report.
public struct CalibrationSample: Sendable, Equatable, Codable {
    public var scores: [Double] = []
    public var labels: [Bool] = []

    public init() {}

    var isEmpty: Bool { scores.isEmpty }

    /// Adds a window's labelled predictions: scores in [0, 1] with 0/1 (or true/false) labels.
    mutating func add(_ predicted: [PredictionEvent.Prediction], _ truths: [LabelEvent.Value]) {
        for (prediction, truth) in zip(predicted, truths) {
            guard case .score(let score) = prediction, (0...1).contains(score), let label = truth.binary else {
                continue
            }
            scores.append(score)
            labels.append(label)
        }
    }
}
