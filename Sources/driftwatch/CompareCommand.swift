import ArgumentParser
import DriftApp
import DriftCore
import DriftStats
import Foundation

extension Driftwatch {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two CSV files column by column: an offline drift report.",
            discussion: """
                Both files need a header row with the same column names. Columns holding only numbers (in both files) are numeric and get Kolmogorov-Smirnov (as scipy.stats.ks_2samp), PSI, Wasserstein (raw and divided by the reference's standard deviation, as Evidently) and Jensen-Shannon; the others are categorical and get chi-squared, PSI, Jensen-Shannon and the unseen-category rate. Empty cells, NA, NaN and null are missing.

                Each column gets a verdict by the decision mode (the monitor's rule for windows): `calibrated` (default) drifts when the two-sample test (KS; chi-squared of homogeneity for categories) is significant at the false-alarm rate AND the effect (normed Wasserstein; Jensen-Shannon) reaches the minimum effect; `thresholds` when PSI or the KS statistic reaches 0.2; `evidently` as Evidently 0.7's default. Columns with fewer values than the minimum get `too_few_values`. The files drift when at least the drift share of the columns with a verdict drift.

                Exit codes: 0 no dataset drift (or no --fail-on-drift), 1 dataset drift with --fail-on-drift, 2 bad input or usage.

                Examples:
                  driftwatch compare --reference train.csv --current last_week.csv
                  driftwatch compare --reference train.csv --current today.csv --fail-on-drift     # a CI gate
                  driftwatch compare --reference a.csv --current b.csv --format json --decision evidently
                """)

        @Option(help: "The reference CSV (for example the training data).")
        var reference: String

        @Option(help: "The current CSV (for example recent production inputs).")
        var current: String

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        @Option(help: "PSI convention: reference-quantiles (reference deciles as edges) or evidently (Sturges bins over both).")
        var psiConvention: PopulationStabilityIndex.Convention = .referenceQuantiles

        @Option(help: "PSI bins for the reference-quantiles convention.")
        var psiBins = PopulationStabilityIndex.defaultBins

        @Option(help: "Decision mode: calibrated, thresholds or evidently (default: the config's drift.decision, else calibrated).")
        var decision: DriftDecision.Mode?

        @Option(help: "Calibrated: false-alarm rate per column (default 0.01).")
        var falseAlarmRate: Double?

        @Option(help: "Calibrated: the smallest effect that counts, normed Wasserstein or Jensen-Shannon (default 0.1).")
        var minEffect: Double?

        @Option(help: "KS p-value method as scipy names it: auto, exact or asymp (default auto).")
        var ksMethod: KolmogorovSmirnov.PValueMethod?

        @Option(help: "Fewest values a column needs for a verdict (the monitor's drift.min_window_events; default 30).")
        var minValues: Int?

        @Option(help: "Share of columns that must drift for the dataset to drift (default 0.5, as Evidently).")
        var driftShare: Double?

        @Flag(help: "Exit with code 1 when the dataset drifts (for CI jobs).")
        var failOnDrift = false

        @Option(name: .shortAndLong, help: "Configuration file for the drift settings (optional; the options above win).")
        var config: String?

        enum OutputFormat: String, ExpressibleByArgument {
            case text, json
        }

        func validate() throws {
            guard psiBins >= 2 && psiBins <= 1000 else { throw ValidationError("--psi-bins must be between 2 and 1000") }
            if let falseAlarmRate, !(falseAlarmRate > 0 && falseAlarmRate <= 0.5) {
                throw ValidationError("--false-alarm-rate must be in (0, 0.5], got \(falseAlarmRate)")
            }
            if let minEffect, !(minEffect >= 0) { throw ValidationError("--min-effect must be ≥ 0, got \(minEffect)") }
            if let minValues, minValues < 1 { throw ValidationError("--min-values must be ≥ 1, got \(minValues)") }
            if let driftShare, !(0...1).contains(driftShare) {
                throw ValidationError("--drift-share must be between 0 and 1, got \(driftShare)")
            }
        }

        func run() throws {
            do {
                try compare()
            } catch let exit as ExitCode {
                throw exit
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }

        private func compare() throws {
            var settings = DatasetComparison.Settings()
            settings.psiConvention = psiConvention
            settings.psiBins = psiBins
            if let config {
                settings.policy = try ConfigLoader.load(path: config).monitor.policy
            }
            if let decision { settings.policy.decision.mode = decision }
            if let falseAlarmRate { settings.policy.decision.falseAlarmRate = falseAlarmRate }
            if let minEffect { settings.policy.decision.minimumEffect = minEffect }
            if let ksMethod { settings.policy.decision.ksMethod = ksMethod }
            if let minValues { settings.policy.minimumWindowEvents = minValues }
            if let driftShare { settings.policy.datasetDriftShare = driftShare }
            let comparison = DatasetComparison(settings: settings)
            let results = try comparison.compare(referencePath: reference, currentPath: current)
            let verdict = comparison.verdict(results)
            switch format {
            case .text:
                print(ComparisonTable.render(results, verdict: verdict))
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let report = DatasetComparison.Report(dataset: verdict, columns: results)
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            }
            if failOnDrift && verdict.drift { throw ExitCode(1) }
        }
    }
}

extension PopulationStabilityIndex.Convention: ExpressibleByArgument {}
extension DriftDecision.Mode: ExpressibleByArgument {}
extension KolmogorovSmirnov.PValueMethod: ExpressibleByArgument {}
