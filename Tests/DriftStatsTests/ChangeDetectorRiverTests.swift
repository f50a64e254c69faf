import DriftStats
import Foundation
import ReferenceLibraries
import Testing

/// ADWIN and Page–Hinkley against River 0.26 (`river.drift.ADWIN`, `river.drift.PageHinkley`, defaults): the
/// same sequences, computed by River in the same run, must be flagged at the same indices.
@Suite struct ChangeDetectorRiverTests {
    @Test func detectionIndicesEqualRivers() throws {
        let reference = try ReferenceValues.changeDetectors.get()
        #expect(reference.cases.count >= 8)
        var detections = 0
        for testCase in reference.cases {
            var adwin = AdaptiveWindowing()
            var hinkley = PageHinkley()
            var adwinAt: [Int] = []
            var hinkleyAt: [Int] = []
            for (index, value) in testCase.values.enumerated() {
                if adwin.update(value) { adwinAt.append(index) }
                if hinkley.update(value) { hinkleyAt.append(index) }
            }
            #expect(adwinAt == testCase.adwin, "\(testCase.name): ADWIN \(adwinAt) vs River \(testCase.adwin)")
            #expect(
                hinkleyAt == testCase.page_hinkley,
                "\(testCase.name): Page-Hinkley \(hinkleyAt) vs River \(testCase.page_hinkley)")
            detections += testCase.adwin.count + testCase.page_hinkley.count
        }
        #expect(detections >= 10)  // the cases must make both detectors fire
        print("River \(reference.river): \(reference.cases.count) sequences, \(detections) detections, indices equal")
    }

    /// A detector's state survives a checkpoint: encoded and decoded mid-stream, it goes on to flag the same
    /// indices as one that never stopped.
    @Test func stateSurvivesACheckpoint() throws {
        let reference = try ReferenceValues.changeDetectors.get()
        let values = try #require(reference.cases.first { $0.name.hasPrefix("errors") }).values
        var whole = AdaptiveWindowing()
        var resumed = AdaptiveWindowing()
        var wholeAt: [Int] = []
        var resumedAt: [Int] = []
        for (index, value) in values.enumerated() {
            if whole.update(value) { wholeAt.append(index) }
            if index == values.count / 2 {
                let data = try JSONEncoder().encode(resumed)
                resumed = try JSONDecoder().decode(AdaptiveWindowing.self, from: data)
            }
            if resumed.update(value) { resumedAt.append(index) }
        }
        #expect(!wholeAt.isEmpty && wholeAt == resumedAt)
    }
}

/// The noise calibration of the calibrated mode's effect size: the mean Wasserstein distance between two
/// samples drawn from the same data matches √(2/(π·n_eff))·∫√(F(1−F))dx.
@Suite struct WassersteinNoiseTests {
    @Test(arguments: [(50, 5_000), (300, 300), (2_000, 10_000)])
    func expectedNoiseMatchesResampling(sizes: (Int, Int)) {
        var random = SplitMix64(seed: 3)
        let population = (0..<20_000).map { _ in random.logNormal(mu: 1, sigma: 0.7) }.sorted()
        let integral = Wasserstein.noiseIntegral(sorted: population)
        let expected = Wasserstein.expectedNoise(noiseIntegral: integral, sizes.0, sizes.1)
        func draw(_ count: Int) -> [Double] {
            (0..<count).map { _ in population[Int(random.unit() * Double(population.count)) % population.count] }
                .sorted()
        }
        let rounds = 300
        let mean =
            (0..<rounds).reduce(0.0) { total, _ in
                total + Wasserstein.distance(sorted: draw(sizes.0), draw(sizes.1))
            } / Double(rounds)
        // Asymptotic: within 8 % from a few hundred values a side, within 15 % at 50.
        #expect(
            abs(mean - expected) / expected < (min(sizes.0, sizes.1) < 100 ? 0.15 : 0.08),
            "\(sizes): resampled \(mean), expected \(expected)")
        print("noise \(sizes): resampled \(mean), expected \(expected)")
    }
}
