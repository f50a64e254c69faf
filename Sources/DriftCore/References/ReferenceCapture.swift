import DriftStats

/// Collects the first events of a version into a bootstrap reference. A feature's type is the type most of
/// its reference values have (numbers: numeric; strings and bools: categorical); the other values are
/// counted as wrong-typed once windows are compared.
struct ReferenceCapture: Sendable {
    let target: Int
    private(set) var holds = OffsetHolds()
    /// The last prediction taken, on its partition.
    private var last: EventPosition?
    private(set) var events = 0
    private var numbers: [String: [Double]] = [:]
    private var categories: [String: CategoryCounter] = [:]
    private var scores: [Double] = []
    /// Class predictions, and those given as integers again as numbers (scores when any prediction is one).
    private var labels = CategoryCounter()
    private var integerPredictions: [Double] = []

    init(target: Int) {
        self.target = target
    }

    var isComplete: Bool { events >= target }

    mutating func add(_ event: PredictionEvent, at placed: Placement) {
        holds.hold(placed)
        let position = placed.prediction
        if last == nil || position.offset > last!.offset { last = position }
        events += 1
        for (name, value) in event.features {
            switch value {
            case .number(let number): numbers[name, default: []].append(number)
            case .category(let category): categories[name, default: CategoryCounter()].add(category)
            case .missing: break
            }
        }
        switch event.prediction {
        case .score(let score): scores.append(score)
        case .label(let label):
            labels.add(label)
            if let number = event.prediction.number { integerPredictions.append(number) }
        }
    }

    func profile(modelVersion: String, psiBins: Int) -> ReferenceProfile {
        var profile = ReferenceProfile(
            modelVersion: modelVersion, source: .bootstrap, eventCount: events,
            values: .init(numbers: numbers, categories: categories.mapValues(\.categoryCounts)),
            predictions: scores.isEmpty
                ? .init(numbers: [:], categories: ["prediction": labels.categoryCounts])
                : .init(numbers: ["prediction": scores + integerPredictions], categories: [:]),
            psiBins: psiBins)
        profile.captured = last.map { ReferenceProfile.Capture(partition: $0.partition, throughOffset: $0.offset) }
        return profile
    }
}
