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
    private(set) var numbers: [String: [Double]] = [:]
    private(set) var categories: [String: CategoryCounter] = [:]
    private(set) var missing: [String: Int] = [:]
    private(set) var wrongType: [String: Int] = [:]
    private(set) var unknownFeatures: [String: Int] = [:]
    private(set) var scores: [Double] = []
    private(set) var labels = CategoryCounter()
    private(set) var predictionWrongType = 0
    private(set) var latency = LatencyHistogram()

    init(bounds: WindowBounds, reference: ReferenceProfile) {
        self.bounds = bounds
        self.reference = reference
    }

    /// Adds an event read at `positions` (the prediction's, and its feature event's when joined).
    mutating func add(_ event: PredictionEvent, at position: EventPosition, holding positions: OffsetHolds) {
        holds.hold(positions)
        lastPredictionOffset = max(lastPredictionOffset, position.offset)
        events += 1
        if event.time >= bounds.end {
            bounds.end = EventTime(millisecondsSinceEpoch: event.time.millisecondsSinceEpoch + 1)
        }
        if event.time < bounds.start { bounds.start = event.time }
        for (name, feature) in reference.features {
            switch (feature, event.features[name] ?? .missing) {
            case (_, .missing): missing[name, default: 0] += 1
            case (.numeric, .number(let value)): numbers[name, default: []].append(value)
            case (.categorical, .category(let value)): categories[name, default: CategoryCounter()].add(value)
            default: wrongType[name, default: 0] += 1
            }
        }
        for name in event.features.keys where reference.features[name] == nil {
            if unknownFeatures[name] != nil || unknownFeatures.count < Self.maximumUnknownFeatures {
                unknownFeatures[name, default: 0] += 1
            }
        }
        switch (reference.prediction, event.prediction) {
        case (.numeric?, let prediction) where prediction.number != nil: scores.append(prediction.number!)
        case (.categorical?, .label(let label)): labels.add(label)
        case (nil, _): break
        default: predictionWrongType += 1
        }
        if let latency = event.latencyMilliseconds { self.latency.record(milliseconds: latency) }
    }
}
