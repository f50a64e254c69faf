// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in a package of their own so CI does not build ordo-one/benchmark.
//   swift package --package-path Benchmarks benchmark           # kernel benchmarks (ns per operation)
//   python Benchmarks/scripts/side_by_side.py                    # the same work in scipy/numpy/Evidently, ratios
let package = Package(
    name: "DriftwatchBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "driftwatch", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "StatsBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DriftStats", package: "driftwatch"),
            ],
            path: "Benchmarks/StatsBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Times the kernels on the data files side_by_side.py writes, so Swift and Python see the same numbers.
        .executableTarget(
            name: "stats-timing",
            dependencies: [.product(name: "DriftStats", package: "driftwatch")],
            path: "Sources/stats-timing"
        ),
        // Streams 10^6 events with unique request ids through the monitor and samples RSS (bounded joins).
        .executableTarget(
            name: "monitor-memory",
            dependencies: [
                .product(name: "DriftCore", package: "driftwatch"), .product(name: "DriftStats", package: "driftwatch"),
            ],
            path: "Sources/monitor-memory"
        ),
    ],
    swiftLanguageModes: [.v6]
)
