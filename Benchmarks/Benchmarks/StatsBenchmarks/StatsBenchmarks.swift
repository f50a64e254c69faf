import Benchmark
import DriftStats

/// Kernel benchmarks (ordo-one/benchmark): run with `swift package --package-path Benchmarks benchmark`.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(2))

    func normals(_ count: Int, mean: Double, seed: UInt64) -> [Double] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in random.normal(mean: mean, sd: 1) }
    }

    // PSI binning of 10⁶ values into 10 bins from reference deciles (ns per value = time / 10⁶).
    let values = normals(1_000_000, mean: 0.1, seed: 1)
    let edges = PopulationStabilityIndex.referenceQuantileEdges(sortedReference: normals(10_000, mean: 0, seed: 2).sorted())
    Benchmark("PSI binning, 10^6 values into 10 bins") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(PopulationStabilityIndex.binCounts(values, edges: edges))
        }
    }

    // KS two-sample test from unsorted samples (sort included), as scipy.stats.ks_2samp is called.
    for size in [10_000, 100_000, 1_000_000] {
        let first = normals(size, mean: 0, seed: 3)
        let second = normals(size, mean: 0.01, seed: 4)
        Benchmark("KS test \(size) vs \(size)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(KolmogorovSmirnov.test(first, second))
            }
        }
    }

    let first = normals(100_000, mean: 0, seed: 5)
    let second = normals(100_000, mean: 0.05, seed: 6)
    Benchmark("Wasserstein 100000 vs 100000") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Wasserstein.distance(sorted: RadixSort.sorted(first), RadixSort.sorted(second)))
        }
    }

    var random = SplitMix64(seed: 7)
    let palette = ["DE", "FR", "US", "GB", "BR", "IT", "ES", "NL"]
    let categories = (0..<1_000_000).map { _ in palette[Int(random.unit() * Double(palette.count))] }
    Benchmark("Category counts, 10^6 values") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(CategoryCounts(categories))
        }
    }

    // The per-event multivariate work: one row's PCA reconstruction error (20 features, a reused row buffer as
    // the monitor's windows use it), with strongly related features (4 of 20 components kept: projections and
    // residual) and with independent ones (13 of 20 kept: the 7 discarded eigenvectors instead). ns per row =
    // time / 10⁵.
    for (name, factors) in [("related features, 4 of 20 components", 5), ("independent features, 13 of 20", 20)] {
        var generator = SplitMix64(seed: 11)
        func row() -> [Double] {
            let base = (0..<factors).map { _ in generator.normal(mean: 0, sd: 1) }
            return (0..<20).map { base[$0 % factors] * Double($0 + 1) + generator.normal(mean: 0, sd: 0.5) }
        }
        let model = ReconstructionModel.fit(rows: (0..<5_000).map { _ in row() })!
        let kernel = ReconstructionModel.Kernel(model)
        let rows = (0..<100_000).flatMap { _ in row() }
        Benchmark("Reconstruction error, 10^5 rows, \(name) (kept \(model.components.count))") { benchmark in
            var scratch = kernel.scratch()
            for _ in benchmark.scaledIterations {
                var summary = ReconstructionErrorSummary()
                rows.withUnsafeBufferPointer { all in
                    for start in stride(from: 0, to: all.count, by: 20) {
                        summary.add(kernel.error(UnsafeBufferPointer(rebasing: all[start..<start + 20]), scratch: &scratch))
                    }
                }
                blackHole(summary.mean)
            }
        }
    }

    // CBPE on a window of 10 000 scores (calibration lookups, confusion sums, the ROC curve's sort).
    var scores = SplitMix64(seed: 12)
    let reference = (0..<5_000).map { _ in scores.unit() }
    let labels = reference.map { scores.unit() < $0 }
    let estimation = PerformanceEstimation.fit(scores: reference, labels: labels, threshold: 0.5)!
    let window = (0..<10_000).map { _ in scores.unit() }
    Benchmark("Estimated performance (CBPE), 10^4 scores") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(estimation.estimate(scores: window))
        }
    }
}
