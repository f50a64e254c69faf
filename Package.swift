// swift-tools-version:6.0
import PackageDescription

// librdkafka >= 2.10 lives in a prefix built by scripts/setup (Debian's own is too old). The binaries carry an
// rpath to it: without one they would silently load the system's 2.0.2. When the prefix does not exist the
// system's headers and library are used, and `driftwatch` refuses to start if that librdkafka is too old.
let librdkafkaPrefix =
    Context.environment["DRIFTWATCH_LIBRDKAFKA_PREFIX"]
    ?? "\(Context.packageDirectory)/.deps/librdkafka"
let usePrefix = Context.environment["DRIFTWATCH_SYSTEM_LIBRDKAFKA"] == nil

let rdkafkaCFlags: [CSetting] = usePrefix ? [.unsafeFlags(["-I\(librdkafkaPrefix)/include"])] : []
let rdkafkaSwiftFlags: [SwiftSetting] = usePrefix ? [.unsafeFlags(["-Xcc", "-I\(librdkafkaPrefix)/include"])] : []
let rdkafkaLinkerFlags: [LinkerSetting] =
    [.linkedLibrary("rdkafka")]
    + (usePrefix
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
            dependencies: [
                "DriftCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The configuration (YAML, environment, discovery) and the topic catalogue; librdkafka checks the
        // Kafka properties.
        .target(
            name: "DriftConfig",
            dependencies: [
                "DriftCore", "DriftKafka", "DriftStats",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: rdkafkaSwiftFlags
        ),
        // `driftwatch compare`: two CSV files read as pandas reads them, compared column by column.
        .target(name: "DriftCompare", dependencies: ["DriftCore", "DriftStats"]),
        // The monitor as a Kafka service: lifecycle, rebalances, batches, publication, checkpoints, webhooks.
        .target(
            name: "DriftPipeline",
            dependencies: [
                "DriftConfig", "DriftCore", "DriftKafka", "DriftStats", "DriftStore",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: rdkafkaSwiftFlags
        ),
        // The other drivers of the monitor and the retraining loop: replay, verify, the demo, the trainer.
        .target(
            name: "DriftApp",
            dependencies: [
                "DriftConfig", "DriftCore", "DriftKafka", "DriftPipeline", "DriftStats", "DriftStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: rdkafkaSwiftFlags
        ),
        // The HTTP server: health, readiness, Prometheus metrics, the JSON API and the dashboard. No Kafka.
        .target(
            name: "DriftHTTP",
            dependencies: [
                "DriftCompare", "DriftCore", "DriftStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "driftwatch",
            dependencies: [
                "DriftApp", "DriftCompare", "DriftConfig", "DriftCore", "DriftHTTP", "DriftKafka", "DriftPipeline",
                "DriftStats", "DriftStore",
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
                "DriftApp", "DriftConfig", "DriftKafka",
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
                "DriftApp", "DriftConfig", "DriftCore", "DriftKafka", "DriftPipeline", "DriftStats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: rdkafkaSwiftFlags
        ),
        // Runs scripts/crosscheck/reference_values.py (scipy, numpy, Evidently, scikit-learn) and nannyml_values.py.
        .target(name: "ReferenceLibraries", path: "Tests/ReferenceLibraries"),
        .testTarget(name: "DriftStatsTests", dependencies: ["DriftStats", "ReferenceLibraries"]),
        .testTarget(name: "DriftCoreTests", dependencies: ["DriftCore", "DriftStats", "ReferenceLibraries"]),
        // The Kafka wrapper against librdkafka's mock cluster: no broker.
        .testTarget(
            name: "DriftKafkaTests",
            dependencies: ["DriftKafka", .product(name: "Logging", package: "swift-log")],
            swiftSettings: rdkafkaSwiftFlags
        ),
        .testTarget(
            name: "DriftStoreTests",
            dependencies: ["DriftCore", "DriftStats", "DriftStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "DriftHTTPTests",
            dependencies: [
                "DriftApp", "DriftConfig", "DriftCore", "DriftHTTP", "DriftStats", "DriftStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(
            name: "DriftAppTests",
            dependencies: [
                "DriftApp", "DriftCompare", "DriftConfig", "DriftCore", "DriftKafka", "DriftPipeline", "DriftStats",
                "ReferenceLibraries",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: rdkafkaSwiftFlags),
        .testTarget(
            name: "DriftIntegrationTests",
            dependencies: [
                "DriftApp", "DriftConfig", "DriftCore", "DriftHTTP", "DriftKafka", "DriftPipeline", "DriftStats",
                "DriftStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: rdkafkaSwiftFlags
        ),
    ],
    swiftLanguageModes: [.v6]
)
