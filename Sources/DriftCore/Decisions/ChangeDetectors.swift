import DriftStats

/// ADWIN and Page–Hinkley (River 0.26's defaults, see `AdaptiveWindowing` and `PageHinkley`) over one
/// sequence of a (model, version): its prediction scores, window by reported window, or the per-prediction
/// errors of its performance reports. Each report feeds its values in a fixed order (prediction offsets;
/// label offsets for errors), so a replay feeds the same sequence and the state, kept in the checkpoint as of
/// the last report, resumes it exactly. Detections are evidence in the report and conditions for the policy
/// (`prediction_change`, `error_change`).
public struct ChangeDetectors: Sendable, Equatable, Codable {
    var adwin = AdaptiveWindowing()
    var pageHinkley = PageHinkley()
    /// Values fed so far.
    var fed = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case adwin
        case pageHinkley = "page_hinkley"
        case fed
    }

    /// Feeds one report's values; returns where each detector flagged a change.
    mutating func feed(_ values: [Double]) -> [ChangeDetection] {
        var detections: [ChangeDetection] = []
        for (index, value) in values.enumerated() {
            if adwin.update(value) { detections.append(.init(detector: "adwin", index: index, position: fed + index)) }
            if pageHinkley.update(value) {
                detections.append(.init(detector: "page_hinkley", index: index, position: fed + index))
            }
        }
        fed += values.count
        return detections
    }
}

/// A change a detector flagged: which detector, the value's index in the report (in the report's order) and
/// its position in the (model, version)'s whole sequence.
public struct ChangeDetection: Codable, Sendable, Equatable {
    public var detector: String
    public var index: Int
    public var position: Int
}

extension ChangeDetectors? {
    /// Feeds `values` to the detectors, started on first use.
    mutating func feeding(_ values: [Double]) -> [ChangeDetection] {
        var detectors = self ?? ChangeDetectors()
        defer { self = detectors }
        return detectors.feed(values)
    }
}
