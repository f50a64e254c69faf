import DriftStats
import Testing

@Suite struct KolmogorovSmirnovTests {
    /// D by its definition: the largest ECDF gap over every observed value, counted by brute force.
    func bruteForceStatistic(_ a: [Double], _ b: [Double]) -> Double {
        (a + b).map { x in
            abs(
                Double(a.filter { $0 <= x }.count) / Double(a.count) - Double(b.filter { $0 <= x }.count)
                    / Double(b.count))
        }.max()!
    }

    @Test(arguments: 1...60)
    func matchesTheDefinition(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed))
        let n1 = 1 + Int(random.next() % 40)
        let n2 = 1 + Int(random.next() % 40)
        // Round to a coarse grid on some seeds so that ties occur within and across samples.
        let grid = seed % 2 == 0 ? 4.0 : 1e6
        let a = (0..<n1).map { _ in (random.normal(mean: 0, sd: 1) * grid).rounded() / grid }.sorted()
        let b = (0..<n2).map { _ in (random.normal(mean: 0.5, sd: 1) * grid).rounded() / grid }.sorted()
        #expect(KolmogorovSmirnov.statistic(sorted: a, b) == bruteForceStatistic(a, b))
    }

    @Test func identicalSamplesHaveNoDistance() {
        let sample = [1.0, 2, 2, 3, 5, 8]
        #expect(KolmogorovSmirnov.statistic(sorted: sample, sample) == 0)
    }

    @Test func separatedSamplesHaveDistanceOne() {
        #expect(KolmogorovSmirnov.statistic(sorted: [1, 2, 3], [4, 5]) == 1)
    }
}
