import ArgumentParser
import DriftApp
import DriftCompare
import DriftCore
import DriftStore
import Foundation

extension Driftwatch {
    struct Reference: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build and list the reference profiles windows are compared with.",
            subcommands: [Build.self, List.self])

        struct Build: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Build a model version's reference from a training file and store it.",
                discussion: """
                      Reads a CSV file (header row) or JSON Lines (one object per line, flat or shaped like a
                      prediction event) and stores the profile in the state database (`store.path`): per numeric
                      feature a sorted sample of at most 10 000 values plus PSI bin edges and counts of all values,
                      per categorical feature its category counts, the prediction column's profile and the multivariate
                      model of the rows (reconstruction error, domain classifier). With --label, the scores beside
                      their 0/1 labels calibrate performance estimation (CBPE): windows then estimate accuracy,
                      precision, recall, F1 and ROC AUC before their labels arrive. The running
                      monitor reads stored references at start-up; publish a model.deployments event to switch a
                      running monitor.

                      Example:
                      driftwatch reference build --model fraud --model-version 8 --from data/train.csv --label is_fraud
                    """)

            @OptionGroup var options: CommonOptions

            @Option(help: "Model id.")
            var model: String

            // Not `--version`: the root command's --version flag (the tool's version) is on every subcommand.
            @Option(name: .customLong("model-version"), help: "Model version the reference belongs to.")
            var version: String

            @Option(name: .customLong("from"), help: "Training data: .csv, .jsonl or .ndjson.")
            var path: String

            @Option(help: "Column holding the model's output (profiled as the prediction).")
            var predictionColumn = "prediction"

            @Option(
                help:
                    "Column holding the true outcome (0/1 or true/false): calibrates performance estimation on the scores."
            )
            var label: String?

            @Option(
                help:
                    "Extra columns to leave out (comma separated); request_id, timestamp, label and the like always are."
            )
            var ignore = ""

            @OptionGroup(title: "CSV files") var csv: CSVOptions

            func run() async throws {
                let (config, _) = try options.start(label: "driftwatch.reference")
                var build = ReferenceFile.Options(version: version)
                build.predictionColumn = predictionColumn
                build.ignored.formUnion(ignore.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                build.psiBins = (config.models[model] ?? config.monitor).psiBins
                build.labelColumn = label
                build.threshold = (config.models[model] ?? config.monitor).labels.threshold
                build.csv = csv.readOptions()
                let started = Date()
                // Progress on standard error for files that take more than a moment (every 10 %).
                var shown = -1
                let profile = try ReferenceFile.build(path: path, options: build) { done, total in
                    let percent = total == 0 ? 100 : done * 100 / total
                    guard total > 16 << 20, percent / 10 > shown else { return }
                    shown = percent / 10
                    standardError("reading \(path): \(percent) % of \(total >> 20) MB")
                }
                let store = try StateStore(path: config.storePath)
                try store.save(profile, model: model)
                let numeric = profile.features.values.filter { if case .numeric = $0 { true } else { false } }.count
                print(
                    """
                    stored reference \(model) version \(version) in \(config.storePath)
                      \(profile.eventCount) rows, \(profile.features.count) features (\(numeric) numeric, \
                    \(profile.features.count - numeric) categorical), prediction: \(profile.prediction.map(Self.kind) ?? "none")
                      multivariate: \(profile.multivariate.map { "\($0.model.components.count) of \($0.names.count) components explain \(Int(($0.model.explainedVariance * 100).rounded())) % of the variance" } ?? "none (fewer than two rows with values)")
                      estimation: \(profile.estimation.map { "calibrated on \($0.count) labelled scores (reference accuracy \(String(format: "%.3f", $0.referenceAccuracy)))" } ?? "none (no --label)")
                      took \(String(format: "%.2f", Date().timeIntervalSince(started))) s
                    """)
            }

            static func kind(_ feature: ReferenceProfile.Feature) -> String {
                if case .numeric = feature { "numeric" } else { "categorical" }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List the stored references.",
                discussion: "Example:\n  driftwatch reference list --config config/driftwatch.yaml")

            @OptionGroup var options: CommonOptions

            func run() async throws {
                let (config, _) = try options.start(label: "driftwatch.reference")
                let summaries = try StateStore(path: config.storePath).summaries()
                guard !summaries.isEmpty else {
                    print("no references in \(config.storePath) (build one with `driftwatch reference build`)")
                    return
                }
                let widths = [16, 10, 12, 10, 10]
                print(Table.line(["model", "version", "source", "events", "features", "stored at"], widths: widths))
                for row in summaries {
                    print(
                        Table.line(
                            [
                                row.model, row.version, row.source, String(row.events), String(row.features),
                                row.storedAt,
                            ], widths: widths))
                }
            }
        }
    }
}
