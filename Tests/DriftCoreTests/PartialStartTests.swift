import DriftCore
import DriftStats
import Testing

/// A partition started without its earlier state (no checkpoint, yet committed offsets) says so in the reports
/// of the windows that began before the first event it read, and only in those; a restart from a checkpoint
/// taken after that start replays the same bytes.
@Suite struct PartialStartTests {
    static var settings: MonitorSettings {
        var settings = MonitorSettings()
        settings.windowSize = 1_000
        settings.allowedLateness = 0
        settings.idleTimeout = nil
        settings.bootstrapEvents = 100
        settings.policy.minimumWindowEvents = 5
        return settings
    }

    /// Events 10 ms apart from t = 0; reading starts at event 1 250 (t = 12.5 s, mid-window).
    static func feed(_ monitor: inout DriftMonitor, from first: Int, to last: Int) -> [WindowReport] {
        var random = SplitMix64(seed: 4)
        var reports: [WindowReport] = []
        for index in 0..<last {
            let event = PredictionEvent(
                model: "m", modelVersion: "1", requestID: "r\(index)",
                time: EventTime(millisecondsSinceEpoch: Int64(index) * 10), features: ["x": .number(random.unit())],
                prediction: .score(random.unit()))
            guard index >= first else { continue }
            for case .report(let report) in monitor.ingest(
                event, at: EventPosition(partition: 0, offset: Int64(index)), receivedAt: 0)
            {
                reports.append(report)
            }
        }
        return reports
    }

    /// A monitor with a reference from elsewhere (every window reports) starts partially at event 1 250.
    static func started(_ settings: MonitorSettings, _ profile: ReferenceProfile) -> DriftMonitor {
        var monitor = DriftMonitor(settings: settings)
        monitor.install(profile, model: "m")
        monitor.startPartially(partition: 0, reason: "lost")
        return monitor
    }

    @Test func theWindowOfTheFirstEventIsPartialLaterOnesAreNotAndARestartReplaysTheMark() throws {
        var settings = Self.settings
        settings.bootstrapEvents = 0
        var source = DriftMonitor(settings: Self.settings)
        _ = Self.feed(&source, from: 0, to: 200)
        let profile = try #require(source.reference(model: "m", version: "1"))

        var monitor = Self.started(settings, profile)
        let reports = Self.feed(&monitor, from: 1_250, to: 1_600)
        let first = try #require(reports.first)
        #expect(first.window.start == EventTime(millisecondsSinceEpoch: 12_000).rfc3339)
        #expect(first.partial?.reason == "lost")
        #expect(reports.count >= 3 && reports.dropFirst().allSatisfy { $0.partial == nil })

        // Interrupted before the partial window closed: restored from its checkpoint, the replay publishes the
        // same reports, the partial mark included.
        var interrupted = Self.started(settings, profile)
        // Marked but nothing read: no checkpoint, so no resume point (no offset 0) is stored or committed.
        #expect(interrupted.checkpoint(partition: 0) == nil)
        #expect(Self.feed(&interrupted, from: 1_250, to: 1_290).isEmpty)
        let checkpoint = try #require(interrupted.checkpoint(partition: 0))
        #expect(checkpoint.partial == PartialStart(reason: "lost", from: 12_500))
        var restored = DriftMonitor(settings: settings)
        restored.install(profile, model: "m")
        restored.restore(checkpoint)
        let resume = try #require(checkpoint.resume[EventStream.predictions.rawValue]).offset
        let replayed = Self.feed(&restored, from: Int(resume), to: 1_600)
        #expect(replayed.map { $0.json() } == reports.map { $0.json() })
    }
}
