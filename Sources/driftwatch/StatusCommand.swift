import ArgumentParser
import DriftApp
import DriftConfig
import DriftCore
import DriftStore
import Foundation

extension Driftwatch {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "The instance's partitions and lag; per model: the latest windows, top drift scores, alerts, triggers.",
            discussion: """
                Reads the state database (store.path) that `driftwatch run`, `demo` and `replay --record` keep their published outputs in; it works while the monitor runs, from another terminal. --watch redraws every few seconds.

                Examples:
                  driftwatch status
                  driftwatch status --watch 2 --windows 5
                  driftwatch status --config config/demo.yaml --store .driftwatch/demo/1764567890.sqlite
                """)

        @OptionGroup var options: CommonOptions

        @Option(help: "The state database (default: the configuration's store.path).")
        var store: String?

        @Option(help: "Windows per model to show.")
        var windows = 3

        @Option(help: "Redraw every this many seconds until Ctrl-C.")
        var watch: Double?

        func run() async throws {
            let (config, _) = try options.start(label: "driftwatch.status", defaultLogLevel: .warning)
            let path = store ?? config.storePath
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no state database at \(path): start the monitor first, or pass --store PATH")
            }
            let database = try StateStore(path: path)
            guard let watch else {
                print(try render(database, path: path, config: config))
                return
            }
            while !Task.isCancelled {
                let screen = try render(database, path: path, config: config)
                print("\u{1B}[H\u{1B}[2J" + screen + "\n(every \(watch) s; Ctrl-C stops)")
                try await Task.sleep(for: .milliseconds(Int(max(watch, 0.2) * 1000)))
            }
        }

        private func render(_ store: StateStore, path: String, config: DriftwatchConfig) throws -> String {
            let summaries = try store.historySummaries()
            let instance = try store.instanceStatus().map { "instance: " + $0.summary }
            guard !summaries.isEmpty else {
                return (instance.map { $0 + "\n" } ?? "") + "no window reported yet in \(path)"
            }
            let outcomes = try store.triggerOutcomes()
            var lines: [String] = []
            for summary in summaries {
                func newest<Output: Decodable>(_ kind: StateStore.HistoryKind, as type: Output.Type, _ count: Int = 1)
                    throws -> [Output]
                {
                    try store.history(type, .init(kinds: [kind], model: summary.model, limit: count))
                }
                let reports = try newest(.window, as: WindowReport.self, windows)
                let performance = try newest(.performance, as: PerformanceReport.self).last
                let trigger = try newest(.trigger, as: RetrainTrigger.self).last
                let alert = try newest(.alert, as: Alert.self).last
                let version = reports.last?.modelVersion ?? "?"
                lines.append("")
                lines.append(
                    "\(summary.model)  version \(version) · \(summary.windows) windows · \(summary.alerts) alerts · \(summary.triggers) triggers"
                )
                for report in reports {
                    let top = report.features.sorted { ($0.psi?.value ?? 0) > ($1.psi?.value ?? 0) }.prefix(3)
                        .map { "\($0.name) \(String(format: "%.3f", $0.psi?.value ?? 0))\($0.drifted ? "*" : "")" }
                    lines.append(
                        Table.line(
                            [
                                "  \(Self.clock(report.window.start))–\(Self.clock(report.window.end))",
                                "v\(report.modelVersion)",
                                "\(report.counts.events) ev", report.status.rawValue.uppercased(),
                                "PSI " + top.joined(separator: ", "),
                            ],
                            widths: [22, 8, 10, 20]))
                }
                if let metrics = performance?.metrics {
                    let value =
                        metrics.accuracy.map { "accuracy \(String(format: "%.3f", $0))" }
                        ?? metrics.mae.map { "MAE \(String(format: "%.3f", $0))" } ?? "no metric"
                    lines.append("  labels: \(value) for the window ending \(Self.clock(performance!.window.end))")
                }
                if let alert {
                    lines.append(
                        "  last alert: \(alert.data.rule) (\(alert.data.severity.rawValue)), window ending \(Self.clock(alert.data.window.end))"
                    )
                }
                if let trigger {
                    let outcome =
                        outcomes[trigger.id].map { $0.outcome + ($0.resultVersion.map { " → v\($0)" } ?? "") }
                        ?? "pending"
                    lines.append(
                        "  last trigger: \(trigger.data.rule), window ending \(Self.clock(trigger.data.window.end)): \(outcome)"
                    )
                }
            }
            return "driftwatch status · \(path) · * drifted" + (instance.map { "\n" + $0 } ?? "")
                + lines.joined(separator: "\n")
        }

        /// `2026-12-01T05:49:00.000Z` → `05:49:00` (dates are in the reports).
        static func clock(_ rfc3339: String) -> String {
            guard let t = rfc3339.firstIndex(of: "T") else { return rfc3339 }
            return String(rfc3339[rfc3339.index(after: t)...].prefix(8))
        }
    }
}
