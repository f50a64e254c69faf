import DriftCore
import DriftStats
import DriftKafka
import Foundation

/// Produces realistic prediction events for the demo models to the predictions topic, keyed by model, with
/// event time advancing by an exponential inter-arrival per model (a Poisson stream) from `start`. Models in
/// `driftingModels` switch to their drifted inputs after `driftAfter` events.
public struct TrafficGenerator: Sendable {
    public struct Settings: Sendable {
        public var eventsPerModel = 12_000
        public var driftAfter = 6_000
        public var driftingModels: Set<String> = ["fraud"]
        /// Mean event-time gap between two events of one model, in milliseconds.
        public var meanInterval = 50.0
        /// Events per second of wall-clock time across all models; nil produces as fast as the broker takes them.
        public var rate: Double? = 4_000
        public var seed: UInt64 = 42
        /// Every this many events, a hostile message (HostileMessages) goes out too; nil for none.
        public var hostileEvery: Int?
        /// The size limit the hostile "too large" message exceeds.
        public var maximumMessageBytes = 1_000_000
        public var start = EventTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))

        public init() {}
    }

    public static let modelNames = DemoModel.all.map(\.name)

    public let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// Sends every event, in batches whose deliveries are awaited; `progress` gets (sent, total).
    public func run(producer: KafkaProducer, topic: String, progress: @Sendable (Int, Int) -> Void = { _, _ in })
        async throws
    {
        var random = SplitMix64(seed: settings.seed)
        let models = DemoModel.all
        var clocks = Array(repeating: Double(settings.start.millisecondsSinceEpoch), count: models.count)
        let total = settings.eventsPerModel * models.count
        let began = ContinuousClock.now
        var sent = 0
        var batch: [KafkaOutgoingMessage] = []
        batch.reserveCapacity(500)
        for index in 0..<settings.eventsPerModel {
            for (slot, model) in models.enumerated() {
                clocks[slot] += random.exponential(mean: settings.meanInterval)
                let drifted = settings.driftingModels.contains(model.name) && index >= settings.driftAfter
                let (features, prediction) = model.makeEvent(&random, drifted)
                let event = PredictionEvent(
                    model: model.name, modelVersion: model.version, requestID: "\(model.name)-\(settings.seed)-\(index)",
                    time: EventTime(millisecondsSinceEpoch: Int64(clocks[slot])), features: features,
                    prediction: prediction,
                    latencyMilliseconds: (random.logNormal(mu: 2.5, sigma: 0.4) * 10).rounded() / 10)
                batch.append(KafkaOutgoingMessage(topic: topic, key: model.name, value: event.json()))
                let number = index * models.count + slot
                if let every = settings.hostileEvery, number % every == every - 1 {
                    let hostile = HostileMessages.message(number / every, model: model.name, maximumBytes: settings.maximumMessageBytes)
                    batch.append(KafkaOutgoingMessage(topic: topic, key: model.name, value: hostile))
                }
            }
            if batch.count >= 480 || index == settings.eventsPerModel - 1 {
                try await producer.send(batch)
                sent += batch.count
                batch.removeAll(keepingCapacity: true)
                progress(sent, total)
                if let rate = settings.rate {
                    let due = began + .milliseconds(Int64(Double(sent) / rate * 1000))
                    try await Task.sleep(until: due, clock: .continuous)
                }
            }
        }
    }
}
