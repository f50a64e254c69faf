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
            let (config, _, source) = try options.startReporting(label: "driftwatch.replay", defaultLogLevel: .warning)
            standardError("configuration: \(source)")
            var fixed: EventStream?
            if let stream {
                guard let parsed = EventStream(rawValue: stream) else {
                    throw ValidationError("--stream must be predictions, features or labels, got '\(stream)'")
                }
                fixed = parsed
            }
            // Without --record nothing is written: an existing database is only read for its references.
            let store =
                record || FileManager.default.fileExists(atPath: config.storePath)
                ? try StateStore(path: config.storePath) : nil
            let references = try store?.all() ?? []
            standardError(
                store == nil
                    ? "references: none stored (no \(config.storePath)); each version's first events become its reference"
                    : "references: \(references.count) from \(config.storePath)")
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
            var progress = ProgressLine(label: "replay")
            let summary = try replay.run(path: path) { output, json in
                pending.append(contentsOf: json)
                pending.append(0x0A)
                if pending.count > 1 << 20 {
                    sink.write(pending)
                    pending.removeAll(keepingCapacity: true)
                }
                if record, let entry = StateStore.HistoryRecord(output, body: json) { history.append(entry) }
            } progress: { done, total in
                progress.show(done: done, total: total)
            }
            progress.finish()
            sink.write(pending)
            if record, let store { try store.record(history: history) }

            let seconds = Date().timeIntervalSince(started)
            let events = summary.events.values.reduce(0, +)
            standardError(
                """
                replayed \(summary.lines) lines in \(String(format: "%.2f", seconds)) s: \(summary.events[.predictions] ?? 0) predictions, \
                \(summary.events[.features] ?? 0) feature events, \(summary.events[.labels] ?? 0) labels, \(summary.undecodable) undecodable \
                (\(Int(Double(events) / max(seconds, 1e-9))) events/s)
                  \(summary.windowReports) window reports (\(summary.driftedWindows) drifted), \(summary.performanceReports) performance \
                reports, \(summary.alerts) alerts, \(summary.triggers) triggers\(output.map { " → \($0)" } ?? "")\
                \(record ? "\n  kept in \(config.storePath): see `driftwatch status`" : "")
                """)
            for (model, entry) in summary.models.sorted(by: { $0.key < $1.key }) {
                let features = entry.mostDrifted(3).map { "\($0.name) (\($0.windows))" }.joined(separator: ", ")
                standardError(
                    "  \(model): \(entry.windows) windows, \(entry.driftedWindows) drifted"
                        + (features.isEmpty ? "" : "; most drifted: \(features)")
                        + (entry.accuracy.map {
                            "; accuracy " + String(format: "%.3f", $0) + " over \(entry.labelled) labels"
                        } ?? "")
                        + (entry.performanceReports > 0 ? " (\(entry.performanceReports) performance reports)" : ""))
            }
            for problem in summary.problems { standardError("  \(path):\(problem.line): \(problem.message)") }
            if summary.undecodable > summary.problems.count {
                standardError("  … and \(summary.undecodable - summary.problems.count) more undecodable lines")
            }
        }
    }
}

/// Progress on standard error: one line rewritten in place on a terminal, else a line every few seconds (logs).
struct ProgressLine {
    let label: String
    let terminal = isatty(STDERR_FILENO) == 1
    private var lastShown = Date.distantPast
    private var shownOnTerminal = false

    init(label: String) { self.label = label }

    mutating func show(done: Int, total: Int) {
        let now = Date()
        guard now.timeIntervalSince(lastShown) >= (terminal ? 0.2 : 5) else { return }
        lastShown = now
        let megabytes = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1_048_576) }
        let line = "\(label)  \(total == 0 ? 100 : done * 100 / total) %  (\(megabytes(done)) of \(megabytes(total)))"
        if terminal {
            FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8))
            shownOnTerminal = true
        } else {
            standardError(line)
        }
    }

    /// Ends the rewritten line so what follows starts on its own.
    mutating func finish() {
        if shownOnTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shownOnTerminal = false
    }
}

func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
