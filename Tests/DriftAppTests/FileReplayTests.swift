import DriftCore
import DriftStats
import Foundation
import Testing

@testable import DriftApp
@testable import DriftConfig

/// `driftwatch replay`: a file of events through the monitor gives what the monitor gives for those events.
@Suite struct FileReplayTests {
    func events() -> [PredictionEvent] {
        var random = SplitMix64(seed: 11)
        // 20 ms apart for 50 s: 200 reference events, then windows of 10 s; x shifts from 30 s on.
        return (0..<2_500).map { index in
            let time = Int64(index) * 20
            return PredictionEvent(
                model: "fraud", modelVersion: "7", requestID: "r\(index)",
                time: EventTime(millisecondsSinceEpoch: time),
                features: [
                    "x": .number(random.normal(mean: time >= 30_000 ? 2 : 0, sd: 1)),
                    "c": .category(random.unit() < 0.3 ? "a" : "b"),
                ],
                prediction: .score(random.unit()))
        }
    }

    var config: DriftwatchConfig {
        var config = DriftwatchConfig()
        config.monitor.windowSize = 10_000
        config.monitor.allowedLateness = 0
        config.monitor.bootstrapEvents = 200
        config.monitor.policy.minimumWindowEvents = 20
        return config
    }

    @Test func aFileGivesWhatTheMonitorGives() throws {
        let events = events()
        var lines = events.map { String(decoding: $0.json(), as: UTF8.self) }
        lines.insert("{not json", at: 1_000)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID()).jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        var replay = FileReplay(config: config, references: [])
        var outputs: [(MonitorOutput, [UInt8])] = []
        var progress: [Int] = []
        let summary = try replay.run(path: path) {
            outputs.append(($0, $1))
        } progress: { done, total in
            progress.append(done * 100 / total)
        }

        // The same events straight into a monitor, then idle: the same outputs, byte for byte.
        var settings = config.monitor
        settings.idleTimeout = 30_000
        var monitor = DriftMonitor(settings: settings)
        var expected: [MonitorOutput] = []
        for (index, event) in events.enumerated() {
            let line = index >= 1_000 ? index + 1 : index
            expected += monitor.ingest(
                event, at: EventPosition(partition: 0, offset: Int64(line)),
                receivedAt: event.time.millisecondsSinceEpoch)
        }
        expected += monitor.tick(now: 50_000 + 86_400_000 + 40_000)
        expected = expected.filter { $0.publishedJSON != nil }

        #expect(outputs.map(\.1) == expected.compactMap(\.publishedJSON))
        let reports = outputs.compactMap { if case .report(let report) = $0.0 { report } else { nil } }
        #expect(reports.map(\.status) == [.ok, .ok, .ok, .drift, .drift])  // The last window is closed at the end.
        #expect(summary.windowReports == 5 && summary.driftedWindows == 2)
        #expect(summary.events[.predictions] == 2_500 && summary.undecodable == 1)
        #expect(summary.problems.first?.line == 1_001)
        #expect(progress.last == 100)
    }

    @Test func linesAreRecognisedByTheirFields() {
        #expect(FileReplay.recognise(Array(#"{"model":"m","prediction":1}"#.utf8)) == .predictions)
        #expect(FileReplay.recognise(Array(#"{"model":"m","label":1}"#.utf8)) == .labels)
        #expect(FileReplay.recognise(Array(#"{"model":"m","features":{}}"#.utf8)) == .features)
    }

    @Test func aMissingFileIsAClearError() {
        var replay = FileReplay(config: config, references: [])
        #expect(throws: ConfigError.self) { _ = try replay.run(path: "/nonexistent/events.jsonl") { _, _ in } }
    }

    /// Predictions with labels 2–20 s later (80 %), including the bootstrap events': every window's performance is
    /// reported, the last ones at the end of the file; no label of a bootstrap event counts as unmatched; the
    /// summary per model matches the reports.
    @Test func labelsAreJoinedToTheEndAndBootstrapLabelsAreNotUnmatched() throws {
        var random = SplitMix64(seed: 12)
        var lines: [(time: Int64, line: String)] = []
        for (index, event) in events().enumerated() {
            lines.append((event.time.millisecondsSinceEpoch, String(decoding: event.json(), as: UTF8.self)))
            guard random.unit() < 0.8 else { continue }
            let label = LabelEvent(
                model: "fraud", requestID: "r\(index)",
                time: EventTime(
                    millisecondsSinceEpoch: event.time.millisecondsSinceEpoch + 2_000 + Int64(random.unit() * 18_000)),
                label: .number(random.unit() < 0.5 ? 0 : 1))
            lines.append((label.time.millisecondsSinceEpoch, String(decoding: label.json(), as: UTF8.self)))
        }
        lines.sort { $0.time < $1.time }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID()).jsonl").path
        try (lines.map(\.line).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        var config = config
        config.monitor.labels.ttl = 30_000
        config.monitor.labels.minimumLabels = 10
        var replay = FileReplay(config: config, references: [])
        var performance: [PerformanceReport] = []
        var windows = 0
        let summary = try replay.run(path: path) { output, _ in
            if case .performance(let report) = output { performance.append(report) }
            if case .report = output { windows += 1 }
        }
        #expect(
            windows == 5 && performance.count == windows, "a performance report per window, the last ones at the end")
        #expect(performance.allSatisfy { $0.labels.unmatched == 0 }, "\(performance.map(\.labels.unmatched))")
        #expect(performance.allSatisfy { $0.labels.predictions == $0.labels.labeled + $0.labels.unlabeled })
        let model = try #require(summary.models["fraud"])
        #expect(model.windows == 5 && model.driftedWindows == 2 && model.mostDrifted(1).first?.name == "x")
        #expect(model.labelled == performance.map(\.labels.labeled).reduce(0, +) && model.accuracy != nil)
    }

    /// Features and predictions near ±1.8e308 and subnormal: every output is JSON (no NaN reaches the encoder),
    /// and the effect sizes are numbers, computed on exactly scaled values.
    @Test func extremeValuesGiveJSONOutputs() throws {
        var random = SplitMix64(seed: 13)
        let lines = (0..<1_200).map { index in
            let huge = (random.unit() < 0.5 ? -1 : 1) * (1e307 + random.unit() * 1.7e308)
            return
                #"{"model":"m","model_version":"1","request_id":"r\#(index)","timestamp":"\#(EventTime(millisecondsSinceEpoch: Int64(index) * 20).rfc3339)","features":{"x":\#(huge),"tiny":5e-324,"z":\#(index % 2 == 0 ? "1.7e308" : "-1.7e308")},"prediction":\#(huge)}"#
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID()).jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        var replay = FileReplay(config: config, references: [])
        var reports: [WindowReport] = []
        _ = try replay.run(path: path) { output, json in
            #expect((try? JSONSerialization.jsonObject(with: Data(json))) != nil)
            if case .report(let report) = output { reports.append(report) }
        }
        #expect(!reports.isEmpty)
        for report in reports {
            for feature in report.features where feature.count > 0 {
                #expect(feature.decision?.effectValue?.isFinite == true, "\(feature.name) in \(report.id)")
            }
        }
    }
}
