import ArgumentParser
import DriftApp
import Foundation

extension Driftwatch {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the closed loop against the broker: traffic, monitor, trainer and a watcher that prints it all.",
            discussion: """
                Creates topics of its own for this run and streams predictions with their labels for three models, drift injected into the chosen ones. The monitor reports windows and accuracy and requests retraining; the trainer (driftwatch-trainer's service, in-process) retrains on the drifted window's labelled events and deploys version N+1; traffic pauses until then and resumes served by the new version, whose windows are compared with its own reference. Every report, alert, trigger and deployment is printed as it arrives, then a summary. Exits non-zero if a drifted model got no trigger, no new version or an unhealthy one, or an undrifted model got a trigger.

                Uses config/demo.yaml unless --config says otherwise (labels on, k-of-n drift rule, accuracy alert).

                Examples:
                  driftwatch demo
                  driftwatch demo --events-per-model 8000 --drift-after 3000 --rate 0
                """)

        @OptionGroup var options: CommonOptions
        @OptionGroup var traffic: TrafficOptions

        @Option(help: "Events per model once the new versions serve (after the pause for the trainer).")
        var eventsAfterDeployment = 4_800

        @Option(help: "Topic definitions (YAML).")
        var definitions = "topics/topics.yaml"

        func run() async throws {
            let (config, logger) = try options.start(
                label: "driftwatch.demo", defaultLogLevel: .warning, defaultConfig: "config/demo.yaml")
            var demo = DemoRun(config: config, definitionsPath: definitions, traffic: traffic.settings)
            demo.eventsAfterDeployment = eventsAfterDeployment
            let summary = try await demo.run(logger: logger) { line in print(line) }

            let (table, surprises) = demo.verdict(summary)
            print("")
            table.forEach { print($0) }
            if !surprises.isEmpty {
                print("unexpected: " + surprises.joined(separator: "; "))
                throw ExitCode.failure
            }
        }
    }
}
