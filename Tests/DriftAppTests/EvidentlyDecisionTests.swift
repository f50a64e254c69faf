// Property names are the keys Evidently's cross-check writes, snake_case.
// swift-format-ignore-file: AlwaysUseLowerCamelCase

import DriftCore
import Foundation
import ReferenceLibraries
import Testing

@testable import DriftApp
@testable import DriftCompare

/// `--decision evidently` against Evidently 0.7 itself: the same CSV files (made from data sets that ship
/// inside scikit-learn) through `DatasetComparison` and through Evidently's DataDriftPreset, computed in the
/// same run. Every column's test, score and verdict and the dataset verdict must agree.
@Suite struct EvidentlyDecisionTests {
    struct Cases: Decodable {
        struct Column: Decodable {
            var column, test: String
            var score: Double
            var drifted: Bool
        }

        struct Case: Decodable {
            var name, reference, current: String
            var columns: [Column]
            var share: Double
            var dataset_drift: Bool
        }

        var evidently: String
        var cases: [Case]
    }

    @Test func decisionsEqualEvidentlysOnRealData() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = try JSONDecoder().decode(
            Cases.self, from: ReferenceValues.run("evidently-decisions", [directory.path]))
        #expect(expected.cases.count >= 20)
        var settings = DatasetComparison.Settings()
        settings.policy.decision.mode = .evidently
        settings.policy.minimumWindowEvents = 1  // Evidently has no minimum
        let comparison = DatasetComparison(settings: settings)
        var columns = 0
        var drifted = 0
        for testCase in expected.cases {
            let results = try comparison.compare(referencePath: testCase.reference, currentPath: testCase.current)
            #expect(results.map(\.column) == testCase.columns.map(\.column), "\(testCase.name)")
            for (result, library) in zip(results, testCase.columns) {
                let decision = try #require(result.decision, "\(testCase.name) \(result.column)")
                #expect(
                    decision.test == library.test,
                    "\(testCase.name) \(result.column): test \(decision.test ?? "-") vs \(library.test)")
                if let score = decision.score {
                    #expect(
                        agrees(score, library.score, relative: 1e-7),
                        "\(testCase.name) \(result.column) \(library.test): \(score) vs Evidently \(library.score)")
                }
                #expect(result.drift == library.drifted, "\(testCase.name) \(result.column): drift \(result.drift)")
                columns += 1
                drifted += library.drifted ? 1 : 0
            }
            let verdict = comparison.verdict(results)
            #expect(verdict.share.map { agrees($0, testCase.share, relative: 1e-12) } == true, "\(testCase.name) share")
            #expect(verdict.drift == testCase.dataset_drift, "\(testCase.name) dataset drift")
        }
        // The cases must exercise both verdicts.
        #expect(drifted > 5 && drifted < columns - 5)
        print(
            "Evidently \(expected.evidently): \(expected.cases.count) file pairs, \(columns) columns, \(drifted) drifted"
        )
    }
}
