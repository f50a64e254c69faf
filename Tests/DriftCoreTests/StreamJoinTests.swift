import DriftCore
import Testing

/// Joins across the three input streams, per-model settings, deployments of references, and the bounds on
/// what the monitor keeps.
@Suite struct StreamJoinTests {
    static var settings: MonitorSettings {
        var settings = MonitorSettings()
        settings.windowSize = 10_000
        settings.allowedLateness = 1_000
        settings.bootstrapEvents = 50
        settings.policy.minimumWindowEvents = 10
        settings.labels.ttl = 30_000
        settings.labels.minimumLabels = 10
        return settings
    }

    struct Feed {
        var monitor: DriftMonitor
        var offsets: [EventStream: Int64] = [:]
        var outputs: [MonitorOutput] = []

        init(settings: MonitorSettings = StreamJoinTests.settings, models: [String: MonitorSettings] = [:]) {
            monitor = DriftMonitor(settings: settings, models: models)
        }

        mutating func position(_ stream: EventStream) -> EventPosition {
            defer { offsets[stream, default: 0] += 1 }
            return EventPosition(stream, partition: 0, offset: offsets[stream, default: 0])
        }

        mutating func predict(
            _ id: String, at time: Int64, model: String = "m", version: String = "1", x: Double = 1,
            score: Double = 0.9,
            inlineFeatures: Bool = true
        ) {
            var event = PredictionEvent(
                model: model, modelVersion: version, requestID: id, time: EventTime(millisecondsSinceEpoch: time),
                features: inlineFeatures ? ["x": .number(x)] : [:], prediction: .score(score))
            event.awaitsFeatures = !inlineFeatures
            outputs += monitor.ingest(event, at: position(.predictions), receivedAt: 0)
        }

        mutating func features(_ id: String, at time: Int64, x: Double, model: String = "m") {
            let event = FeatureEvent(
                model: model, requestID: id, time: EventTime(millisecondsSinceEpoch: time), features: ["x": .number(x)])
            outputs += monitor.ingest(event, at: position(.features), receivedAt: 0)
        }

        mutating func label(_ id: String, at time: Int64, _ value: LabelEvent.Value, model: String = "m") {
            let event = LabelEvent(
                model: model, requestID: id, time: EventTime(millisecondsSinceEpoch: time), label: value)
            outputs += monitor.ingest(event, at: position(.labels), receivedAt: 0)
        }

        /// 50 reference events with x = 0…49 at t = 0…490 ms.
        mutating func bootstrap(model: String = "m", version: String = "1") {
            for i in 0..<50 {
                predict("\(model)-\(version)-ref-\(i)", at: Int64(i) * 10, model: model, version: version, x: Double(i))
            }
        }

        var reports: [WindowReport] { outputs.compactMap { if case .report(let r) = $0 { r } else { nil } } }
        var performance: [PerformanceReport] {
            outputs.compactMap { if case .performance(let r) = $0 { r } else { nil } }
        }
    }

    @Test func featuresArrivingSeparatelyJoinTheirPrediction() {
        var settings = Self.settings
        settings.labels.ttl = 0  // with labels, a window's events stay held until its performance is reported
        var feed = Feed(settings: settings)
        feed.bootstrap()
        // Window [10 s, 20 s): features before, after, and never.
        feed.features("a", at: 10_000, x: 5)
        feed.predict("a", at: 10_000, inlineFeatures: false)
        feed.predict("b", at: 10_100, inlineFeatures: false)
        feed.features("b", at: 10_100, x: 6)
        feed.predict("c", at: 10_200, inlineFeatures: false)
        feed.features("orphan", at: 10_300, x: 7)
        #expect(feed.monitor.committableOffset(for: .features(0)) == 0)  // "a"'s features are in the open window
        feed.predict("next", at: 21_500)  // watermark 20.5 s: the window closes
        let report = feed.reports.first!
        #expect(report.counts.events == 3)
        #expect(report.features.first { $0.name == "x" }?.count == 2)
        #expect(report.counts.missing == 1)  // "c" waited until the watermark reached it, then went in without features
        #expect(report.counts.unmatchedFeatures == 1)
        #expect(feed.monitor.committableOffset(for: .features(0)) == 3)  // all three feature events are done with
    }

    @Test func labelsJoinTheirPredictionsWindowAndReportPerformance() {
        var feed = Feed()
        feed.bootstrap()
        // 40 predictions in [10 s, 20 s) with scores alternating 0.9 / 0.2.
        for i in 0..<40 { feed.predict("p\(i)", at: 10_000 + Int64(i) * 100, score: i.isMultiple(of: 2) ? 0.9 : 0.2) }
        feed.predict("later", at: 25_000)  // closes [10 s, 20 s)
        #expect(feed.reports.count == 1)
        // Labels for 30 of them, an hour "later" in processing but within the TTL in event time; truth is 1 for
        // even i, except every fifth prediction, whose truth is flipped.
        var expectedCorrect = 0
        for i in 0..<30 {
            var truth = i.isMultiple(of: 2)
            if i.isMultiple(of: 5) { truth.toggle() } else { expectedCorrect += 1 }
            feed.label("p\(i)", at: 30_000 + Int64(i), .number(truth ? 1 : 0))
        }
        feed.label("unknown", at: 30_100, .number(1))
        #expect(feed.performance.isEmpty)  // the window's labels may still come
        #expect(feed.monitor.committableOffset(for: .labels(0)) == 0)
        #expect(feed.monitor.committableOffset(for: .predictions(0)) == 50)  // the window waits for its labels
        feed.label("unknown-2", at: 51_500, .number(1))  // label clock 50.5 s: past 20 s + 30 s TTL
        let performance = feed.performance.first!
        #expect(performance.id == feed.reports[0].id + "/performance")
        let labels = performance.labels
        #expect([labels.predictions, labels.labeled, labels.unlabeled, labels.unmatched] == [40, 30, 10, 2])
        #expect(performance.metrics?.task == "classification")
        #expect(performance.metrics?.accuracy == Double(expectedCorrect) / 30)
        #expect(performance.status == .ok)
        // The two unknown labels wait for a prediction until the predictions' watermark passes their time; the
        // first holds the labels partition at its offset (30) until then.
        #expect(feed.monitor.committableOffset(for: .labels(0)) == 30)
        feed.predict("later-2", at: 40_000)  // watermark 39 s: past "unknown" (30.1 s), not "unknown-2" (51.5 s)
        #expect(feed.monitor.committableOffset(for: .labels(0)) == 31)
    }

    /// A prediction read after newer ones (within the allowed lateness) and never labelled is counted unlabelled
    /// in its window's performance report: predictions = labelled + unlabelled in every report.
    @Test func aLatePredictionWithoutALabelIsCountedUnlabelled() {
        var settings = Self.settings
        settings.allowedLateness = 5_000
        var feed = Feed(settings: settings)
        feed.bootstrap()
        for i in 0..<30 { feed.predict("p\(i)", at: 10_000 + Int64(i) * 300) }  // [10 s, 20 s), up to 18.7 s
        feed.predict("next", at: 20_500)  // the next window's, never labelled
        feed.predict("late", at: 18_200)  // read after it, within the lateness; never labelled
        feed.predict("advance", at: 26_000)  // watermark 21 s: [10 s, 20 s) closes
        for i in 0..<30 { feed.label("p\(i)", at: 21_000 + Int64(i), .number(1)) }
        // Label clock 55.2 s − 5 s lateness − 30 s TTL = 20.2 s: [10 s, 20 s)'s performance is reported while
        // "next" (read before "late") still waits.
        feed.label("clock", at: 55_200, .number(1))
        let performance = feed.performance.first {
            $0.window.start == EventTime(millisecondsSinceEpoch: 10_000).rfc3339
        }
        let labels = performance?.labels
        #expect(labels?.predictions == 31 && labels?.labeled == 30)
        #expect(labels?.unlabeled == 1, "\(String(describing: labels))")
        #expect(feed.performance.allSatisfy { $0.labels.predictions == $0.labels.labeled + $0.labels.unlabeled })
    }

    @Test func aLabelReadBeforeItsPredictionJoinsIt() {
        var feed = Feed()
        feed.bootstrap()
        // The labels topic was read ahead: labels first, then their predictions.
        for i in 0..<20 { feed.label("p\(i)", at: 12_000 + Int64(i), .number(i < 15 ? 1 : 0)) }
        for i in 0..<20 { feed.predict("p\(i)", at: 10_000 + Int64(i) * 100, score: 0.9) }
        feed.predict("later", at: 25_000)
        feed.label("flush", at: 60_000, .number(1))
        let performance = feed.performance.first { $0.window.start == "1970-01-01T00:00:10.000Z" }
        #expect(performance?.labels.labeled == 20)
        #expect(performance?.labels.unmatched == 21)  // counted when read (before their predictions came), and "flush"
        #expect(performance?.metrics?.accuracy == 0.75)
    }

    @Test func regressionLabelsGiveErrors() {
        var settings = Self.settings
        settings.labels.minimumLabels = 1
        var feed = Feed(settings: settings)
        feed.bootstrap()
        feed.predict("a", at: 10_000, score: 10)
        feed.predict("b", at: 10_001, score: 20)
        feed.predict("later", at: 25_000)
        feed.label("a", at: 26_000, .number(12))
        feed.label("b", at: 26_000, .number(17))
        feed.label("tick", at: 51_500, .number(0))
        let metrics = feed.performance.first?.metrics
        #expect(metrics?.task == "regression")
        #expect(metrics?.mae == 2.5)
    }

    @Test func aDeployedReferenceIsUsedForLaterWindowsOfItsVersion() {
        var feed = Feed()
        feed.bootstrap(version: "1")
        let deployed = ReferenceProfile(
            modelVersion: "2", source: .deployment, eventCount: 100,
            features: ["x": .numeric(.init(sample: (0..<100).map { Double($0) + 1_000 }, psiBins: 10))], prediction: nil
        )
        feed.monitor.install(deployed, model: "m")
        // Each version's window holds exactly its own reference's values: no drift unless compared with the other.
        for i in 0..<100 {
            feed.predict("v1-\(i)", at: 10_000 + Int64(i) * 10, version: "1", x: Double(i % 50))
            feed.predict("v2-\(i)", at: 10_000 + Int64(i) * 10, version: "2", x: Double(i) + 1_000)
        }
        feed.predict("later", at: 25_000, version: "1")
        let byVersion = Dictionary(uniqueKeysWithValues: feed.reports.map { ($0.modelVersion, $0) })
        #expect(byVersion["1"]?.reference.bootstrapped == true)
        let reference = byVersion["2"]?.reference
        #expect(reference?.version == "2" && reference?.source == .deployment && reference?.events == 100)
        #expect(reference?.bootstrapped == false)
        #expect(byVersion["2"]?.status == .ok)  // compared with its own reference, not version 1's
        #expect(byVersion["1"]?.status == .ok)
        #expect(
            feed.outputs.contains {
                if case .referenceCaptured(model: "m", let p) = $0 { p.modelVersion == "1" } else { false }
            })
    }

    @Test func modelsKeepTheirOwnWindowSettings() {
        var counted = Self.settings
        counted.windowKind = .count(events: 5)
        var feed = Feed(models: ["counted": counted])
        feed.bootstrap(model: "timed")
        feed.bootstrap(model: "counted")
        for i in 0..<12 {
            feed.predict("t\(i)", at: 10_000 + Int64(i), model: "timed")
            feed.predict("c\(i)", at: 10_000 + Int64(i), model: "counted")
        }
        #expect(feed.reports.filter { $0.model == "counted" }.map(\.window.kind) == ["count", "count"])
        #expect(feed.reports.filter { $0.model == "timed" }.isEmpty)
        feed.predict("t-late", at: 21_000, model: "timed")
        #expect(feed.reports.filter { $0.model == "timed" }.map(\.counts.events) == [12])
    }

    @Test func waitingPredictionsStayBounded() {
        var settings = Self.settings
        settings.labels.maximumPending = 100
        settings.labels.ttl = 3_600_000
        var feed = Feed(settings: settings)
        feed.bootstrap()
        for i in 0..<1_000 { feed.predict("u\(i)", at: 10_000 + Int64(i)) }
        feed.predict("later", at: 25_000)
        feed.label("u0", at: 26_000, .number(1))  // pushed out long ago
        feed.label("u999", at: 26_000, .number(1))
        feed.label("tick", at: 10_000_000, .number(1))
        let performance = feed.performance.first { $0.window.start == "1970-01-01T00:00:10.000Z" }!
        #expect(performance.labels.predictions == 1_000)
        #expect(performance.labels.labeled == 1)
        #expect(performance.labels.unlabeled == 999)
    }
}
