import ArgumentParser
import DriftApp
import DriftStore
import Foundation

extension Driftwatch {
    struct Models: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the model registry: versions, their status and the triggers behind them.",
            subcommands: [List.self, Show.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "One line per registered model version.",
                discussion: "Example:\n  driftwatch models list --config config/driftwatch.yaml")

            @OptionGroup var options: CommonOptions

            func run() async throws {
                let (config, _) = try options.start(label: "driftwatch.models", defaultLogLevel: .warning)
                let versions = try StateStore(path: config.storePath).versions()
                guard !versions.isEmpty else {
                    print("no registered versions in \(config.storePath) (the trainer registers them)")
                    return
                }
                print(
                    Table.line(
                        ["model", "version", "status", "parent", "created", "metrics"], widths: [14, 9, 10, 8, 26]))
                for version in versions {
                    print(
                        Table.line(
                            [
                                version.model, version.version, version.status.rawValue, version.parentVersion ?? "-",
                                version.createdAt, version.metrics,
                            ], widths: [14, 9, 10, 8, 26]))
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "A model's versions, references and triggers.",
                discussion: "Example:\n  driftwatch models show fraud")

            @OptionGroup var options: CommonOptions

            @Argument(help: "Model id.")
            var model: String

            func run() async throws {
                let (config, _) = try options.start(label: "driftwatch.models", defaultLogLevel: .warning)
                let store = try StateStore(path: config.storePath)
                print("model \(model)")
                print("\nversions")
                for version in try store.versions(model: model) {
                    print(
                        "  \(version.version)  \(version.status.rawValue)  from \(version.parentVersion ?? "-")"
                            + "  trained on \(version.trainingFrom ?? "?") … \(version.trainingTo ?? "?")  \(version.metrics)"
                            + "  trigger \(version.triggerID ?? "-")")
                }
                print("\nreferences")
                for summary in try store.summaries() where summary.model == model {
                    print(
                        "  \(summary.version)  \(summary.source)  \(summary.events) events, \(summary.features) features"
                    )
                }
                print("\ntriggers")
                for trigger in try store.triggers(model: model) {
                    print("  \(trigger.id)  \(trigger.outcome)\(trigger.resultVersion.map { " → \($0)" } ?? "")")
                }
            }
        }
    }
}

/// Fixed-width columns for CLI tables; the last column is not padded.
enum Table {
    static func line(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).map(padded).joined()
            + (cells.count > widths.count ? cells[widths.count...].joined(separator: " ") : "")
    }
}
