import DriftCore
import DriftStats
import Foundation

/// Streams N prediction events with unique request ids (plus labels for most of them, and separate feature
/// events for some) through `DriftMonitor` in-process and samples the resident set size as it goes, to show
/// that the joins and windows keep memory bounded: it must stop growing once the label TTL and the open
/// windows are full, however many events follow.
///
///     swift run -c release --package-path Benchmarks monitor-memory [events] [ttl-seconds] [max-pending]
///
/// Events are 1 ms apart in event time (1 000 events/s of event time), 8 numeric and 2 categorical features,
/// 60 s tumbling windows, 5 s lateness; 80 % get a label 10 s later in event time, 10 % come without features
/// and get them from the features stream right after.
@main
struct MonitorMemory {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        let total = arguments.first.flatMap(Int.init) ?? 1_000_000
        let ttlSeconds = arguments.dropFirst().first.flatMap(Int64.init) ?? 60
        let maximumPending = arguments.dropFirst(2).first.flatMap(Int.init) ?? LabelSettings().maximumPending

        var settings = MonitorSettings()
        settings.windowSize = 60_000
        settings.allowedLateness = 5_000
        settings.idleTimeout = nil
        settings.bootstrapEvents = 5_000
        settings.labels.ttl = ttlSeconds * 1_000
        settings.labels.maximumPending = maximumPending
        var monitor = DriftMonitor(settings: settings)
        var random = SplitMix64(seed: 42)
        let countries = ["DE", "FR", "US", "GB", "NL", "PL", "ES", "IT"]
        let devices = ["ios", "android", "web"]
        let start: Int64 = 1_800_000_000_000
        var offsets: [EventStream: Int64] = [:]
        func next(_ stream: EventStream) -> EventPosition {
            defer { offsets[stream, default: 0] += 1 }
            return EventPosition(stream, partition: 0, offset: offsets[stream, default: 0])
        }
        /// Labels due at an event time, oldest first (a ring of pending labels: event index → truth).
        var labelQueue: [(due: Int64, id: Int, truth: Bool)] = []
        var labelHead = 0
        var reports = 0
        var performance = 0
        var labelsSent = 0

        print(
            "events: \(total), label ttl: \(ttlSeconds) s, at most \(maximumPending) waiting for labels, 60 s windows; "
                + "RSS sampled every \(total / 10) events")
        print(
            "events".padding(toLength: 12, withPad: " ", startingAt: 0) + "RSS MiB   reports  performance  labels sent")
        let began = ContinuousClock.now
        let rssAtStart = residentMiB()
        var samples: [(Int, Double)] = []
        for index in 0..<total {
            let time = start + Int64(index)
            let shifted = index > total / 2
            var features: [String: FeatureValue] = [:]
            for feature in 0..<8 {
                features["f\(feature)"] = .number(random.normal(mean: shifted && feature < 2 ? 1.0 : 0, sd: 1))
            }
            features["country"] = .category(countries[Int(random.next() % UInt64(countries.count))])
            features["device"] = .category(devices[Int(random.next() % UInt64(devices.count))])
            let score = random.unit()
            let separate = index % 10 == 3
            var event = PredictionEvent(
                model: "fraud", modelVersion: "1", requestID: "req-\(index)",
                time: EventTime(millisecondsSinceEpoch: time), features: separate ? [:] : features,
                prediction: .score(score), latencyMilliseconds: 5 + 10 * random.unit())
            event.awaitsFeatures = separate
            var outputs = monitor.ingest(event, at: next(.predictions), receivedAt: 0)
            if separate {
                let featureEvent = FeatureEvent(
                    model: "fraud", requestID: event.requestID, time: event.time, features: features)
                outputs += monitor.ingest(featureEvent, at: next(.features), receivedAt: 0)
            }
            if random.unit() < 0.8 {
                labelQueue.append((time + 10_000, index, random.unit() < score))
            }
            while labelHead < labelQueue.count, labelQueue[labelHead].due <= time {
                let label = labelQueue[labelHead]
                labelHead += 1
                let labelEvent = LabelEvent(
                    model: "fraud", requestID: "req-\(label.id)", time: EventTime(millisecondsSinceEpoch: label.due),
                    label: .number(label.truth ? 1 : 0))
                outputs += monitor.ingest(labelEvent, at: next(.labels), receivedAt: 0)
                labelsSent += 1
            }
            if labelHead > 100_000 {
                labelQueue.removeFirst(labelHead)
                labelHead = 0
            }
            for output in outputs {
                switch output {
                case .report: reports += 1
                case .performance: performance += 1
                default: break
                }
            }
            if (index + 1) % max(total / 10, 1) == 0 {
                let rss = residentMiB()
                samples.append((index + 1, rss))
                print(
                    String(index + 1).padding(toLength: 12, withPad: " ", startingAt: 0)
                        + String(format: "%7.1f", rss) + String(format: "%10d", reports)
                        + String(format: "%13d", performance)
                        + String(format: "%13d", labelsSent))
            }
        }
        let elapsed = ContinuousClock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "%.0f events/s in-process (decoded events; no Kafka, no JSON)", Double(total) / seconds))
        if samples.count >= 4 {
            let settled = samples[samples.count / 5].1
            let last = samples[samples.count - 1].1
            print(
                String(
                    format:
                        "RSS at start %.1f MiB, at %d events %.1f MiB, at %d events %.1f MiB: %+.1f MiB over the last %d events",
                    rssAtStart, samples[samples.count / 5].0, settled, samples[samples.count - 1].0, last,
                    last - settled,
                    samples[samples.count - 1].0 - samples[samples.count / 5].0))
        }
    }

    /// The process's resident set size (VmRSS in /proc/self/status), in MiB.
    static func residentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Double(line.split(separator: " ", omittingEmptySubsequences: true)[1])
        else { return .nan }
        return kilobytes / 1024
    }
}
