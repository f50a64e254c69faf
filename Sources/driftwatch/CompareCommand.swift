import ArgumentParser
import DriftApp
import DriftCompare
import DriftConfig
import DriftCore
import DriftHTTP
import DriftStats
import Foundation

extension Driftwatch {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two CSV files column by column: an offline drift report.",
            discussion: """
                Both files need a header row with the same column names. Columns holding only numbers (in both files) are numeric and get Kolmogorov-Smirnov (as scipy.stats.ks_2samp), PSI, Wasserstein (raw and divided by the reference's standard deviation, as Evidently) and Jensen-Shannon; the others are categorical and get chi-squared, PSI, Jensen-Shannon and the unseen-category rate.

                Files are read as pandas.read_csv reads them by default, with the differences named in the README: the delimiter (, ; tab |) is detected from the header; UTF-8 with or without BOM, and UTF-16 with a BOM; empty cells and pandas' missing markers (NA, N/A, n/a, NaN, nan, null, NULL, None, <NA>, #N/A, ...) are missing. A column that is mostly numbers but holds some text, or numbers with a comma, is refused with the first such cells: --na-values, --numeric, --categorical or --decimal decide.

                Each column gets a verdict by the decision mode (the monitor's rule for windows): `calibrated` (default) drifts when the two-sample test (KS; chi-squared of homogeneity for categories) is significant at the false-alarm rate AND the effect (normed Wasserstein; Jensen-Shannon) reaches the minimum effect; `thresholds` when PSI or the KS statistic reaches its threshold; `evidently` as Evidently 0.7's default. Columns with fewer values than the minimum get `too_few_values`. The files drift when at least the drift share of the columns with a verdict drift.

                Exit codes: 0 no dataset drift (or no --fail-on-drift), 1 dataset drift with --fail-on-drift, 2 bad input or usage.

                Examples:
                  driftwatch compare --reference train.csv --current last_week.csv
                  driftwatch compare --reference train.csv --current today.csv --fail-on-drift --ignore 'id,*_at'   # a CI gate
                  driftwatch compare --reference a.csv --current b.csv --format html --output drift.html
                  driftwatch compare --reference a.csv --current b.csv --format markdown >> "$GITHUB_STEP_SUMMARY"
                  driftwatch compare --reference a.csv --current b.csv --format json --decision evidently
                """)

        @Option(help: "The reference CSV (for example the training data).")
        var reference: String

        @Option(help: "The current CSV (for example recent production inputs).")
        var current: String

        @Option(help: "Output format: text, json, markdown or html (one self-contained page).")
        var format: OutputFormat = .text

        @Option(help: "Write the output to this file instead of standard output.")
        var output: String?

        @Option(
            help: ArgumentHelp(
                "Compare only these columns: comma-separated shell globs (id,amount_*).", valueName: "globs"))
        var columns: [String] = []

        @Option(help: ArgumentHelp("Leave these columns out: comma-separated shell globs.", valueName: "globs"))
        var ignore: [String] = []

        @OptionGroup var csv: CSVOptions

        @Option(
            help:
                "PSI convention: reference-quantiles (reference deciles as edges) or evidently (Sturges bins over both)."
        )
        var psiConvention: PopulationStabilityIndex.Convention = .referenceQuantiles

        @Option(
            help: "PSI bins for the reference-quantiles convention (default: the config's drift.psi_bins, else 10).")
        var psiBins: Int?

        @Option(
            help:
                "Decision mode: calibrated, thresholds or evidently (default: the config's drift.decision, else calibrated)."
        )
        var decision: DriftDecision.Mode?

        @Option(help: "Calibrated: false-alarm rate per column (default 0.01).")
        var falseAlarmRate: Double?

        @Option(
            help: "Calibrated: the smallest effect that counts, normed Wasserstein or Jensen-Shannon (default 0.1).")
        var minEffect: Double?

        @Option(help: "Thresholds: PSI at or above this drifts (default 0.2).")
        var psiThreshold: Double?

        @Option(help: "Thresholds: KS statistic at or above this drifts (default 0.2).")
        var ksThreshold: Double?

        @Option(
            help: "Multiple-testing correction of the p-values: none, bonferroni or benjamini-hochberg (default none).")
        var correction: MultipleTesting.Method?

        @Option(help: "KS p-value method as scipy names it: auto, exact or asymp (default auto).")
        var ksMethod: KolmogorovSmirnov.PValueMethod?

        @Option(help: "Fewest values a column needs for a verdict (the monitor's drift.min_window_events; default 30).")
        var minValues: Int?

        @Option(help: "Share of columns that must drift for the dataset to drift (default 0.5, as Evidently).")
        var driftShare: Double?

        @Flag(help: "Exit with code 1 when the dataset drifts (for CI jobs).")
        var failOnDrift = false

        @Option(
            name: .shortAndLong,
            help: "A file of drift settings (the drift and policy.correction keys; the options above win).")
        var config: String?

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case text, json, markdown, html
        }

        func validate() throws {
            if let psiBins, !(2...1000).contains(psiBins) {
                throw ValidationError("--psi-bins must be between 2 and 1000, got \(psiBins)")
            }
            if let falseAlarmRate, !(falseAlarmRate > 0 && falseAlarmRate <= 0.5) {
                throw ValidationError("--false-alarm-rate must be in (0, 0.5], got \(falseAlarmRate)")
            }
            if let minEffect, !(minEffect >= 0 && minEffect.isFinite) {
                throw ValidationError("--min-effect must be ≥ 0, got \(minEffect)")
            }
            if let psiThreshold, !(psiThreshold >= 0 && psiThreshold.isFinite) {
                throw ValidationError("--psi-threshold must be ≥ 0, got \(psiThreshold)")
            }
            if let ksThreshold, !(0...1).contains(ksThreshold) {
                throw ValidationError("--ks-threshold must be between 0 and 1, got \(ksThreshold)")
            }
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
            if let config {
                let monitor = try ConfigLoader.loadComparisonSettings(path: config)
                settings.policy = monitor.policy
                settings.psiBins = monitor.psiBins
            }
            if let psiBins { settings.psiBins = psiBins }
            if let decision { settings.policy.decision.mode = decision }
            if let falseAlarmRate { settings.policy.decision.falseAlarmRate = falseAlarmRate }
            if let minEffect { settings.policy.decision.minimumEffect = minEffect }
            if let psiThreshold { settings.policy.psiThreshold = psiThreshold }
            if let ksThreshold { settings.policy.ksStatisticThreshold = ksThreshold }
            if let correction { settings.policy.correction = correction }
            if let ksMethod { settings.policy.decision.ksMethod = ksMethod }
            if let minValues { settings.policy.minimumWindowEvents = minValues }
            if let driftShare { settings.policy.datasetDriftShare = driftShare }
            settings.csv = csv.readOptions(
                selection: ColumnSelection(include: CSVOptions.list(columns), exclude: CSVOptions.list(ignore)))

            let report = try DatasetComparison(settings: settings).report(
                referencePath: reference, currentPath: current)
            for warning in report.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            for file in [report.reference, report.current] where file.delimiter != "," {
                FileHandle.standardError.write(
                    Data(
                        "note: \(file.path) is read with the delimiter \(file.delimiter == "tab" ? "tab" : "'\(file.delimiter)'")\n"
                            .utf8))
            }
            let text: String
            switch format {
            case .text:
                text = ComparisonTable.render(report.columns, verdict: report.dataset)
            case .markdown:
                text = ComparisonTable.markdown(report)
            case .html:
                text = ComparisonPage.render(report)
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                text = String(decoding: try encoder.encode(report), as: UTF8.self)
            }
            if let output {
                do {
                    try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
                } catch {
                    throw ValidationError("cannot write --output '\(output)': \(error.localizedDescription)")
                }
                FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
            } else {
                print(text)
            }
            if failOnDrift && report.dataset.drift { throw ExitCode(1) }
        }
    }
}

extension PopulationStabilityIndex.Convention: ExpressibleByArgument {}
extension DriftDecision.Mode: ExpressibleByArgument {}
extension KolmogorovSmirnov.PValueMethod: ExpressibleByArgument {}
extension MultipleTesting.Method: ExpressibleByArgument {}
