// Property names are the keys of `compare`'s JSON and pandas' output, snake_case.
// swift-format-ignore-file: AlwaysUseLowerCamelCase

import DriftCore
import DriftStats
import Foundation
import ReferenceLibraries
import Testing

@testable import DriftApp
@testable import DriftCompare
@testable import DriftConfig

@Suite struct CompareTests {
    /// Writes `text` to a fresh temporary file and returns its path.
    func file(_ text: String, _ name: String = "data.csv") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Two CSVs with numeric, categorical, quoted and partly missing columns, drifted in some of them.
    func samplePair() throws -> (String, String) {
        var random = SplitMix64(seed: 99)
        func rows(_ count: Int, shift: Double) -> String {
            var text = "amount,age,country,comment,score\r\n"
            for _ in 0..<count {
                let amount = (random.logNormal(mu: 3 + 2 * shift, sigma: 0.8) * 100).rounded() / 100
                let age = Int(random.unit() * 70) + 18
                let country = random.pick([("DE", 0.4), ("FR", 0.3), ("US", 0.3 - shift / 2), ("BR", shift / 2)])
                let score = random.unit() < 0.05 ? "" : String(format: "%.4f", random.unit())
                text += "\(amount),\(age),\(country),\"plain, \"\"quoted\"\"\",\(score)\r\n"
            }
            return text
        }
        return (try file(rows(3000, shift: 0), "reference.csv"), try file(rows(2500, shift: 0.4), "current.csv"))
    }

    @Test func matchesPandasScipyAndEvidentlyOnTheSameFiles() throws {
        let (reference, current) = try samplePair()
        var settings = DatasetComparison.Settings()
        settings.psiConvention = .evidently
        let results = try DatasetComparison(settings: settings).compare(referencePath: reference, currentPath: current)

        struct Expected: Decodable {
            struct Column: Decodable {
                var column, type: String
                var missing_rate: Double
                var ks_statistic, ks_p_value, psi, wasserstein, wasserstein_normed, jensen_shannon,
                    chi2_p_value: Double?
            }
            var columns: [Column]
        }
        let expected = try JSONDecoder().decode(
            Expected.self, from: ReferenceValues.run("compare", [reference, current])
        ).columns
        #expect(results.map(\.column) == expected.map(\.column))
        for (result, library) in zip(results, expected) {
            #expect(result.type == library.type, "\(result.column)")
            #expect(agrees(result.missing_rate, library.missing_rate, relative: 1e-12), "\(result.column) missing")
            let pairs: [(String, Double?, Double?)] = [
                ("ks", result.ks?.statistic, library.ks_statistic), ("psi", result.psi?.value, library.psi),
                ("wasserstein", result.wasserstein, library.wasserstein),
                ("wasserstein normed", result.wasserstein_normed, library.wasserstein_normed),
                ("jensen-shannon", result.jensen_shannon, library.jensen_shannon),
            ]
            for (what, actual, reference) in pairs {
                #expect((actual == nil) == (reference == nil), "\(result.column) \(what) presence")
                if let actual, let reference {
                    #expect(
                        agrees(actual, reference, relative: 1e-9), "\(result.column) \(what): \(actual) vs \(reference)"
                    )
                }
            }
            #expect((result.chi2 == nil) == (result.type != "categorical"), "\(result.column) chi2 presence")
            for (what, actual, reference) in [
                ("ks p", result.ks?.p_value, library.ks_p_value),
                ("chi2 p", result.chi2?.p_value ?? nil, library.chi2_p_value),
            ] {
                #expect((actual == nil) == (reference == nil), "\(result.column) \(what) presence")
                if let actual, let reference {
                    #expect(
                        agrees(actual, reference, relative: 1e-7), "\(result.column) \(what): \(actual) vs \(reference)"
                    )
                }
            }
        }
        #expect(results.first { $0.column == "amount" }?.drift == true)
        #expect(results.first { $0.column == "age" }?.drift == false)
        #expect(results.first { $0.column == "comment" }?.type == "categorical")
    }

    func failure(_ reference: String, _ current: String) throws -> ConfigError {
        let referencePath = try file(reference, "reference.csv")
        let currentPath = try file(current, "current.csv")
        do {
            _ = try DatasetComparison(settings: .init()).compare(referencePath: referencePath, currentPath: currentPath)
        } catch let error as ConfigError {
            return error
        }
        Issue.record("expected an error")
        return ConfigError(file: "", "")
    }

    @Test func badFilesAreNamedWithLineAndColumn() throws {
        let good = "a,b\n1,x\n2,y\n"
        let empty = try failure("", good)
        #expect(empty.file.hasSuffix("reference.csv") && empty.line == 1 && empty.message.contains("header"))

        let ragged = try failure(good, "a,b\n1,x\n2,y,z\n3,z\n")
        #expect(ragged.file.hasSuffix("current.csv") && ragged.line == 3 && ragged.message.contains("3 fields"))

        let unknown = try failure("a,b,c\n1,x,3\n", good)
        #expect(unknown.file.hasSuffix("reference.csv") && unknown.line == 1 && unknown.column == 3)
        #expect(unknown.message.contains("'c'"))

        let unclosed = try failure(good, "a,b\n1,\"x\n2,y\n")
        #expect(unclosed.line == 2 && unclosed.column == 2 && unclosed.message.contains("never closed"))

        let duplicate = try failure("a,a\n1,2\n", good)
        #expect(duplicate.column == 2 && duplicate.message.contains("twice"))
    }

    @Test func aColumnWithTextInEitherFileIsCategoricalInBoth() throws {
        let reference = try file("code,value\n1,5\n2,6\n3,7\n", "reference.csv")
        let current = try file("code,value\nX1,5\nX9,6\n3,\n", "current.csv")
        let results = try DatasetComparison(settings: .init()).compare(referencePath: reference, currentPath: current)
        #expect(results.map(\.type) == ["categorical", "numeric"])
        #expect(results[0].unseen_rate == 2.0 / 3.0)
        #expect(results[1].missing_rate == 1.0 / 3.0)
    }

    @Test func aMostlyNumericColumnWithTextIsRefusedWithItsCells() throws {
        let error = try failure("code,value\n1,5\n2,6\n3,7\n", "code,value\n1,5\nX9,6\n2,\n")
        #expect(error.file.hasSuffix("current.csv") && error.line == 3 && error.column == 1)
        #expect(error.message.contains("'X9' (line 3)") && error.message.contains("--numeric 'code'"))
    }

    @Test(arguments: ["0", "-12.5", "3.25e-5", "1e22", "123456789012345678901234", "0.1", "-0.0", "7.", ".5", "2E+3"])
    func decimalsParseExactlyAsSwiftDoes(_ text: String) {
        let parsed = Array(text.utf8).withUnsafeBufferPointer(DecimalParser.parse)
        #expect(parsed == Double(text))
    }

    @Test func blanksAroundNumbersAreIgnoredAsPandasDoes() {
        #expect(Array(" 1".utf8).withUnsafeBufferPointer(DecimalParser.parse) == 1)
        #expect(Array("2.5\t ".utf8).withUnsafeBufferPointer(DecimalParser.parse) == 2.5)
    }

    @Test(arguments: ["", "abc", "1.2.3", "1e", "--1", "1,5", "0x10", "1 2", " "])
    func nonNumbersAreRejected(_ text: String) {
        #expect(Array(text.utf8).withUnsafeBufferPointer(DecimalParser.parse) == nil)
    }

    @Test func configKeysThatApplyAreHonouredAndOthersRefused() throws {
        let applicable = try file(
            """
            drift:
              decision: thresholds
              psi_bins: 7
              psi_threshold: 0.3
              ks_statistic_threshold: 0.4
              min_window_events: 12
              dataset_drift_share: 0.25
            policy:
              correction: bonferroni
            """, "compare.yaml")
        let settings = try ConfigLoader.loadComparisonSettings(path: applicable)
        #expect(settings.policy.decision.mode == .thresholds && settings.psiBins == 7)
        #expect(settings.policy.psiThreshold == 0.3 && settings.policy.ksStatisticThreshold == 0.4)
        #expect(settings.policy.minimumWindowEvents == 12 && settings.policy.datasetDriftShare == 0.25)
        #expect(settings.policy.correction == .bonferroni)

        let other = try file("drift:\n  psi_bins: 7\n  training_lookback: 1h\nkafka:\n  brokers: x:9092\n", "run.yaml")
        do {
            _ = try ConfigLoader.loadComparisonSettings(path: other)
            Issue.record("keys that do not apply to compare were accepted")
        } catch let error as ConfigError {
            #expect(
                error.line == 3 && error.message.contains("drift.training_lookback") && error.message.contains("kafka"))
        }
    }

    @Test func markdownListsDriftedColumnsFirst() throws {
        let (reference, current) = try samplePair()
        let report = try DatasetComparison(settings: .init()).report(referencePath: reference, currentPath: current)
        let markdown = ComparisonTable.markdown(report)
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(rows.count == report.columns.count)
        let drifted = report.columns.filter(\.drift).count
        #expect(drifted > 0 && rows.prefix(drifted).allSatisfy { $0.contains("**DRIFT**") })
        #expect(rows.dropFirst(drifted).allSatisfy { !$0.contains("**DRIFT**") })
        #expect(markdown.contains("| `comment` |"))  // the quoted "plain, ""quoted""" text stays in its cell
    }
}
