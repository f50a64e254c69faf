import DriftStats
import ReferenceLibraries
import Testing

/// Classification and regression metrics against scikit-learn; latency percentiles against numpy within the
/// histogram's stated resolution (1/128 of the value, plus the microsecond it rounds to).
@Suite struct MetricsReferenceTests {
    @Test func classificationMatchesScikitLearn() throws {
        let reference = try ReferenceValues.metrics.get()
        #expect(reference.classification.count >= 4)
        for testCase in reference.classification {
            let result = ClassificationMetrics.binary(
                truth: testCase.truth, predicted: testCase.predicted, scores: testCase.scores)
            let checks: [(String, Double?, Double)] = [
                ("accuracy", result.accuracy, testCase.accuracy), ("precision", result.precision, testCase.precision),
                ("recall", result.recall, testCase.recall), ("f1", result.f1, testCase.f1),
                ("roc auc", result.rocAUC, testCase.roc_auc), ("log loss", result.logLoss, testCase.log_loss),
            ]
            for (what, actual, expected) in checks {
                let value = try #require(actual, "\(testCase.name) \(what)")
                #expect(
                    agrees(value, expected, relative: 1e-9), "\(testCase.name) \(what): \(value) vs sklearn \(expected)"
                )
            }
        }
    }

    @Test func regressionMatchesScikitLearn() throws {
        let reference = try ReferenceValues.metrics.get()
        for testCase in reference.regression {
            let result = RegressionMetrics.compute(truth: testCase.truth, predicted: testCase.predicted)
            #expect(agrees(result.mae, testCase.mae, relative: 1e-9), "\(testCase.name) mae")
            #expect(agrees(result.rmse, testCase.rmse, relative: 1e-9), "\(testCase.name) rmse")
            #expect(
                agrees(result.mape, testCase.mape, relative: 1e-9),
                "\(testCase.name) mape: \(result.mape) vs \(testCase.mape)")
        }
    }

    @Test func latencyPercentilesStayWithinTheHistogramResolution() throws {
        let reference = try ReferenceValues.latency.get()
        for testCase in reference.latency {
            var histogram = LatencyHistogram()
            for value in testCase.values { histogram.record(milliseconds: value) }
            for (percentile, expected) in [(50.0, testCase.p50), (95, testCase.p95), (99, testCase.p99)] {
                let value = try #require(histogram.value(atPercentile: percentile))
                #expect(value >= expected - 0.0005, "\(testCase.name) p\(percentile): \(value) below numpy \(expected)")
                #expect(
                    value <= expected * (1 + 1.0 / 128) + 0.001,
                    "\(testCase.name) p\(percentile): \(value) vs numpy \(expected)")
            }
            #expect(histogram.maximum == testCase.max)
            #expect(histogram.value(atPercentile: 100) == testCase.max)
        }
    }

    @Test func noClassMeansNoAUC() {
        #expect(ClassificationMetrics.rocAUC(truth: [true, true], scores: [0.2, 0.9]) == nil)
    }
}
