import ArgumentParser
import DriftApp
import DriftConfig
import DriftKafka

extension Driftwatch {
    struct Topics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage Driftwatch's Kafka topics.", subcommands: [Apply.self])

        struct Apply: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create the topics of topics/topics.yaml (existing ones are left as they are).",
                discussion: """
                      Names come from the config's `topics` section; partitions and topic configs from the
                      definitions file.

                      Example:
                      driftwatch topics apply --config config/driftwatch.yaml --definitions topics/topics.yaml
                    """)

            @OptionGroup var options: CommonOptions

            @Option(help: "Topic definitions (YAML).")
            var definitions = "topics/topics.yaml"

            func run() async throws {
                let (config, logger) = try options.start(label: "driftwatch.topics")
                let specs = try TopicCatalog.load(path: definitions, names: config.topics)
                let admin = try KafkaAdmin(configuration: config.clientConfiguration, logger: logger)
                var failed = false
                for result in try await admin.createTopics(specs) {
                    switch result.outcome {
                    case .created: print("created         \(result.name)")
                    case .alreadyExists: print("already exists  \(result.name)")
                    case .failed(let reason):
                        failed = true
                        print("FAILED          \(result.name): \(reason)")
                    }
                }
                if failed { throw ExitCode.failure }
            }
        }
    }
}
