import DriftStats

/// Collects the first events of a version into a bootstrap reference (see ReferenceBuilder); their labels have
/// not come yet, so a bootstrapped reference estimates no performance.
struct ReferenceCapture: Sendable {
    let target: Int
    private(set) var holds = OffsetHolds()
    /// The last prediction taken, on its partition.
    private var last: EventPosition?
    private var builder = ReferenceBuilder()

    init(target: Int) {
        self.target = target
    }

    var events: Int { builder.events }

    var isComplete: Bool { events >= target }

    mutating func add(_ event: PredictionEvent, at placed: Placement) {
        holds.hold(placed)
        let position = placed.prediction
        if last == nil || position.offset > last!.offset { last = position }
        builder.add(features: event.features, prediction: event.prediction, order: position.offset)
    }

    func profile(modelVersion: String, psiBins: Int) -> ReferenceProfile {
        var profile = builder.profile(modelVersion: modelVersion, source: .bootstrap, psiBins: psiBins)
        profile.captured = last.map { ReferenceProfile.Capture(partition: $0.partition, throughOffset: $0.offset) }
        return profile
    }
}
