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
                  driftwatch generate --labels --label-share 0.8 --label-delay 2000-20000 --features-share 0.3
                """)

        @OptionGroup var options: CommonOptions
        @OptionGroup var traffic: TrafficOptions

        @Flag(help: "Also produce each prediction's label (ground truth) to the labels topic.")
        var labels = false

        @Option(help: "With --labels: the share of predictions that get a label (0 to 1).")
        var labelShare = 1.0

        @Option(
            help: ArgumentHelp(
                "With --labels: event time from a prediction to its label, in ms: one value or a range 'MIN-MAX'.",
                valueName: "ms"))
        var labelDelay = "2000"

        @Option(help: "The share of predictions sent without features, their features on the features topic (0 to 1).")
        var featuresShare = 0.0

        func validate() throws {
            guard (0...1).contains(labelShare) else { throw ValidationError("--label-share must be between 0 and 1") }
            guard (0...1).contains(featuresShare) else {
                throw ValidationError("--features-share must be between 0 and 1")
            }
            _ = try delayRange()
        }

        /// `--label-delay` as a range of milliseconds.
        func delayRange() throws -> ClosedRange<Int64> {
            let parts = labelDelay.split(separator: "-", omittingEmptySubsequences: false).map {
                Int64($0.trimmingCharacters(in: .whitespaces))
            }
            guard parts.count <= 2, let low = parts.first ?? nil, let high = parts.last ?? nil, low >= 0, low <= high
            else {
                throw ValidationError(
                    "--label-delay '\(labelDelay)': give milliseconds, e.g. 2000, or a range, e.g. 2000-20000")
            }
            return low...high
        }

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
            settings.labelShare = labelShare
            settings.labelDelay = try delayRange()
            settings.featuresShare = featuresShare
            var generator = TrafficGenerator(settings: settings)
            let topics = TrafficGenerator.Topics(
                predictions: config.topics.predictions, labels: config.topics.labels, features: config.topics.features)
            try await generator.run(producer: producer, topics: topics) { sent, total in
                if let percent = milestones.crossed(sent) { print("\(percent) % sent (\(sent)/\(total) events)") }
            }
            try await producer.close()
        }
    }
}
