import DriftStats
import Testing

@testable import DriftCore

/// An event settles only its own model until another model of the partition has something due (`dueAt`).
/// These runs feed random traffic of models sharing a partition (joins, label waits, early and late
/// events, gaps, idle ticks) to a monitor that skips and to one that settles every model after every event:
/// outputs and checkpoints must be identical.
@Suite struct SettleSkipTests {
    /// StreamJoinTests' settings with a shorter label TTL, fewer pending labels and an idle timeout.
    static func settings(_ kind: MonitorSettings.WindowKind) -> MonitorSettings {
        var settings = StreamJoinTests.settings
        settings.windowKind = kind
        settings.idleTimeout = 5_000
        settings.labels.ttl = 8_000
        settings.labels.maximumPending = 300
        settings.labels.minimumLabels = 5
        return settings
    }

    enum Input {
        case prediction(PredictionEvent)
        case features(FeatureEvent)
        case label(LabelEvent)
        case tick(Int64)
    }

    /// Models on partition 0 (m3 from a third of the way on); m1 has its own lateness and, in some runs, labels first (a label clock).
    static func traffic(seed: UInt64, events: Int) -> [Input] {
        var random = SplitMix64(seed: seed)
        var inputs: [Input] = []
        var time: Int64 = 0
        var laterFeatures: [(due: Int, FeatureEvent)] = []
        var laterLabels: [(due: Int, LabelEvent)] = []
        var laterPredictions: [(due: Int, PredictionEvent)] = []
        var unlabelled: [LabelEvent] = []
        for n in 0..<events {
            time += Int64(random.below(40))
            if random.chance(1) { time += 12_000 }  // a gap: windows close, label waits expire
            let model = "m\(random.below(n < events / 3 ? 3 : 4))"  // m3 joins the partition later
            let id = "\(model)-\(n)"
            let jitter = random.chance(5) ? Int64(random.below(3_000)) : 0  // some late
            let at = EventTime(millisecondsSinceEpoch: max(0, time - jitter))
            let x = Double(random.below(100)) + (n > events / 2 && model == "m0" ? 40 : 0)
            let inline = !random.chance(20)
            var event = PredictionEvent(
                model: model, modelVersion: "1", requestID: id, time: at,
                features: inline ? ["x": .number(x), "c": .category(random.chance(50) ? "a" : "b")] : [:],
                prediction: .score(Double(random.below(100)) / 100))
            event.awaitsFeatures = !inline
            let features = FeatureEvent(
                model: model, requestID: id, time: at, features: ["x": .number(x), "c": .category("a")])
            if !inline && random.chance(30) { inputs.append(.features(features)) }  // features first
            let label = LabelEvent(model: model, requestID: id, time: at, label: .number(random.chance(50) ? 1 : 0))
            if model != "m2" && random.chance(4) { inputs.append(.label(label)) }  // an early label
            inputs.append(.prediction(event))
            if !inline && !random.chance(10) { laterFeatures.append((n + random.below(30), features)) }
            // m2 gets no labels at first (its predictions' watermark is its label clock); some labels come long before
            // their prediction, which arrives late but inside an open window.
            if model != "m2" && random.chance(60) {
                laterLabels.append((n + random.below(model == "m1" ? 20 : 400), label))
            }
            if model != "m2" && random.chance(3) {
                let later = Int64(random.below(1_500))
                inputs.append(
                    .label(
                        LabelEvent(
                            model: model, requestID: "\(id)-early",
                            time: EventTime(millisecondsSinceEpoch: time + later), label: .number(1))))
                var prediction = event
                prediction.requestID = "\(id)-early"
                prediction.time = EventTime(millisecondsSinceEpoch: time + later)
                prediction.awaitsFeatures = false
                prediction.features = ["x": .number(x)]
                laterPredictions.append((n + random.below(200), prediction))
            }
            for (_, p) in laterPredictions.filter({ $0.due <= n }) { inputs.append(.prediction(p)) }
            // m2's first labels come in the last quarter, for predictions about to stop waiting (the label
            // clock is m2's watermark, 1 s behind, minus the 8 s TTL).
            if model == "m2" { unlabelled.append(label) }
            if n > events * 3 / 4,
                let edge = unlabelled.firstIndex(where: { $0.time.millisecondsSinceEpoch >= time - 9_050 }),
                unlabelled[edge].time.millisecondsSinceEpoch < time - 8_950
            {
                inputs.append(.label(unlabelled.remove(at: edge)))
            }
            laterPredictions.removeAll { $0.due <= n }
            if model == "m1" && random.chance(2) {
                // A label far ahead: m1's label clock passes the TTL of predictions still to come.
                let ahead = EventTime(millisecondsSinceEpoch: time + 15_000)
                inputs.append(.label(LabelEvent(model: model, requestID: "ahead-\(n)", time: ahead, label: .number(0))))
            }
            if random.chance(2) {
                let stray = FeatureEvent(model: model, requestID: "stray-\(n)", time: at, features: ["x": .number(1)])
                inputs.append(.features(stray))
            }
            for (_, f) in laterFeatures.filter({ $0.due <= n }) { inputs.append(.features(f)) }
            laterFeatures.removeAll { $0.due <= n }
            for (_, l) in laterLabels.filter({ $0.due <= n }) { inputs.append(.label(l)) }
            laterLabels.removeAll { $0.due <= n }
            if random.chance(1) { inputs.append(.tick(time + Int64(random.below(20_000)))) }
        }
        return inputs
    }

    /// Feeds both monitors in lockstep; returns how many reports and performance reports they published.
    static func compare(_ inputs: [Input], kind: MonitorSettings.WindowKind) -> (reports: Int, performance: Int) {
        var m1 = settings(kind)
        m1.allowedLateness = 2_500
        var skipping = DriftMonitor(settings: settings(kind), models: ["m1": m1])
        var every = skipping
        every.settlesEveryModel = true
        var offsets: [EventStream: Int64] = [:]
        func position(_ stream: EventStream) -> EventPosition {
            defer { offsets[stream, default: 0] += 1 }
            return EventPosition(stream, partition: 0, offset: offsets[stream, default: 0])
        }
        func feed(_ input: Input, at position: EventPosition?, _ monitor: inout DriftMonitor) -> [MonitorOutput] {
            switch input {
            case .prediction(let event): monitor.ingest(event, at: position!, receivedAt: 0)
            case .features(let event): monitor.ingest(event, at: position!, receivedAt: 0)
            case .label(let event): monitor.ingest(event, at: position!, receivedAt: 0)
            case .tick(let now): monitor.tick(now: now)
            }
        }
        var counts = (reports: 0, performance: 0)
        for (index, input) in inputs.enumerated() {
            let at: EventPosition? =
                switch input {
                case .prediction: position(.predictions)
                case .features: position(.features)
                case .label: position(.labels)
                case .tick: nil
                }
            let a = feed(input, at: at, &skipping)
            let b = feed(input, at: at, &every)
            counts.reports += a.count { if case .report = $0 { true } else { false } }
            counts.performance += a.count { if case .performance = $0 { true } else { false } }
            guard a == b, skipping.checkpoint(partition: 0) == every.checkpoint(partition: 0) else {
                Issue.record("input \(index) (\(input)) ends differently:\n\(a)\nvs\n\(b)")
                return counts
            }
        }
        return counts
    }

    @Test(
        arguments: [MonitorSettings.WindowKind.tumbling, .hopping(slide: 5_000), .count(events: 200)],
        [UInt64(1), 2, 3])
    func skippingSettlesChangesNothing(kind: MonitorSettings.WindowKind, seed: UInt64) {
        let counts = Self.compare(Self.traffic(seed: seed, events: 4_000), kind: kind)
        #expect(counts.reports > 10)
        #expect(counts.performance > 5)
    }
}

extension SplitMix64 {
    fileprivate mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    fileprivate mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
