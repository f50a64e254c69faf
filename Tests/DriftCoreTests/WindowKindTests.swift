import DriftCore
import Testing

@Suite struct WindowKindTests {
    func settings(_ kind: MonitorSettings.WindowKind, idleTimeout: Int64? = nil) -> MonitorSettings {
        var settings = MonitorSettings()
        settings.windowKind = kind
        settings.windowSize = 10_000
        settings.allowedLateness = 0
        settings.idleTimeout = idleTimeout
        settings.bootstrapEvents = 10
        settings.policy.minimumWindowEvents = 1
        return settings
    }

    struct Feed {
        var monitor: DriftMonitor
        var offset: Int64 = 0
        var reports: [WindowReport] = []

        init(_ settings: MonitorSettings) {
            monitor = DriftMonitor(settings: settings)
            for index in 0..<10 { send(at: Int64(index), now: 0) }  // the reference
        }

        mutating func send(at time: Int64, now: Int64 = 0) {
            let event = PredictionEvent(
                model: "m", modelVersion: "1", requestID: "r\(offset)", time: EventTime(millisecondsSinceEpoch: time),
                features: ["x": .number(Double(offset % 7))], prediction: .score(0.5))
            collect(monitor.ingest(event, at: EventPosition(partition: 0, offset: offset), receivedAt: now))
            offset += 1
        }

        mutating func collect(_ outputs: [MonitorOutput]) {
            reports += outputs.compactMap { if case .report(let report) = $0 { report } else { nil } }
        }
    }

    @Test func hoppingWindowsCountAnEventInEveryWindowThatHoldsIt() {
        var feed = Feed(settings(.hopping(slide: 5_000)))
        for time in stride(from: Int64(10_000), to: 20_000, by: 1_000) { feed.send(at: time) }  // 10 events
        feed.send(at: 25_000)  // watermark 25 000: closes [5 000, 15 000), [10 000, 20 000), [15 000, 25 000)
        let windows = feed.reports.map { "\($0.window.start.prefix(19))|\($0.counts.events)|\($0.window.kind)" }
        #expect(
            windows == [
                "1970-01-01T00:00:05|5|hopping", "1970-01-01T00:00:10|10|hopping", "1970-01-01T00:00:15|5|hopping",
            ])
        #expect(Set(feed.reports.map(\.id)).count == 3)
    }

    @Test func aHoppingEventIsLateOnlyWhenAllItsWindowsHaveClosed() {
        var feed = Feed(settings(.hopping(slide: 5_000)))
        feed.send(at: 12_000)
        feed.send(at: 21_000)  // watermark 21 000: [5 000, 15 000) and [10 000, 20 000) close
        feed.send(at: 16_000)  // still fits [15 000, 25 000): not late
        feed.send(at: 9_000)  // its windows [5 000, 15 000) and [0, 10 000) are closed: late
        feed.send(at: 31_000)  // closes [15 000, 25 000) and [20 000, 30 000)
        let latest = feed.reports.first { $0.window.start.hasPrefix("1970-01-01T00:00:15") }
        #expect(latest?.counts.events == 2)  // 16 000 and 21 000
        #expect(feed.reports.map(\.counts.late).reduce(0, +) == 1)
    }

    @Test func countWindowsCloseWhenFullWhateverTheTime() {
        var feed = Feed(settings(.count(events: 4)))
        for time: Int64 in [50_000, 40_000, 60_000, 45_000, 70_000, 71_000] { feed.send(at: time) }
        #expect(feed.reports.count == 1)
        let report = feed.reports[0]
        #expect(report.counts.events == 4)
        #expect(report.window.kind == "count")
        #expect(report.window.start == "1970-01-01T00:00:40.000Z")  // earliest event of the window
        #expect(report.window.end == "1970-01-01T00:01:00.001Z")  // latest + 1 ms
        #expect(feed.monitor.committableOffset(for: .predictions(0)) == 14)  // the open window's first event
    }

    @Test func anIdlePartitionClosesItsWindowsByWallClock() {
        var feed = Feed(settings(.tumbling, idleTimeout: 30_000))
        feed.send(at: 10_500, now: 1_000_000)
        feed.send(at: 12_000, now: 1_000_100)
        feed.collect(feed.monitor.tick(now: 1_020_000))  // idle 19.9 s: nothing yet
        #expect(feed.reports.isEmpty)
        #expect(feed.monitor.committableOffset(for: .predictions(0)) == 10)
        feed.collect(feed.monitor.tick(now: 1_030_100))  // idle 30 s: watermark 12 000 + 30 000 passes 20 000
        #expect(feed.reports.map(\.counts.events) == [2])
        #expect(feed.monitor.committableOffset(for: .predictions(0)) == 12)
        feed.collect(feed.monitor.tick(now: 1_040_000))
        #expect(feed.reports.count == 1)  // nothing closes twice
    }

    @Test func withoutAnIdleTimeoutQuietPartitionsWait() {
        var feed = Feed(settings(.tumbling, idleTimeout: nil))
        feed.send(at: 10_500, now: 1_000_000)
        feed.collect(feed.monitor.tick(now: 9_000_000))
        #expect(feed.reports.isEmpty)
    }
}
