import DriftStats
import Testing

@testable import DriftCore

/// The change detectors in the stream: a model's prediction scores, fed window by window in offset order,
/// are flagged where one detector fed the whole sequence flags them, whatever order joins place events in;
/// their detections go through the policy; their state survives a checkpoint.
@Suite struct ChangeDetectionStreamTests {
    static func settings(window: Int) -> MonitorSettings {
        var settings = MonitorSettings()
        settings.windowKind = .count(events: window)
        settings.allowedLateness = 0
        settings.idleTimeout = nil
        settings.bootstrapEvents = 200
        settings.policy.minimumWindowEvents = 1
        var rule = PolicyRule(name: "score-change", conditions: [.init(.predictionChange, above: 1)])
        rule.alert = true
        settings.policy.rules = [rule]
        return settings
    }

    /// Scores whose mean moves from 0.2 to 0.6 after 3 000 events (deterministic noise).
    static let scores: [Double] = {
        var random = SplitMix64(seed: 7)
        return (0..<6_000).map { index in (index < 3_000 ? 0.2 : 0.6) + 0.1 * (random.unit() - 0.5) }
    }()

    static func event(_ index: Int) -> PredictionEvent {
        PredictionEvent(
            model: "m", modelVersion: "1", requestID: "r\(index)",
            time: EventTime(millisecondsSinceEpoch: Int64(index)),
            features: ["x": .number(Double(index % 11))], prediction: .score(scores[index]))
    }

    @Test func windowDetectionsAreTheWholeSequencesAndFireTheRule() {
        var monitor = DriftMonitor(settings: Self.settings(window: 500))
        var reports: [WindowReport] = []
        var alerts = 0
        for index in Self.scores.indices {
            for output in monitor.ingest(
                Self.event(index), at: EventPosition(partition: 0, offset: Int64(index)), receivedAt: 0)
            {
                if case .report(let report) = output { reports.append(report) }
                if case .alert = output { alerts += 1 }
            }
        }
        // What the monitor fed: the events after the bootstrap reference, in offset order.
        var adwin = AdaptiveWindowing()
        var hinkley = PageHinkley()
        var expected: [String] = []
        for (position, score) in Self.scores[200...].enumerated() {
            if adwin.update(score) { expected.append("adwin@\(position)") }
            if hinkley.update(score) { expected.append("page_hinkley@\(position)") }
        }
        let flagged = reports.flatMap { $0.predictionChanges ?? [] }.map { "\($0.detector)@\($0.position)" }
        #expect(!expected.isEmpty)
        #expect(flagged.sorted() == expected.sorted())
        let windowsWithChanges = reports.filter { !($0.predictionChanges ?? []).isEmpty }
        #expect(alerts == windowsWithChanges.count)
        #expect(windowsWithChanges.allSatisfy { $0.rules.first?.fired == true })
        // Within a window, index and position agree with the window's place in the sequence.
        for report in windowsWithChanges {
            for change in report.predictionChanges! { #expect(change.position % 500 == change.index) }
        }
    }

    /// Restored from a checkpoint taken mid-stream, a monitor reports the same detections as one that never
    /// stopped.
    @Test func detectorsSurviveACheckpoint() throws {
        func run(restartAt restart: Int?) throws -> [[ChangeDetection]] {
            var monitor = DriftMonitor(settings: Self.settings(window: 500))
            var reports: [String: [ChangeDetection]] = [:]
            var index = 0
            var restarted = false
            while index < Self.scores.count {
                if let restart, index == restart, !restarted {
                    let checkpoint = try #require(monitor.checkpoint(partition: 0))
                    let reference = try #require(monitor.reference(model: "m", version: "1"))
                    monitor = DriftMonitor(settings: Self.settings(window: 500))
                    monitor.install(reference, model: "m")
                    monitor.restore(checkpoint)
                    index = Int(checkpoint.resume["predictions"]!.offset)
                    restarted = true
                }
                for output in monitor.ingest(
                    Self.event(index), at: EventPosition(partition: 0, offset: Int64(index)), receivedAt: 0)
                {
                    if case .report(let report) = output { reports[report.id] = report.predictionChanges ?? [] }
                }
                index += 1
            }
            return reports.sorted { $0.key < $1.key }.map(\.value)
        }
        let whole = try run(restartAt: nil)
        #expect(whole.contains { !$0.isEmpty })
        #expect(try run(restartAt: 3_333) == whole)
    }
}
