import ArgumentParser
import DriftApp
import Foundation

extension Driftwatch {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the output topics against a replay of the input topics.",
            discussion: """
                Reads the configured input topics from the beginning, computes what one uninterrupted monitor \
                publishes (the idle timeout must be off) and compares with the report, trigger and dead-letter \
                topics: every expected id present, every copy of an id identical, nothing unexpected, every \
                undecodable input dead-lettered. Exits 1 on a failure. Used by scripts/fault-test.

                Example:
                  driftwatch verify --config run.yaml --wait 120
                """)

        @OptionGroup var options: CommonOptions

        @Option(help: "Keep checking for up to this many seconds while the monitors catch up.")
        var wait = 0

        func run() async throws {
            let (config, logger) = try options.start(label: "driftwatch.verify", defaultLogLevel: .warning)
            guard config.monitor.idleTimeout == nil else {
                throw ValidationError(
                    "\(config.source): window.idle_timeout must be 0s for verify (wall-clock ticks cannot be replayed)")
            }
            let deadline = ContinuousClock.now + .seconds(wait)
            var result = try await OutputVerifier(config: config, logger: logger).verify()
            while !result.passed && ContinuousClock.now < deadline {
                try await Task.sleep(for: .seconds(3))
                result = try await OutputVerifier(config: config, logger: logger).verify()
            }
            print(result)
            if !result.passed { throw ExitCode.failure }
        }
    }
}
