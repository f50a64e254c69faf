import DriftStats

/// The events of one open window of one (model, version), kept as the reference's feature types ask: numeric
/// values for the drift tests, category counts, missing and wrong-typed values per feature, features the
/// reference never saw, the predictions and a latency histogram. A window is compared with the reference it
/// was opened with (a deployment switches the reference for later windows). Its offset holds make sure the
/// consumer never commits past an event of an unreported window.
struct WindowAccumulator: Sendable {
    /// At most this many distinct unknown feature names are tracked per window (bounded memory).
    static let maximumUnknownFeatures = 100

    /// For count windows the bounds grow with the events (earliest event time to latest + 1 ms).
    private(set) var bounds: WindowBounds
    let reference: ReferenceProfile
    private(set) var holds = OffsetHolds()
    /// The offset of the newest prediction in the window (count windows: how far a replay skips).
    private(set) var lastPredictionOffset: Int64 = -1
    private(set) var events = 0
    /// The reference's features in name order; the per-feature state below is indexed the same way (a
    /// feature's slot), so an event costs one lookup per feature, in the event.
    let featureNames: [String]
    /// Whether each feature is numeric (else categorical): without the profiles' payloads, so reading one
    /// per feature per event costs no reference counting.
    private let featureIsNumeric: [Bool]
    private(set) var numbers: [[Double]]
    private(set) var categories: [CategoryCounter]
    private(set) var missing: [Int]
    private(set) var wrongType: [Int]
    private(set) var unknownFeatures: [String: Int] = [:]
    private(set) var scores: [Double] = []
    /// The predictions offset of each score: the order the change detectors read them in.
    private var scoreOffsets: [Int64] = []
    private(set) var labels = CategoryCounter()
    private(set) var predictionWrongType = 0
    private(set) var latency = LatencyHistogram()
    private var layout: Layout
    /// Multivariate drift: each event's encoded row, its reconstruction error, and rows for the classifier.
    private(set) var multivariate: MultivariateWindow?

    init(bounds: WindowBounds, reference: ReferenceProfile, multivariate settings: MultivariateSettings = .init()) {
        self.bounds = bounds
        self.reference = reference
        let features = reference.features.sorted { $0.key < $1.key }
        featureNames = features.map(\.key)
        featureIsNumeric = features.map { if case .numeric = $0.value { true } else { false } }
        numbers = Array(repeating: [], count: features.count)
        categories = Array(repeating: CategoryCounter(), count: features.count)
        missing = Array(repeating: 0, count: features.count)
        wrongType = Array(repeating: 0, count: features.count)
        layout = Layout(featureCount: features.count)
        if let model = reference.multivariate, settings.reconstruction || settings.domainClassifier {
            multivariate = MultivariateWindow(
                model, reconstruction: settings.reconstruction,
                classifierRows: settings.domainClassifier ? settings.classifierRows : 0)
        }
    }

    /// Adds an event read where `placed` says (the prediction, and its feature event when joined).
    mutating func add(_ event: PredictionEvent, at placed: Placement) {
        holds.hold(placed)
        lastPredictionOffset = max(lastPredictionOffset, placed.prediction.offset)
        events += 1
        if event.time >= bounds.end {
            bounds.end = EventTime(millisecondsSinceEpoch: event.time.millisecondsSinceEpoch + 1)
        }
        if event.time < bounds.start { bounds.start = event.time }
        if event.features.names != layout.names { layout = Layout(event.features.names, featureNames: featureNames) }
        let values = event.features.values
        for index in values.indices {
            let slot = layout.slots[index]
            guard slot >= 0 else {
                let name = layout.names[index]
                if unknownFeatures[name] != nil || unknownFeatures.count < Self.maximumUnknownFeatures {
                    unknownFeatures[name, default: 0] += 1
                }
                continue
            }
            switch (featureIsNumeric[slot], values[index]) {
            case (_, .missing): missing[slot] += 1
            case (true, .number(let number)): numbers[slot].append(number)
            case (false, .category(let category)): categories[slot].add(category)
            default: wrongType[slot] += 1
            }
        }
        for slot in layout.absent { missing[slot] += 1 }
        if multivariate != nil { multivariate!.add(values, slots: layout.slots, offset: placed.prediction.offset) }
        switch (reference.prediction, event.prediction) {
        case (.numeric?, let prediction) where prediction.number != nil:
            scores.append(prediction.number!)
            scoreOffsets.append(placed.prediction.offset)
        case (.categorical?, .label(let label)): labels.add(label)
        case (nil, _): break
        default: predictionWrongType += 1
        }
        if let latency = event.latencyMilliseconds { self.latency.record(milliseconds: latency) }
    }

    /// The scores in the order of their predictions' offsets: the same whatever order joins placed them in.
    var scoresInOffsetOrder: [Double] {
        scoreOffsets.indices.sorted { scoreOffsets[$0] < scoreOffsets[$1] }.map { scores[$0] }
    }

    /// Where the features of events with these names (in this order) go: each name's slot (−1: not in the
    /// reference) and the reference's features the events lack. Events of one producer share their names
    /// array, so this is worked out once per window rather than looked up per event.
    private struct Layout: Sendable {
        var names: [String] = []
        var slots: [Int] = []
        var absent: [Int]

        init(featureCount: Int) { absent = Array(0..<featureCount) }

        init(_ names: [String], featureNames: [String]) {
            let slotByName = Dictionary(uniqueKeysWithValues: featureNames.enumerated().map { ($1, $0) })
            self.names = names
            slots = names.map { slotByName[$0] ?? -1 }
            let present = Set(slots)
            absent = featureNames.indices.filter { !present.contains($0) }
        }
    }
}
