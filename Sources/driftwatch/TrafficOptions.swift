import ArgumentParser
import DriftApp

/// Options that shape demo traffic, shared by `generate` and `demo`.
struct TrafficOptions: ParsableArguments {
    @Option(help: "Events to produce per model.")
    var eventsPerModel = 12_000

    @Option(help: "Inject drift after this many events of a drifting model.")
    var driftAfter = 6_000

    @Option(
        help:
            "Comma-separated models to drift (of: \(TrafficGenerator.modelNames.joined(separator: ", "))); empty for none."
    )
    var driftModels = "fraud"

    @Option(help: "Events per second of wall-clock time across all models; 0 for as fast as possible.")
    var rate = 4_000.0

    @Option(help: "Mean event-time gap between two events of one model, in milliseconds.")
    var meanIntervalMs = 50.0

    @Option(help: "Random seed: the same seed produces the same events.")
    var seed: UInt64 = 42

    @Option(help: "Also send a hostile message (broken JSON, invalid UTF-8, too large, …) every N events; 0 for none.")
    var hostileEvery = 0

    @Option(help: "Also send a message of 0.9 to 10 MB (valid or not) every N events; 0 for none.")
    var largeEvery = 0

    func validate() throws {
        guard largeEvery >= 0 else { throw ValidationError("--large-every must not be negative") }
        guard eventsPerModel > 0 else { throw ValidationError("--events-per-model must be positive") }
        guard driftAfter >= 0 else { throw ValidationError("--drift-after must not be negative") }
        guard rate >= 0 else { throw ValidationError("--rate must not be negative") }
        guard hostileEvery >= 0 else { throw ValidationError("--hostile-every must not be negative") }
        guard meanIntervalMs > 0 else { throw ValidationError("--mean-interval-ms must be positive") }
        for model in driftingModels where !TrafficGenerator.modelNames.contains(model) {
            throw ValidationError(
                "--drift-models: unknown model '\(model)'; the demo models are \(TrafficGenerator.modelNames.joined(separator: ", "))"
            )
        }
    }

    var driftingModels: Set<String> {
        Set(
            driftModels.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            })
    }

    var settings: TrafficGenerator.Settings {
        var settings = TrafficGenerator.Settings()
        settings.eventsPerModel = eventsPerModel
        settings.driftAfter = driftAfter
        settings.driftingModels = driftingModels
        settings.rate = rate > 0 ? rate : nil
        settings.meanInterval = meanIntervalMs
        settings.seed = seed
        settings.hostileEvery = hostileEvery > 0 ? hostileEvery : nil
        settings.largeEvery = largeEvery > 0 ? largeEvery : nil
        return settings
    }
}
