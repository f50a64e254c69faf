import DriftCore
import DriftStats
import Foundation

/// A model's labelled examples in an event-time range: its predictions (features inline) joined with their
/// labels by request id, features numbered in name order (numbers as they are, `true`/`false` as 1/0; other
/// categories and missing values leave a row out). Every fifth example by request-id hash is held out.
struct TrainingSet: Sendable {
    struct Example: Sendable {
        var requestID: String
        var features: [Double]
        var label: Bool
        /// What the deployed version predicted for it (its logged score).
        var loggedScore: Double?
        var event: PredictionEvent
    }

    var featureNames: [String]
    var training: [Example]
    var holdout: [Example]

    var count: Int { training.count + holdout.count }

    /// Builds the set from the messages of the predictions and labels topics.
    static func build(
        model: String, from: EventTime, to: EventTime, predictions: [[UInt8]], labels: [[UInt8]]
    ) -> TrainingSet {
        var truths: [String: Bool] = [:]
        for bytes in labels {
            guard let label = try? LabelEvent.decode(json: bytes), label.model == model, let truth = label.label.binary
            else { continue }
            truths[label.requestID] = truth
        }
        var events: [PredictionEvent] = []
        for bytes in predictions {
            guard let event = try? PredictionEvent.decode(json: bytes), event.model == model,
                event.time >= from, event.time <= to, truths[event.requestID] != nil
            else { continue }
            events.append(event)
        }
        // Features present as numbers or bools in at least 90 % of the events.
        var usable: [String: Int] = [:]
        for event in events {
            for (name, value) in event.features where numeric(value) != nil { usable[name, default: 0] += 1 }
        }
        let names = usable.filter { Double($0.value) >= 0.9 * Double(events.count) }.keys.sorted()
        var set = TrainingSet(featureNames: names, training: [], holdout: [])
        for event in events {
            let values = names.map { event.features[$0].flatMap(numeric) }
            guard values.allSatisfy({ $0 != nil }) else { continue }
            let score: Double? = if case .score(let value) = event.prediction { value } else { nil }
            let example = Example(
                requestID: event.requestID, features: values.map { $0! }, label: truths[event.requestID]!,
                loggedScore: score, event: event)
            if fnv(event.requestID) % 5 == 0 { set.holdout.append(example) } else { set.training.append(example) }
        }
        return set
    }

    static func numeric(_ value: FeatureValue) -> Double? {
        switch value {
        case .number(let number): number
        case .category("true"): 1
        case .category("false"): 0
        default: nil
        }
    }

    /// FNV-1a of the request id: a split that does not depend on reading order.
    static func fnv(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
