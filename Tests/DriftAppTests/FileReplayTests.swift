@testable import DriftApp
import DriftCore
import DriftStats
import Foundation
import Testing

/// `driftwatch replay`: a file of events through the monitor gives what the monitor gives for those events.
@Suite struct FileReplayTests {
    func events() -> [PredictionEvent] {
        var random = SplitMix64(seed: 11)
        // 20 ms apart for 50 s: 200 reference events, then windows of 10 s; x shifts from 30 s on.
        return (0..<2_500).map { index in
            let time = Int64(index) * 20
            return PredictionEvent(
                model: "fraud", modelVersion: "7", requestID: "r\(index)", time: EventTime(millisecondsSinceEpoch: time),
                features: ["x": .number(random.normal(mean: time >= 30_000 ? 2 : 0, sd: 1)), "c": .category(random.unit() < 0.3 ? "a" : "b")],
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
        let summary = try replay.run(path: path) { outputs.append(($0, $1)) } progress: { done, total in progress.append(done * 100 / total) }

        // The same events straight into a monitor, then idle: the same outputs, byte for byte.
        var settings = config.monitor
        settings.idleTimeout = 30_000
        var monitor = DriftMonitor(settings: settings)
        var expected: [MonitorOutput] = []
        for (index, event) in events.enumerated() {
            let line = index >= 1_000 ? index + 1 : index
            expected += monitor.ingest(event, at: EventPosition(partition: 0, offset: Int64(line)), receivedAt: event.time.millisecondsSinceEpoch)
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
}
