// swift-tools-version:6.0
import PackageDescription

// librdkafka >= 2.10 lives in a prefix built by scripts/setup (Debian's own is too old). The binaries carry an
// rpath to it: without one they would silently load the system's 2.0.2. When the prefix does not exist the
// system's headers and library are used, and `driftwatch` refuses to start if that librdkafka is too old.
let librdkafkaPrefix = Context.environment["DRIFTWATCH_LIBRDKAFKA_PREFIX"]
    ?? "\(Context.packageDirectory)/.deps/librdkafka"
let usePrefix = Context.environment["DRIFTWATCH_SYSTEM_LIBRDKAFKA"] == nil

let rdkafkaCFlags: [CSetting] = usePrefix ? [.unsafeFlags(["-I\(librdkafkaPrefix)/include"])] : []
let rdkafkaSwiftFlags: [SwiftSetting] = usePrefix ? [.unsafeFlags(["-Xcc", "-I\(librdkafkaPrefix)/include"])] : []
let rdkafkaLinkerFlags: [LinkerSetting] = [.linkedLibrary("rdkafka")] + (usePrefix
    ? [.unsafeFlags(["-L\(librdkafkaPrefix)/lib", "-Xlinker", "-rpath", "-Xlinker", "\(librdkafkaPrefix)/lib"])]
    : [])

let package = Package(
    name: "driftwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "driftwatch", targets: ["driftwatch"]),
        .executable(name: "driftwatch-trainer", targets: ["driftwatch-trainer"]),
        .library(name: "DriftStats", targets: ["DriftStats"]),
        .library(name: "DriftCore", targets: ["DriftCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // The C-facing layer: librdkafka's header plus a shim for what Swift cannot call (variadics).
        .target(
            name: "CRdKafka",
            cSettings: rdkafkaCFlags,
            linkerSettings: rdkafkaLinkerFlags
        ),
        // The only importer of CRdKafka: consumer, producer, admin.
        .target(
            name: "DriftKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: rdkafkaSwiftFlags
        ),
        // Statistics kernels: no Foundation, no I/O.
        .target(name: "DriftStats"),
        // Events, windows, references, policy, reports: pure logic.
        .target(name: "DriftCore", dependencies: ["DriftStats"]),
        // SQLite state (WAL): reference profiles by (model, version).
        .target(
            name: "DriftStore",
            dependencies: ["DriftCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Configuration, the monitor pipeline, the traffic generator: wiring.
        .target(
            name: "DriftApp",
            dependencies: [
                "DriftCore", "DriftKafka", "DriftStats", "DriftStore",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: rdkafkaSwiftFlags
        ),
        // The HTTP server: health, readiness, Prometheus metrics, the JSON API and the dashboard.
        .target(
            name: "DriftHTTP",
            dependencies: [
                "DriftApp", "DriftCore", "DriftStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "driftwatch",
            dependencies: [
                "DriftApp", "DriftCore", "DriftHTTP", "DriftKafka", "DriftStats", "DriftStore",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: rdkafkaSwiftFlags
        ),
        // The training service of the retraining loop.
        .executableTarget(
            name: "driftwatch-trainer",
            dependencies: [
                "DriftApp", "DriftKafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: rdkafkaSwiftFlags
        ),
        // The Swift half of the end-to-end benchmark (Benchmarks/e2e/run): loads the topic, times the pipeline.
        .executableTarget(
            name: "driftwatch-bench",
            dependencies: [
                "DriftApp", "DriftCore", "DriftKafka", "DriftStats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: rdkafkaSwiftFlags
        ),
        // Runs scripts/crosscheck/reference_values.py: what scipy, numpy, Evidently and scikit-learn compute.
        .target(name: "ReferenceLibraries", path: "Tests/ReferenceLibraries"),
        .testTarget(name: "DriftStatsTests", dependencies: ["DriftStats", "ReferenceLibraries"]),
        .testTarget(name: "DriftCoreTests", dependencies: ["DriftCore", "DriftStats"]),
        .testTarget(
            name: "DriftHTTPTests",
            dependencies: [
                "DriftApp", "DriftCore", "DriftHTTP", "DriftStats", "DriftStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(
            name: "DriftAppTests",
            dependencies: [
                "DriftApp", "DriftCore", "DriftKafka", "DriftStats", "DriftStore", "ReferenceLibraries",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: rdkafkaSwiftFlags),
        .testTarget(
            name: "DriftIntegrationTests",
            dependencies: [
                "DriftApp", "DriftKafka", "DriftCore", "DriftHTTP", "DriftStats", "DriftStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: rdkafkaSwiftFlags
        ),
    ],
    swiftLanguageModes: [.v6]
)
