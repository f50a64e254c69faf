import DriftStats
import ReferenceLibraries
import Testing

/// Adjusted p-values against scipy.stats.false_discovery_control (Benjamini–Hochberg) and the Bonferroni
/// definition computed by numpy in the same run.
@Suite struct MultipleTestingTests {
    @Test func adjustedPValuesMatchScipy() throws {
        let reference = try ReferenceValues.multipleTesting.get()
        #expect(reference.cases.count >= 5)
        for testCase in reference.cases {
            let bh = MultipleTesting.adjusted(testCase.p_values, method: .benjaminiHochberg)
            let bonferroni = MultipleTesting.adjusted(testCase.p_values, method: .bonferroni)
            for (index, expected) in testCase.benjamini_hochberg.enumerated() {
                #expect(
                    agrees(bh[index], expected, relative: 1e-12),
                    "\(testCase.name) BH[\(index)]: \(bh[index]) vs scipy \(expected)")
            }
            for (index, expected) in testCase.bonferroni.enumerated() {
                #expect(agrees(bonferroni[index], expected, relative: 1e-12), "\(testCase.name) Bonferroni[\(index)]")
            }
        }
    }

    @Test func noCorrectionKeepsThePValues() {
        #expect(MultipleTesting.adjusted([0.2, 0.01], method: .none) == [0.2, 0.01])
    }
}
