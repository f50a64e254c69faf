import ArgumentParser
import DriftApp
import DriftConfig
import Foundation

extension Driftwatch {
    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate configuration files.",
            subcommands: [Check.self])

        struct Check: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print every problem of a configuration, each as file:line:column: message.",
                discussion: """
                    Checks everything `driftwatch run` would refuse: YAML syntax, unknown keys, wrong types, values out of range, rules that cannot work (performance rules without labels), librdkafka properties librdkafka rejects and the environment overrides (DRIFTWATCH_BROKERS, DRIFTWATCH_HTTP_ADDRESS, …). Problems in one section do not hide those in the next. Exits 1 when there is any.

                    Examples:
                      driftwatch config check
                      driftwatch config check config/demo.yaml deploy/prod.yaml
                    """)

            @Argument(help: "Configuration files (default: config/driftwatch.yaml).")
            var files: [String] = []

            func run() async throws {
                var failed = false
                for file in files.isEmpty ? ["config/driftwatch.yaml"] : files {
                    let problems = ConfigLoader.check(path: file)
                    if problems.isEmpty {
                        let config = try ConfigLoader.load(path: file)
                        let rules = config.monitor.policy.effectiveRules.count
                        print(
                            "\(file): OK (\(config.models.count) models with settings of their own, \(rules) default rules, brokers \(config.kafka.brokers))"
                        )
                    } else {
                        failed = true
                        for problem in problems { print(problem) }
                        print("\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s")")
                    }
                }
                if failed { throw ExitCode.failure }
            }
        }
    }
}
