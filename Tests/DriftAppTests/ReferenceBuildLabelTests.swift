import DriftCore
import DriftStats
import Foundation
import ReferenceLibraries
import Testing

@testable import DriftCompare

/// `driftwatch reference build --label` on NannyML's cross-check data (statsmodels' `fair` survey) written as
/// a CSV and as JSON Lines: the stored reference estimates performance and measures reconstruction error as
/// NannyML 0.13 does on the same rows.
@Suite struct ReferenceBuildLabelTests {
    static func write(_ text: String, _ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func cell(_ value: NannyMLValues.Cell) -> FeatureValue {
        switch value {
        case .number(let number): .number(number)
        case .category(let text): .category(text)
        case .missing: .missing
        }
    }

    /// The reference rows as a CSV (missing cells empty) and as JSON Lines (missing values null).
    static func files(_ document: NannyMLValues.Document) throws -> [String] {
        let rows = document.multivariate.reference
        let scores = document.cbpe.reference.scores
        let labels = document.cbpe.reference.labels
        var csv = (document.features + ["prediction", "had_affair"]).joined(separator: ",") + "\n"
        var jsonl = ""
        for (index, row) in rows.enumerated() {
            let cells = row.map { cell -> String in
                switch cell {
                case .number(let number): "\(number)"
                case .category(let text): text
                case .missing: ""
                }
            }
            csv += (cells + ["\(scores[index])", "\(labels[index])"]).joined(separator: ",") + "\n"
            let fields = zip(document.features, row).map { name, cell -> String in
                switch cell {
                case .number(let number): "\"\(name)\": \(number)"
                case .category(let text): "\"\(name)\": \"\(text)\""
                case .missing: "\"\(name)\": null"
                }
            }
            jsonl +=
                "{"
                + (fields + ["\"prediction\": \(scores[index])", "\"had_affair\": \(labels[index] == 1)"])
                .joined(separator: ", ") + "}\n"
        }
        return [try write(csv, "train.csv"), try write(jsonl, "train.jsonl")]
    }

    @Test func aLabelledTrainingFileEstimatesAndReconstructsAsNannyML() throws {
        let document = try NannyMLValues.document.get()
        for path in try Self.files(document) {
            var options = ReferenceFile.Options(version: "1")
            options.labelColumn = "had_affair"
            let profile = try ReferenceFile.build(path: path, options: options)
            #expect(profile.features["had_affair"] == nil, "the label is not a feature")
            let estimation = try #require(profile.estimation, "\(path)")
            let multivariate = try #require(profile.multivariate, "\(path)")
            // NannyML's chunks of the analysis data: the same estimates and reconstruction errors.
            let analysis = try #require(document.cbpe.cases["analysis"])
            for chunk in analysis.chunks {
                let estimates = try #require(
                    estimation.estimate(scores: Array(analysis.scores[chunk.start..<chunk.end])))
                #expect(abs(estimates.accuracy.value - chunk.accuracy.value) < 1e-9, "\(path) accuracy")
                #expect(
                    abs((estimates.f1.samplingError ?? .nan) - chunk.f1.sampling_error) < 1e-9,
                    "\(path) f1 sampling error")
            }
            let cases = try #require(document.multivariate.cases["broken"])
            let kernel = ReconstructionModel.Kernel(multivariate.model)
            var scratch = kernel.scratch()
            for chunk in cases.reconstruction.chunks {
                var summary = ReconstructionErrorSummary()
                for row in cases.rows[chunk.start..<chunk.end] {
                    // The file's columns in name order.
                    let byName = Dictionary(uniqueKeysWithValues: zip(document.features, row.map(Self.cell)))
                    let encoded = multivariate.encode(multivariate.names.map { byName[$0]! })
                    summary.add(encoded.withUnsafeBufferPointer { kernel.error($0, scratch: &scratch) })
                }
                #expect(
                    abs(summary.mean - chunk.value) < 1e-6 * chunk.value, "\(path) \(summary.mean) vs \(chunk.value)")
            }
        }
    }

    @Test func aLabelColumnWithoutBothClassesIsRefused() throws {
        let path = try Self.write("x,prediction,label_col\n1,0.2,0\n2,0.7,0\n3,0.4,0\n", "one-class.csv")
        var options = ReferenceFile.Options(version: "1")
        options.labelColumn = "label_col"
        #expect {
            _ = try ReferenceFile.build(path: path, options: options)
        } throws: { error in
            "\(error)".contains("needs some of each class")
        }
        options.labelColumn = "outcome"
        #expect {
            _ = try ReferenceFile.build(path: path, options: options)
        } throws: { error in
            "\(error)".contains("no label column 'outcome'")
        }
    }
}
