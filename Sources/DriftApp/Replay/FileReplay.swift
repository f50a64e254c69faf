import DriftConfig
import DriftCore
import Foundation

/// A recorded JSON Lines file of prediction, feature and label events (in any mix, as `kcat -C -e` or a topic
/// dump writes them) fed through the same monitor as `driftwatch run`, without Kafka: for offline
/// investigation. Lines are positions (line N is offset N-1 of a single partition per stream); each line's
/// stream is recognised by its fields (`prediction`: predictions, `label`: labels, otherwise features) unless
/// `stream` says. The wall clock is the events' own time, and at the end of the file every open window is
/// closed as if the stream had gone idle. Undecodable lines are counted and reported with their line numbers.
public struct FileReplay {
    public struct Summary: Sendable {
        public var lines = 0
        public var events: [EventStream: Int] = [:]
        /// Line numbers and reasons of undecodable lines (the first 20).
        public var problems: [(line: Int, message: String)] = []
        public var undecodable = 0
        public var windowReports = 0
        public var driftedWindows = 0
        public var performanceReports = 0
        public var alerts = 0
        public var triggers = 0
        /// What happened to each model, by model id.
        public var models: [String: ModelSummary] = [:]
    }

    /// One model's windows, drift and realised accuracy over the replay.
    public struct ModelSummary: Sendable {
        public var windows = 0
        public var driftedWindows = 0
        /// Windows in which each feature drifted.
        public var driftedFeatures: [String: Int] = [:]
        public var performanceReports = 0
        /// Labelled predictions and correct ones, over every performance report with an accuracy.
        public var labelled = 0
        public var correct = 0.0

        /// Accuracy over all labelled predictions (nil without any, or for regression).
        public var accuracy: Double? { labelled == 0 ? nil : correct / Double(labelled) }

        /// The features that drifted in the most windows, most first.
        public func mostDrifted(_ count: Int) -> [(name: String, windows: Int)] {
            driftedFeatures.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(count)
                .map { ($0.key, $0.value) }
        }
    }

    public var monitor: DriftMonitor
    /// Nil: recognise each line's stream by its fields.
    public var stream: EventStream?
    private var settings: MonitorSettings
    /// What enters the monitor: the same rule as `run`'s (size limit, decoding, known models).
    private let admission: InputAdmission

    public init(
        config: DriftwatchConfig, references: [(model: String, profile: ReferenceProfile)], stream: EventStream? = nil
    ) {
        var defaults = config.monitor
        var models = config.models
        // Closing the windows left open at the end of the file needs an idle timeout.
        defaults.idleTimeout = defaults.idleTimeout ?? 30_000
        for key in models.keys { models[key]!.idleTimeout = models[key]!.idleTimeout ?? 30_000 }
        monitor = DriftMonitor(settings: defaults, models: models)
        for (model, profile) in references { monitor.install(profile, model: model) }
        settings = defaults
        admission = config.admission
        self.stream = stream
    }

    /// Replays the file at `path`; `output` gets every report, performance report, alert and trigger with its
    /// JSON (the bytes `run` publishes), `progress` the bytes read so far and the file's size (called every
    /// 64 KiB or so; the caller decides how often to show it).
    public mutating func run(
        path: String, output write: (MonitorOutput, [UInt8]) throws -> Void, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Summary {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw FileError(file: path, "cannot read the events file: \(error.localizedDescription)")
        }
        var summary = Summary()
        var lastTime: Int64 = 0
        var names = FeatureNameCache()
        func emit(_ outputs: [MonitorOutput]) throws {
            for output in outputs {
                guard let json = output.publishedJSON else { continue }
                switch output {
                case .report(let report):
                    summary.windowReports += 1
                    summary.models[report.model, default: ModelSummary()].windows += 1
                    if report.status == .drift {
                        summary.driftedWindows += 1
                        summary.models[report.model]!.driftedWindows += 1
                    }
                    for feature in report.features where feature.drifted {
                        summary.models[report.model]!.driftedFeatures[feature.name, default: 0] += 1
                    }
                case .performance(let report):
                    summary.performanceReports += 1
                    summary.models[report.model, default: ModelSummary()].performanceReports += 1
                    if let accuracy = report.metrics?.accuracy {
                        summary.models[report.model]!.labelled += report.labels.labeled
                        summary.models[report.model]!.correct += accuracy * Double(report.labels.labeled)
                    }
                case .alert: summary.alerts += 1
                case .trigger: summary.triggers += 1
                case .late, .referenceCaptured: break
                }
                try write(output, json)
            }
        }
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var start = 0
            var nextProgress = 0
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                summary.lines += 1
                let line = Array(bytes[start..<end])
                start = end + 1
                if start >= nextProgress {
                    progress(min(start, bytes.count), bytes.count)
                    nextProgress = start + 65_536
                }
                guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
                let stream = self.stream ?? Self.recognise(line)
                let position = EventPosition(stream, partition: 0, offset: Int64(summary.lines - 1))
                let input = admission.admit(line, stream: stream, names: &names)
                switch input {
                case .prediction(let event): lastTime = max(lastTime, event.time.millisecondsSinceEpoch)
                case .refused(let error):
                    summary.undecodable += 1
                    if summary.problems.count < 20 {
                        summary.problems.append((summary.lines, "\(stream): \(error.message)"))
                    }
                default: break
                }
                if input.model != nil { summary.events[stream, default: 0] += 1 }
                // A prediction is received at its own time; features and labels at the latest prediction's.
                let receivedAt =
                    if case .prediction(let event) = input { event.time.millisecondsSinceEpoch } else { lastTime }
                let outputs = monitor.ingest(input, at: position, receivedAt: receivedAt)
                try emit(outputs)
            }
        }
        // The end of the file: every partition goes idle long enough for its windows and label waits to end.
        let idle = settings.windowSize * 4 + settings.allowedLateness + settings.labels.ttl + 86_400_000
        try emit(monitor.tick(now: lastTime + idle))
        try emit(monitor.tick(now: lastTime + 2 * idle))
        // No label comes after the end of the file: the performance still waiting for labels is reported.
        try emit(monitor.finishLabels())
        progress(data.count, data.count)
        return summary
    }

    /// `prediction` → predictions, `label` → labels, else features (a cheap look at the keys, not a parse).
    static func recognise(_ line: [UInt8]) -> EventStream {
        if line.containsSubsequence(Array(#""prediction""#.utf8)) { return .predictions }
        if line.containsSubsequence(Array(#""label""#.utf8)) { return .labels }
        return .features
    }
}

extension Array where Element == UInt8 {
    fileprivate func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        for index in 0...(count - needle.count) where self[index] == needle[0] {
            if self[index..<index + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }
}
