import ArgumentParser

@main
struct Driftwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftwatch",
        abstract: "Real-time drift monitoring for ML models on Kafka.",
        discussion: """
            Consumes prediction, feature and label events, compares every event-time window of each model version with that version's reference (PSI, Kolmogorov-Smirnov, chi-squared, Jensen-Shannon), applies the policy and publishes window and performance reports, alerts and retraining triggers. driftwatch-trainer closes the loop.

            Quick start (broker on 127.0.0.1:19092 from scripts/broker):
              driftwatch topics apply
              driftwatch run --config config/driftwatch.yaml
              driftwatch generate --drift-after 6000
            or everything at once, with the dashboard kept up afterwards:
              driftwatch demo --linger              # http://127.0.0.1:9464/
            While a monitor runs: driftwatch status --watch 2, curl 127.0.0.1:9464/metrics.
            Offline: driftwatch replay --from-file events.jsonl, driftwatch compare, driftwatch config check.
            """,
        version: "0.1.0",
        subcommands: [
            Run.self, Demo.self, Status.self, Replay.self, Generate.self, Compare.self, Reference.self, Models.self,
            Topics.self,
            Verify.self, Config.self,
        ]
    )
}
