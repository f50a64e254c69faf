import DriftStats
import Foundation

/// Times the statistics kernels on the raw float64 files side_by_side.py writes (a.f64, b.f64) and prints
/// JSON with the best of several runs, in seconds. Usage: stats-timing DATA_DIR
@main
struct StatsTiming {
    static func main() throws {
        let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "."
        let a = try load("\(directory)/a.f64")
        let b = try load("\(directory)/b.f64")
        var results: [String: Double] = [:]

        let edges = PopulationStabilityIndex.referenceQuantileEdges(
            sortedReference: RadixSort.sorted(Array(a[..<100_000])))
        results["psi_binning_per_value"] =
            best(runs: 20) { _ = PopulationStabilityIndex.binCounts(b, edges: edges) } / Double(b.count)
        for size in [10_000, 100_000, 1_000_000] {
            let x = Array(a[..<size])
            let y = Array(b[..<size])
            results["ks_\(size)"] = best(runs: size >= 1_000_000 ? 5 : 20) {
                _ = KolmogorovSmirnov.test(x, y)
            }
        }
        // The end-to-end benchmark's commonest test: a window of 6 000 values against a reference sample of
        // 1 000 from the same distribution, so the exact p-value (the lattice walk) dominates.
        let reference = Array(a[..<1_000])
        let window = Array(a[1_000..<7_000])
        results["ks_1000_6000"] = best(runs: 50) { _ = KolmogorovSmirnov.test(reference, window) }
        // A drifted window (shifted by one standard deviation, D ≈ 0.38): the lattice walk's values fall below
        // 2⁻¹⁰²², and arithmetic on subnormal doubles is slow on some CPUs (Intel's microcode assists), for
        // scipy as for Driftwatch; exactness rules out flushing them to zero.
        let shifted = window.map { $0 + 1 }
        results["ks_1000_6000_shifted"] = best(runs: 20) { _ = KolmogorovSmirnov.test(reference, shifted) }
        let x = Array(a[..<100_000])
        let y = Array(b[..<100_000])
        // Where the time of one KS test goes: sorting both samples together, the p-value.
        results["ks_100000_merged_sort"] = best(runs: 20) { _ = RadixSort.mergedKeys(x, y) }
        let d = KolmogorovSmirnov.test(x, y).statistic
        results["ks_100000_p_value"] = best(runs: 20) { _ = KolmogorovDistribution.survival(n: 50_000, x: d) }
        results["wasserstein_100000"] = best(runs: 20) {
            _ = Wasserstein.distance(sorted: RadixSort.sorted(x), RadixSort.sorted(y))
        }
        let palette = ["DE", "FR", "US", "GB", "BR", "IT", "ES", "NL"]
        let categories = a.map { palette[Int(($0 * 1000).magnitude) % palette.count] }
        results["category_counts_per_value"] =
            best(runs: 10) { _ = CategoryCounts(categories) } / Double(categories.count)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(results), as: UTF8.self))
    }

    static func load(_ path: String) throws -> [Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    }

    /// The fastest of `runs` timings of `work`, in seconds.
    static func best(runs: Int, _ work: () -> Void) -> Double {
        let clock = ContinuousClock()
        var fastest = Duration.seconds(1_000)
        for _ in 0..<runs {
            let elapsed = clock.measure(work)
            fastest = min(fastest, elapsed)
        }
        let (seconds, attoseconds) = fastest.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
