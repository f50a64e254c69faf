import DriftStats
import ReferenceLibraries
import Testing

/// PSI (both conventions), Jensen–Shannon, Wasserstein, χ², unseen rate and descriptive statistics against
/// Evidently 0.7's stattests, scipy and numpy on the same data: 1e-9 relative for statistics, 1e-7 for p-values.
@Suite struct DriftReferenceTests {
    @Test func numericFeaturesMatchEvidentlyScipyAndNumpy() throws {
        let reference = try ReferenceValues.drift.get()
        #expect(reference.numeric.count >= 15)
        var worst = 0.0
        for testCase in reference.numeric {
            let ref = testCase.reference.sorted()
            let cur = testCase.current.sorted()
            let result = NumericDrift.compare(sortedReference: ref, sortedCurrent: cur)
            let evidentlyPSI = PopulationStabilityIndex.numeric(
                sortedReference: ref, sortedCurrent: cur, convention: .evidently)
            let checks: [(String, Double, Double)] = [
                ("psi reference-quantiles", result.psi.value, testCase.psi_reference_quantiles),
                ("psi evidently", evidentlyPSI.value, testCase.psi_evidently),
                ("jensen-shannon", result.jensenShannon, testCase.jensenshannon_evidently),
                ("wasserstein", result.wasserstein, testCase.wasserstein),
                ("wasserstein normed", result.wassersteinNormalized, testCase.wasserstein_normed_evidently),
                ("mean", Descriptive.mean(ref), testCase.mean),
                ("std", Descriptive.standardDeviation(ref), testCase.std),
            ]
            for (what, actual, expected) in checks {
                #expect(agrees(actual, expected, relative: 1e-9), "\(testCase.name) \(what): \(actual) vs \(expected)")
                worst = max(worst, relativeError(actual, expected))
            }
            let summary = Descriptive.summary(sorted: ref)
            #expect(summary.minimum == testCase.min && summary.maximum == testCase.max, "\(testCase.name) extremes")
            #expect(agrees(summary.quartiles.0, testCase.quartiles[0], relative: 1e-12), "\(testCase.name) q1")
            #expect(agrees(summary.quartiles.1, testCase.quartiles[1], relative: 1e-12), "\(testCase.name) median")
            #expect(agrees(summary.quartiles.2, testCase.quartiles[2], relative: 1e-12), "\(testCase.name) q3")
        }
        print(
            "numeric drift: \(reference.numeric.count) cases (Evidently \(reference.evidently)), worst relative error \(worst)"
        )
    }

    @Test func categoricalFeaturesMatchEvidentlyAndScipy() throws {
        let reference = try ReferenceValues.drift.get()
        #expect(reference.categorical.count >= 5)
        for testCase in reference.categorical {
            let result = CategoricalDrift.compare(
                reference: CategoryCounts(testCase.reference), current: CategoryCounts(testCase.current))
            if let statistic = testCase.chi2_statistic {
                #expect(agrees(result.chiSquared.statistic, statistic, relative: 1e-9), "\(testCase.name) chi2")
            } else {
                #expect(result.chiSquared.statistic == .infinity, "\(testCase.name) chi2 should be infinite")
            }
            #expect(
                agrees(result.chiSquared.pValue, testCase.chi2_p_value, relative: 1e-7),
                "\(testCase.name) chi2 p: \(result.chiSquared.pValue) vs \(testCase.chi2_p_value)")
            #expect(
                agrees(result.psi, testCase.psi_evidently, relative: 1e-9),
                "\(testCase.name) psi: \(result.psi) vs \(testCase.psi_evidently)")
            #expect(
                agrees(result.jensenShannon, testCase.jensenshannon_evidently, relative: 1e-9), "\(testCase.name) js")
            #expect(agrees(result.unseenRate, testCase.unseen_rate, relative: 1e-12), "\(testCase.name) unseen")
        }
    }

    /// The calibrated mode's categorical test: χ² of homogeneity on the sparse-pooled table, against
    /// scipy.stats.chi2_contingency(correction=False) on the table pooled by the same rule.
    @Test func homogeneityMatchesScipysContingencyTest() throws {
        let reference = try ReferenceValues.drift.get()
        #expect(reference.homogeneity.count >= 5)
        for testCase in reference.homogeneity {
            let result = ChiSquared.homogeneity(testCase.reference, testCase.current)
            guard let statistic = testCase.statistic, let pValue = testCase.p_value else {
                #expect(result == nil, "\(testCase.name): too sparse to test")
                continue
            }
            let (test, columns) = try #require(result, "\(testCase.name)")
            #expect(columns == testCase.columns, "\(testCase.name): columns after pooling")
            #expect(test.degreesOfFreedom == testCase.dof, "\(testCase.name)")
            #expect(
                agrees(test.statistic, statistic, relative: 1e-9), "\(testCase.name): \(test.statistic) vs \(statistic)"
            )
            #expect(agrees(test.pValue, pValue, relative: 1e-7), "\(testCase.name): p \(test.pValue) vs \(pValue)")
        }
        #expect(reference.homogeneity.contains { $0.columns < $0.reference.count && $0.statistic != nil })  // pooled
        #expect(reference.homogeneity.contains { $0.statistic == nil })  // untestable
    }

    @Test func chiSquaredSurvivalAgreesWithItsComplement() {
        for k in [1, 2, 3, 10, 57, 400] {
            for x in [0.01, 0.5, 1, Double(k), 2 * Double(k) + 3, 200] {
                let q = ChiSquared.survival(x, degreesOfFreedom: k)
                let p = IncompleteGamma.lowerRegularized(Double(k) / 2, x / 2)
                #expect(abs(p + q - 1) < 1e-13, "k=\(k) x=\(x)")
            }
        }
    }
}
