import ArgumentParser
import DriftApp
import DriftKafka
import Foundation

extension Driftwatch {
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Produce realistic prediction events (and labels) for the demo models, with injected drift.",
            discussion: """
                Writes to the configured predictions topic (with --labels, each prediction's label to the labels topic, 2 s later in event time), keyed by model. Event time starts now and advances by a Poisson stream per model, so windows fill faster than wall-clock time.

                Example:
                  driftwatch generate --events-per-model 20000 --drift-after 8000 --drift-models fraud,eta --labels
                """)

        @OptionGroup var options: CommonOptions
        @OptionGroup var traffic: TrafficOptions

        @Flag(help: "Also produce each prediction's label (ground truth) to the labels topic.")
        var labels = false

        func run() async throws {
            var (config, logger) = try options.start(label: "driftwatch.generate")
            if traffic.largeEvery > 0 && config.producerMessageMaxBytes < 12_000_000 {
                config.kafka.producerProperties["message.max.bytes"] = "12000000"  // room for the 10 MB messages
            }
            let producer = try KafkaProducer(configuration: config.producerConfiguration, logger: logger)
            let milestones = ProgressMilestones(total: traffic.eventsPerModel * TrafficGenerator.modelNames.count)
            var settings = traffic.settings
            settings.maximumMessageBytes = config.input.maximumMessageBytes
            settings.labels = labels
            var generator = TrafficGenerator(settings: settings)
            let topics = TrafficGenerator.Topics(predictions: config.topics.predictions, labels: config.topics.labels)
            try await generator.run(producer: producer, topics: topics) { sent, total in
                if let percent = milestones.crossed(sent) { print("\(percent) % sent (\(sent)/\(total) events)") }
            }
            try await producer.close()
        }
    }
}
