import ArgumentParser
import DriftApp
import Foundation
import Synchronization

extension Driftwatch {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run the closed loop against the broker: traffic, monitor, trainer and a watcher that prints it all.",
            discussion: """
                Creates topics of its own for this run and streams predictions with their labels for three models, drift injected into the chosen ones. The monitor reports windows and accuracy and requests retraining; the trainer (driftwatch-trainer's service, in-process) retrains on the drifted window's labelled events and deploys version N+1; traffic pauses until then and resumes served by the new version, whose windows are compared with its own reference. Every report, alert, trigger and deployment is printed as it arrives, then a summary. Exits non-zero if a drifted model got no trigger, no new version or an unhealthy one, or an undrifted model got a trigger.

                Uses config/demo.yaml unless --config says otherwise (labels on, k-of-n drift rule, accuracy alert). The dashboard is served at http://127.0.0.1:9464/ while it runs (--http); --linger keeps it up afterwards.

                Examples:
                  driftwatch demo
                  driftwatch demo --linger                       # then open http://127.0.0.1:9464/
                  driftwatch demo --events-per-model 8000 --drift-after 3000 --rate 0 --http off
                """)

        @OptionGroup var options: CommonOptions
        @OptionGroup var traffic: TrafficOptions

        @Option(help: "Events per model once the new versions serve (after the pause for the trainer).")
        var eventsAfterDeployment = 4_800

        @Option(help: "Topic definitions (YAML).")
        var definitions = "topics/topics.yaml"

        @OptionGroup var serving: HTTPOptions

        @Flag(help: "Keep the monitor and the dashboard running after the demo, until Ctrl-C.")
        var linger = false

        func run() async throws {
            MallocArenas.limit()
            var (config, logger) = try options.start(
                label: "driftwatch.demo", defaultLogLevel: .warning, defaultConfig: "config/demo.yaml")
            try serving.apply(to: &config)
            var demo = DemoRun(config: config, definitionsPath: definitions, traffic: traffic.settings)
            demo.eventsAfterDeployment = eventsAfterDeployment
            demo.linger = linger
            if config.http != nil {
                _ = Observability.factory  // Before the pipeline is made: its metrics go to /metrics.
                demo.sidecar = { [logger] pipeline, runConfig in
                    let server = try Observability.server(for: pipeline, config: runConfig, logger: logger) { url in
                        emit("dashboard  \(url)  (metrics: \(url)metrics, API: \(url)api/models)")
                    }
                    try await server?.runUntilCancelled()
                }
            }
            let verdict = Mutex<[String]>([])
            let run = demo
            _ = try await run.run(logger: logger, print: emit) { summary in
                let (table, surprises) = run.verdict(summary)
                emit("")
                for line in table { emit(line) }
                if !surprises.isEmpty { emit("unexpected: " + surprises.joined(separator: "; ")) }
                verdict.withLock { $0 = surprises }
            }
            if !verdict.withLock({ $0 }).isEmpty { throw ExitCode.failure }
        }
    }
}

/// Writes a line to standard output at once (print buffers when the output is a file or a pipe).
private func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
