import DriftCore
import DriftStats

/// The benchmark's events: four models in turn, one event per model every 10 ms of event time, each with
/// 20 numeric and 3 categorical features (about 600 bytes of JSON: numbers written in full). Models `m0` and
/// `m1` drift in the second half (five numeric features shift, one category shifts). After the events, one
/// event per model an hour later closes every window, so "all windows reported" has a definite end.
struct BenchTraffic {
    static let models = ["m0", "m1", "m2", "m3"]
    static let start: Int64 = 1_796_000_000_000
    static let step: Int64 = 10
    static let windowSize: Int64 = 60_000
    static let countries = ["DE", "FR", "US", "GB", "BR", "IN", "JP"]

    private var random = SplitMix64(seed: 7)
    private var index = 0
    private var closed = 0

    /// Messages on the topic for `events` events: the events and the closing ones.
    static func messageCount(events: Int) -> Int { events + models.count }

    /// Window reports the monitor publishes: every window of every model holding an event after the model's
    /// first 1 000 (its bootstrapped reference).
    static func expectedWindowReports(events: Int) -> Int {
        var total = 0
        for slot in models.indices {
            let count = events / models.count + (slot < events % models.count ? 1 : 0)
            guard count > 1_000 else { continue }
            let first = time(ofEvent: 1_000, slot: slot) / windowSize
            let last = time(ofEvent: count - 1, slot: slot) / windowSize
            total += Int(last - first + 1)
        }
        return total
    }

    static func time(ofEvent n: Int, slot: Int) -> Int64 { start + Int64(n) * step + Int64(slot) }

    mutating func next(of events: Int) -> PredictionEvent? {
        if index < events {
            defer { index += 1 }
            let slot = index % Self.models.count
            let n = index / Self.models.count
            let drifted = slot < 2 && index >= events / 2
            return event(model: Self.models[slot], n: n, time: Self.time(ofEvent: n, slot: slot), drifted: drifted)
        }
        guard closed < Self.models.count else { return nil }
        defer { closed += 1 }
        let n = events / Self.models.count + 1
        return event(
            model: Self.models[closed], n: n, time: Self.time(ofEvent: n, slot: closed) + 3_600_000, drifted: false)
    }

    private mutating func event(model: String, n: Int, time: Int64, drifted: Bool) -> PredictionEvent {
        var features: [String: FeatureValue] = [:]
        for f in 0..<20 {
            let shift = drifted && f < 5 ? 0.8 : 0
            let value: Double =
                switch f % 4 {
                case 0: random.normal(mean: 100 + shift * 30, sd: 30)
                case 1: random.logNormal(mu: 3 + shift, sigma: 0.7)
                case 2: random.exponential(mean: 12 * (1 + shift))
                default: Double(random.poisson(mean: 4 + shift * 4))
                }
            // Written in full (up to 17 digits), as producers computing features in Python or Java write them.
            features["f\(f < 10 ? "0" : "")\(f)"] = .number(value)
        }
        features["country"] = .category(
            random.pick(
                Self.countries.enumerated().map {
                    ($1, drifted && $0 == 4 ? 0.4 : 0.1)
                }))
        features["device"] = .category(random.unit() < 0.7 ? "mobile" : "desktop")
        features["segment"] = .category("s\(random.poisson(mean: 3))")
        return PredictionEvent(
            model: model, modelVersion: "1", requestID: "\(model)-\(n)",
            time: EventTime(millisecondsSinceEpoch: time), features: Features(features),
            prediction: .score(random.unit()),
            latencyMilliseconds: (random.logNormal(mu: 2.5, sigma: 0.4) * 10).rounded() / 10)
    }
}
