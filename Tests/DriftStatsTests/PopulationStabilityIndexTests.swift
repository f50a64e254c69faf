import Testing

@testable import DriftStats

@Suite struct PopulationStabilityIndexTests {
    @Test(arguments: 1...30)
    func binarySearchAgreesWithALinearScan(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed))
        // Coarse values make duplicate edges and values equal to edges common.
        let reference = (0..<(5 + Int(random.next() % 200))).map { _ in (random.normal(mean: 0, sd: 1) * 3).rounded() }
            .sorted()
        let edges = PopulationStabilityIndex.referenceQuantileEdges(sortedReference: reference, bins: 2 + seed % 12)
        let values = (0..<300).map { _ in (random.normal(mean: 0, sd: 1) * 3).rounded() }
        let counts = PopulationStabilityIndex.binCounts(values, edges: edges)
        var expected = [Int](repeating: 0, count: edges.count + 1)
        for value in values {
            expected[edges.filter { $0 < value }.count] += 1  // right-closed bins: edges strictly below
        }
        #expect(counts == expected)
        #expect(counts.reduce(0, +) == values.count)
    }

    @Test func edgesAreReferenceDeciles() {
        let reference = (0...100).map(Double.init)  // deciles of 0…100 are 10, 20, …, 90 exactly
        let edges = PopulationStabilityIndex.referenceQuantileEdges(sortedReference: reference)
        #expect(edges == stride(from: 10.0, through: 90, by: 10).map { $0 })
    }

    @Test func sameDistributionHasZeroPSI() {
        let counts = [10, 30, 0, 60]
        #expect(PopulationStabilityIndex.value(referenceCounts: counts, currentCounts: counts.map { $0 * 3 }) == 0)
    }

    @Test func psiIsSymmetricAndPositive() {
        let reference = [40, 30, 20, 10]
        let current = [10, 20, 30, 40]
        let forward = PopulationStabilityIndex.value(referenceCounts: reference, currentCounts: current)
        let backward = PopulationStabilityIndex.value(referenceCounts: current, currentCounts: reference)
        #expect(forward > 0)
        #expect(abs(forward - backward) < 1e-15)
    }

    @Test func emptyBinsAreFlooredNotInfinite() {
        let psi = PopulationStabilityIndex.value(referenceCounts: [50, 50], currentCounts: [100, 0])
        #expect(psi.isFinite)
        #expect(psi > 1)
    }

    @Test func linearQuantileInterpolatesBetweenRanks() {
        let sorted = [1.0, 2, 4, 8]
        #expect(Quantile.linear(sorted: sorted, 0) == 1)
        #expect(Quantile.linear(sorted: sorted, 1) == 8)
        #expect(Quantile.linear(sorted: sorted, 0.5) == 3)  // halfway between ranks 1 and 2 (2 and 4)
    }
}

@Suite struct RadixSortTests {
    @Test(arguments: [0, 1, 5, RadixSort.comparisonSortLimit, RadixSort.comparisonSortLimit + 1, 6_000, 100_000])
    func sortsLikeTheStandardLibrary(count: Int) {
        var random = SplitMix64(seed: UInt64(count) + 1)
        var values = (0..<count).map { index -> Double in
            switch index % 7 {
            case 0: return (random.normal(mean: 0, sd: 1e6)).rounded()  // ties
            case 1: return -random.exponential(mean: 1e-300)  // tiny negatives
            case 2: return random.unit() < 0.5 ? .infinity : -.infinity
            case 3: return 0
            default: return random.normal(mean: 0, sd: 1)
            }
        }
        let expected = values.sorted()
        RadixSort.sort(&values)
        #expect(values == expected)
    }
}
