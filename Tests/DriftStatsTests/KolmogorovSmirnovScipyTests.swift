import DriftStats
import ReferenceLibraries
import Testing

/// KS statistic and p-value against scipy.stats.ks_2samp(method='auto') and scipy.stats.kstwo.sf:
/// 1e-9 relative for statistics, 1e-7 relative for p-values.
@Suite struct KolmogorovSmirnovScipyTests {
    @Test func twoSampleTestMatchesScipy() throws {
        let reference = try ReferenceValues.ks.get()
        #expect(reference.ks_2samp.count >= 60)
        var worstP = 0.0
        var worstD = 0.0
        for testCase in reference.ks_2samp {
            let result = KolmogorovSmirnov.test(sorted: testCase.a.sorted(), testCase.b.sorted())
            // The entry point for unsorted samples (one merged radix sort) must give the very same result.
            #expect(KolmogorovSmirnov.test(testCase.a, testCase.b) == result, "\(testCase.name): unsorted entry point")
            let exact = max(testCase.a.count, testCase.b.count) <= KolmogorovSmirnov.maximumExactSize
            #expect(result.method == (exact ? .exact : .asymptotic), "\(testCase.name)")
            #expect(
                agrees(result.statistic, testCase.statistic, relative: 1e-9),
                "\(testCase.name): D \(result.statistic) vs scipy \(testCase.statistic)")
            #expect(
                agrees(result.pValue, testCase.pvalue, relative: 1e-7),
                "\(testCase.name): p \(result.pValue) vs scipy \(testCase.pvalue) (scipy \(reference.scipy))")
            worstD = max(worstD, relativeError(result.statistic, testCase.statistic))
            worstP = max(worstP, relativeError(result.pValue, testCase.pvalue))
        }
        print("ks_2samp: \(reference.ks_2samp.count) cases, worst relative error D \(worstD), p \(worstP)")
    }

    /// The methods as scipy names them: `asymp` on every case, `exact` where `auto` would not be exact.
    @Test func pValueMethodsMatchScipy() throws {
        let reference = try ReferenceValues.ks.get()
        var exactCases = 0
        for testCase in reference.ks_2samp {
            let (a, b) = (testCase.a.sorted(), testCase.b.sorted())
            let asymp = KolmogorovSmirnov.test(sorted: a, b, method: .asymp)
            #expect(asymp.method == .asymptotic)
            #expect(agrees(asymp.statistic, testCase.asymp_statistic, relative: 1e-9), "\(testCase.name): asymp D")
            if let expected = testCase.asymp_pvalue {
                #expect(
                    agrees(asymp.pValue, expected, relative: 1e-7),
                    "\(testCase.name): asymp p \(asymp.pValue) vs scipy \(expected)")
            } else {
                // scipy's NaN (kstwo with n = 0); Driftwatch uses n = 1 and stays encodable.
                #expect(testCase.a.count == 1 && testCase.b.count == 1, "\(testCase.name)")
            }
            if let statistic = testCase.exact_statistic, let pValue = testCase.exact_pvalue {
                exactCases += 1
                let exact = KolmogorovSmirnov.test(sorted: a, b, method: .exact)
                #expect(agrees(exact.statistic, statistic, relative: 1e-9), "\(testCase.name): exact D")
                #expect(
                    agrees(exact.pValue, pValue, relative: 1e-7),
                    "\(testCase.name): exact p \(exact.pValue) vs scipy \(pValue)")
            }
        }
        #expect(exactCases >= 3)
    }

    @Test func kolmogorovSurvivalMatchesScipyInEveryRegime() throws {
        let reference = try ReferenceValues.ks.get()
        #expect(reference.kstwo.count >= 400)
        var worst = 0.0
        for point in reference.kstwo {
            let sf = KolmogorovDistribution.survival(n: point.n, x: point.x)
            #expect(
                agrees(sf, point.sf, relative: 1e-7), "kstwo.sf(\(point.x), \(point.n)): \(sf) vs scipy \(point.sf)")
            worst = max(worst, relativeError(sf, point.sf))
        }
        print("kstwo: \(reference.kstwo.count) points, worst relative error \(worst)")
    }
}
