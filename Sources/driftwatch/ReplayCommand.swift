import ArgumentParser
import DriftApp
import DriftCore
import DriftStore
import Foundation

extension Driftwatch {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Feed a recorded JSON Lines file of events through the monitor, without Kafka.",
            discussion: """
                For offline investigation: the same windows, statistics and policy as `driftwatch run`, on a file of prediction, feature and label events (one JSON object per line, in any mix, e.g. a topic dump from `kcat -C -t predictions -e`). Each line's stream is recognised by its fields unless --stream says. References come from the state database (store.path), else from each version's first events, as in `run`. Reports, performance reports, alerts and triggers are written as JSON Lines (the bytes `run` publishes) to standard output or --output; progress and a summary go to standard error. At the end of the file, windows still open are closed as if the stream had gone idle.

                Examples:
                  driftwatch replay --from-file incident-2026-11-30.jsonl > reports.jsonl
                  driftwatch replay --from-file predictions.jsonl --output reports.jsonl --record   # then: driftwatch status
                """)

        @OptionGroup var options: CommonOptions

        @Option(name: .customLong("from-file"), help: "The events file (JSON Lines).")
        var path: String

        @Option(help: "Where the outputs go (JSON Lines; default: standard output).")
        var output: String?

        @Option(help: "The stream of every line: predictions, features or labels (default: recognised per line).")
        var stream: String?

        @Flag(help: "Also keep the outputs in the state database's history (status, API, dashboard).")
        var record = false

        func run() async throws {
            let (config, _) = try options.start(label: "driftwatch.replay", defaultLogLevel: .warning)
            var fixed: EventStream?
            if let stream {
                guard let parsed = EventStream(rawValue: stream) else {
                    throw ValidationError("--stream must be predictions, features or labels, got '\(stream)'")
                }
                fixed = parsed
            }
            let store = try StateStore(path: config.storePath)
            let references = try store.all()
            var replay = FileReplay(config: config, references: references, stream: fixed)
            let sink: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil) else {
                    throw ValidationError("cannot create the output file '\(output)'")
                }
                sink = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            } else {
                sink = FileHandle.standardOutput
            }
            let started = Date()
            var history: [StateStore.HistoryRecord] = []
            var pending = Data()
            let summary = try replay.run(path: path) { output, json in
                pending.append(contentsOf: json)
                pending.append(0x0A)
                if pending.count > 1 << 20 {
                    sink.write(pending)
                    pending.removeAll(keepingCapacity: true)
                }
                if record, let entry = StateStore.HistoryRecord(output, body: json) { history.append(entry) }
            } progress: { done, total in
                let megabytes = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1_048_576) }
                standardError("replay  \(total == 0 ? 100 : done * 100 / total) %  (\(megabytes(done)) of \(megabytes(total)))")
            }
            sink.write(pending)
            if record { try store.record(history: history) }

            let seconds = Date().timeIntervalSince(started)
            let events = summary.events.values.reduce(0, +)
            standardError("""
                replayed \(summary.lines) lines in \(String(format: "%.2f", seconds)) s: \(summary.events[.predictions] ?? 0) predictions, \
                \(summary.events[.features] ?? 0) feature events, \(summary.events[.labels] ?? 0) labels, \(summary.undecodable) undecodable \
                (\(Int(Double(events) / max(seconds, 1e-9))) events/s)
                  \(summary.windowReports) window reports (\(summary.driftedWindows) drifted), \(summary.performanceReports) performance \
                reports, \(summary.alerts) alerts, \(summary.triggers) triggers\(output.map { " → \($0)" } ?? "")\
                \(record ? "\n  kept in \(config.storePath): see `driftwatch status`" : "")
                """)
            for problem in summary.problems { standardError("  \(path):\(problem.line): \(problem.message)") }
            if summary.undecodable > summary.problems.count {
                standardError("  … and \(summary.undecodable - summary.problems.count) more undecodable lines")
            }
        }
    }
}

func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
