import DriftStats

/// Collects a reference's events — features, the model's output and, when known, the truth — into a profile:
/// per-feature profiles (a feature's type is the type most of its values have), the prediction's profile, the
/// multivariate model of the feature rows, and, for scores with binary truths, the calibration and components
/// of performance estimation. Bootstrapped references (no truths yet), the trainer's and the demo's share it.
public struct ReferenceBuilder: Sendable {
    private var numbers: [String: [Double]] = [:]
    private var categories: [String: CategoryCounter] = [:]
    private var scores: [Double] = []
    /// Class predictions, and those given as integers again as numbers (scores when any prediction is one).
    private var classes = CategoryCounter()
    private var integerPredictions: [Double] = []
    private var rows: [Features] = []
    /// Each row's order key (a bootstrap's prediction offsets): the multivariate model is fitted on the rows in
    /// this order, so it does not depend on the order events arrived in. Empty: insertion order.
    private var order: [Int64] = []
    private var labelledScores: [Double] = []
    private var truths: [Bool] = []
    public private(set) var events = 0

    public init() {}

    public mutating func add(
        features: Features, prediction: PredictionEvent.Prediction, truth: Bool? = nil, order key: Int64? = nil
    ) {
        events += 1
        rows.append(features)
        if let key { order.append(key) }
        for (name, value) in features {
            switch value {
            case .number(let number): numbers[name, default: []].append(number)
            case .category(let category): categories[name, default: CategoryCounter()].add(category)
            case .missing: break
            }
        }
        switch prediction {
        case .score(let score):
            scores.append(score)
            if let truth {
                labelledScores.append(score)
                truths.append(truth)
            }
        case .label(let label):
            classes.add(label)
            if let number = prediction.number { integerPredictions.append(number) }
        }
    }

    /// The profile; performance estimation when the scores had truths (binary, both classes) and `threshold`.
    public func profile(
        modelVersion: String, source: ReferenceProfile.Source, psiBins: Int, threshold: Double = 0.5
    ) -> ReferenceProfile {
        var profile = ReferenceProfile(
            modelVersion: modelVersion, source: source, eventCount: events,
            values: .init(numbers: numbers, categories: categories.mapValues(\.categoryCounts)),
            predictions: scores.isEmpty
                ? .init(numbers: [:], categories: ["prediction": classes.categoryCounts])
                : .init(numbers: ["prediction": scores + integerPredictions], categories: [:]),
            psiBins: psiBins)
        profile.fitMultivariate(
            rows: order.count == rows.count ? rows.indices.sorted { order[$0] < order[$1] }.map { rows[$0] } : rows)
        if !truths.isEmpty, labelledScores.allSatisfy({ (0...1).contains($0) }) {
            profile.fitEstimation(scores: labelledScores, labels: truths, threshold: threshold)
        }
        return profile
    }
}
