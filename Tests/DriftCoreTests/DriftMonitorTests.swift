import DriftCore
import Testing

@Suite struct DriftMonitorTests {
    static var settings: MonitorSettings {
        var settings = MonitorSettings()
        settings.windowSize = 10_000
        settings.allowedLateness = 2_000
        settings.bootstrapEvents = 100
        settings.policy.minimumWindowEvents = 20
        return settings
    }

    /// Feeds events to a monitor with consecutive offsets on one partition and keeps every output.
    struct Feed {
        var monitor = DriftMonitor(settings: DriftMonitorTests.settings)
        var offset: Int64 = 0
        var outputs: [MonitorOutput] = []
        var random = Wobble()

        @discardableResult
        mutating func send(
            _ model: String = "m", version: String = "1", at time: Int64, shift: Double = 0, partition: Int32 = 0
        )
            -> [MonitorOutput]
        {
            let event = PredictionEvent(
                model: model, modelVersion: version, requestID: "r\(offset)",
                time: EventTime(millisecondsSinceEpoch: time),
                features: ["x": .number(random.next() + shift), "y": .number(random.next() * 10)],
                prediction: .score(0.5))
            let produced = monitor.ingest(event, at: EventPosition(partition: partition, offset: offset), receivedAt: 0)
            offset += 1
            outputs += produced
            return produced
        }

        /// 100 reference events at t = 0 … 990 ms.
        mutating func bootstrap(_ model: String = "m", version: String = "1") {
            for i in 0..<100 { send(model, version: version, at: Int64(i) * 10) }
        }

        var reports: [WindowReport] {
            outputs.compactMap { if case .report(let report) = $0 { report } else { nil } }
        }

        var triggers: [RetrainTrigger] {
            outputs.compactMap { if case .trigger(let trigger) = $0 { trigger } else { nil } }
        }
    }

    /// A deterministic spread of values in [-1, 1): an evenly stepped sequence in scrambled order.
    struct Wobble {
        var index: UInt64 = 0
        mutating func next() -> Double {
            index += 1
            return Double((index &* 0x9E37_79B9_7F4A_7C15) >> 11) / 4_503_599_627_370_496.0 - 1
        }
    }

    @Test func aWindowClosesWhenTheWatermarkPassesItsEnd() {
        var feed = Feed()
        feed.bootstrap()
        for i in 0..<50 { feed.send(at: 10_000 + Int64(i) * 100) }
        #expect(feed.send(at: 21_999).isEmpty)  // watermark 19 999 < 20 000
        let closed = feed.send(at: 22_000)  // watermark 20 000: [10 000, 20 000) closes
        #expect(closed.count == 1)
        let report = try! #require(feed.reports.first)
        #expect(report.counts.events == 50)
        #expect(report.window.start == "1970-01-01T00:00:10.000Z")
        #expect(report.window.end == "1970-01-01T00:00:20.000Z")
        #expect(report.reference.source == .bootstrap && report.reference.events == 100)
        #expect(report.status == .ok)
        #expect(report.features.map(\.name) == ["x", "y"])
        #expect(report.id == "m/1/1970-01-01T00:00:10.000Z/1970-01-01T00:00:20.000Z")
    }

    @Test func outOfOrderEventsWithinLatenessLandInTheirWindow() {
        var feed = Feed()
        feed.bootstrap()
        for i in 0..<30 { feed.send(at: 10_000 + Int64(i) * 100) }
        feed.send(at: 21_000)  // watermark 19 000
        feed.send(at: 19_500)  // older, but its window is still open
        feed.send(at: 22_000)
        #expect(feed.reports.map(\.counts.events) == [31])
        #expect(feed.reports.first?.counts.late == 0)
    }

    @Test func lateEventsAreCountedInTheNextReport() {
        var feed = Feed()
        feed.bootstrap()
        for i in 0..<30 { feed.send(at: 10_000 + Int64(i) * 100) }
        feed.send(at: 22_000)  // closes [10 000, 20 000)
        feed.send(at: 15_000)  // late
        feed.send(at: 12_000)  // late
        for i in 0..<30 { feed.send(at: 22_100 + Int64(i) * 100) }
        feed.send(at: 32_000)  // closes [20 000, 30 000)
        #expect(feed.reports.map(\.counts.late) == [0, 2])
        #expect(feed.reports.map(\.counts.events) == [30, 31])  // the event at 22 000 opened the second window
    }

    @Test func offsetsNeverPassAnOpenWindowOrAnUnfinishedReference() {
        var feed = Feed()
        for i in 0..<50 { feed.send(at: Int64(i) * 10) }
        #expect(feed.monitor.committableOffset(for: .predictions(0)) == 0)  // reference still capturing
        for i in 50..<100 { feed.send(at: Int64(i) * 10) }
        #expect(feed.monitor.committableOffset(for: .predictions(0)) == 100)  // reference done, nothing open
        feed.send(at: 10_000)  // offset 100 opens [10 000, 20 000)
        feed.send(at: 10_500)
        #expect(feed.monitor.committableOffset(for: .predictions(0)) == 100)
        feed.send(at: 21_000)  // offset 102 opens [20 000, 30 000)
        feed.send(at: 22_000)  // closes the first window
        #expect(feed.monitor.committableOffset(for: .predictions(0)) == 102)
        feed.monitor.skip(at: EventPosition(partition: 0, offset: 104))
        #expect(feed.monitor.committableOffset(for: .predictions(0)) == 102)
        #expect(feed.monitor.committableOffset(for: .predictions(1)) == nil)
    }

    @Test func aShiftedWindowDriftsAndRequestsRetraining() throws {
        var feed = Feed()
        feed.bootstrap()
        for i in 0..<60 { feed.send(at: 10_000 + Int64(i) * 100, shift: 3) }
        feed.send(at: 22_000)
        let report = try #require(feed.reports.first)
        #expect(report.status == .drift)
        #expect(report.driftedFeatures.map(\.name) == ["x"])
        let trigger = try #require(feed.triggers.first)
        #expect(trigger.id == "m/1/1970-01-01T00:00:20.000Z/feature-drift")
        #expect(trigger.type == "dev.driftwatch.retrain.requested")
        #expect(trigger.specversion == "1.0")
        #expect(trigger.data.reportID == report.id)
        #expect(trigger.data.features.map(\.name) == ["x"])
        #expect(trigger.data.suggestedTrainingRange?.to == report.window.end)
    }

    @Test func tooFewEventsAreReportedButNeverDrift() throws {
        var feed = Feed()
        feed.bootstrap()
        for i in 0..<10 { feed.send(at: 10_000 + Int64(i) * 100, shift: 3) }
        feed.send(at: 22_000)
        #expect(feed.reports.first?.status == .insufficientData)
        #expect(feed.triggers.isEmpty)
    }

    @Test func replayingTheSameEventsGivesTheSameOutputs() {
        func run() -> [MonitorOutput] {
            var feed = Feed()
            feed.bootstrap()
            for i in 0..<300 { feed.send(at: 10_000 + Int64(i) * 100, shift: i > 150 ? 2 : 0) }
            feed.send(at: 60_000)
            return feed.outputs
        }
        let first = run()
        #expect(first.count >= 4)
        #expect(first == run())
    }

    @Test func modelsAndVersionsHaveTheirOwnReferencesAndWindows() {
        var feed = Feed()
        feed.bootstrap("a", version: "1")
        feed.bootstrap("a", version: "2")
        feed.bootstrap("b", version: "1")
        for i in 0..<40 {
            feed.send("a", version: "1", at: 10_000 + Int64(i) * 100)
            feed.send("a", version: "2", at: 10_000 + Int64(i) * 100, shift: 3)
            feed.send("b", version: "1", at: 10_000 + Int64(i) * 100)
        }
        feed.send("b", version: "1", at: 22_000)  // one partition: one watermark closes all three
        let byKey = Dictionary(uniqueKeysWithValues: feed.reports.map { ("\($0.model)/\($0.modelVersion)", $0) })
        #expect(byKey.keys.sorted() == ["a/1", "a/2", "b/1"])
        #expect(byKey["a/1"]?.counts.events == 40)
        #expect(byKey["a/2"]?.reference.version == "2")
        #expect(byKey["a/2"]?.status == .drift)
        #expect(byKey["a/1"]?.status == .ok)
        #expect(feed.triggers.map(\.data.modelVersion) == ["2"])
    }

    @Test func droppingAPartitionForgetsItsState() {
        var feed = Feed()
        feed.bootstrap()
        feed.send(at: 10_000)
        feed.monitor.drop(.predictions(0))
        #expect(feed.monitor.committableOffset(for: .predictions(0)) == nil)
        #expect(feed.monitor.sources.isEmpty)
        #expect(feed.monitor.reference(model: "m", version: "1") != nil, "the version's reference stays")
    }
}
