import DriftCore
import DriftKafka
import DriftStats
import Foundation

/// Produces realistic prediction events for the demo models to the predictions topic, keyed by model, with
/// event time advancing by an exponential inter-arrival per model (a Poisson stream) from `start`. Models in
/// `driftingModels` switch to their drifted inputs after `driftAfter` events. With `labels`, each
/// prediction's ground truth (or `labelShare` of them) follows on the labels topic, `labelDelay` later in
/// event time; with `featuresShare`, that share of predictions has its features on the features topic. A generator continues
/// where its previous `run` stopped (same random stream, same clocks), so traffic can pause and resume.
public struct TrafficGenerator: Sendable {
    public struct Settings: Sendable {
        public var eventsPerModel = 12_000
        public var driftAfter = 6_000
        public var driftingModels: Set<String> = ["fraud"]
        /// Models whose features change how they relate after `driftAfter` events, each feature's own
        /// distribution unchanged (only a multivariate measure sees it).
        public var relationChangedModels: Set<String> = ["churn"]
        /// Mean event-time gap between two events of one model, in milliseconds.
        public var meanInterval = 50.0
        /// Prediction events per second of wall-clock time across all models; nil: as fast as the broker takes them.
        public var rate: Double? = 4_000
        public var seed: UInt64 = 42
        /// Every this many events, a hostile message (HostileMessages) goes out too; nil for none.
        public var hostileEvery: Int?
        /// Every this many events, a message of up to 10 MB (LargeMessages) goes out too; nil for none. The
        /// producer must allow 10 MB (`message.max.bytes`).
        public var largeEvery: Int?
        /// The size limit the hostile "too large" message exceeds.
        public var maximumMessageBytes = 1_000_000
        /// Also produce each prediction's label (`LabelEvent`) to the labels topic.
        public var labels = false
        /// The share of predictions that get a label (the rest never do).
        public var labelShare = 1.0
        /// Event time from a prediction to its label, in milliseconds: uniform in this range. Labels go out in
        /// event-time order with the predictions (a label after every prediction older than it), as they would
        /// arrive from a system that confirms outcomes later.
        public var labelDelay: ClosedRange<Int64> = 2_000...2_000
        /// The share of predictions sent without a `features` object, their features as a `FeatureEvent` on
        /// the features topic (same event time).
        public var featuresShare = 0.0
        public var start = EventTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))

        public init() {}
    }

    /// Where the events go; `labels` is needed when the settings ask for labels.
    public struct Topics: Sendable {
        public var predictions: String
        public var labels: String?
        public var features: String?

        public init(predictions: String, labels: String? = nil, features: String? = nil) {
            self.predictions = predictions
            self.labels = labels
            self.features = features
        }
    }

    public static let modelNames = DemoModel.all.map(\.name)

    public let settings: Settings
    private var random: SplitMix64
    private var clocks: [Double]
    /// Events produced per model so far.
    public private(set) var produced = 0
    /// Labels not sent yet, with their event times (sent once every model's clock has passed them).
    private var pendingLabels: [(time: Int64, message: KafkaOutgoingMessage)] = []

    public init(settings: Settings) {
        self.settings = settings
        random = SplitMix64(seed: settings.seed)
        clocks = Array(repeating: Double(settings.start.millisecondsSinceEpoch), count: DemoModel.all.count)
    }

    /// Sends events until each model has `total` (default `eventsPerModel`), in batches whose deliveries are
    /// awaited; `serving` decides each model's version and prediction (default: the built-in versions).
    /// `progress` gets (sent, to send) prediction counts of this run.
    public mutating func run(
        producer: KafkaProducer, topics: Topics, through total: Int? = nil, serving: ServingVersions? = nil,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws {
        precondition(!settings.labels || topics.labels != nil, "labels need a labels topic")
        precondition(settings.featuresShare == 0 || topics.features != nil, "a features share needs a features topic")
        let models = DemoModel.all
        let end = total ?? settings.eventsPerModel
        let toSend = max(0, end - produced) * models.count
        let began = ContinuousClock.now
        var sent = 0
        var batch: [KafkaOutgoingMessage] = []
        batch.reserveCapacity(1_000)
        while produced < end {
            let index = produced
            for (slot, model) in models.enumerated() {
                clocks[slot] += random.exponential(mean: settings.meanInterval)
                let after = index >= settings.driftAfter
                let sample = model.makeEvent(
                    &random,
                    DemoModel.Regime(
                        drifted: after && settings.driftingModels.contains(model.name),
                        relationChanged: after && settings.relationChangedModels.contains(model.name)))
                let (version, prediction) = serving?.predict(model, sample) ?? (model.version, sample.prediction)
                let time = EventTime(millisecondsSinceEpoch: Int64(clocks[slot]))
                var event = PredictionEvent(
                    model: model.name, modelVersion: version, requestID: "\(model.name)-\(settings.seed)-\(index)",
                    time: time, features: Features(sample.features), prediction: prediction,
                    latencyMilliseconds: (random.logNormal(mu: 2.5, sigma: 0.4) * 10).rounded() / 10)
                // Draws for the optional streams only when they are asked for: default traffic stays the same.
                if settings.featuresShare > 0, let features = topics.features, random.unit() < settings.featuresShare {
                    let separate = FeatureEvent(
                        model: model.name, requestID: event.requestID, time: time, features: event.features)
                    event.features = Features()
                    event.awaitsFeatures = true
                    batch.append(KafkaOutgoingMessage(topic: features, key: model.name, value: separate.json()))
                }
                batch.append(KafkaOutgoingMessage(topic: topics.predictions, key: model.name, value: event.json()))
                if settings.labels, let labels = topics.labels,
                    settings.labelShare >= 1 || random.unit() < settings.labelShare
                {
                    pendingLabels.append(label(of: event, truth: sample.truth, topic: labels))
                }
                let number = index * models.count + slot
                if let every = settings.hostileEvery, number % every == every - 1 {
                    let hostile = HostileMessages.message(
                        number / every, model: model.name, maximumBytes: settings.maximumMessageBytes)
                    batch.append(KafkaOutgoingMessage(topic: topics.predictions, key: model.name, value: hostile))
                }
                if let every = settings.largeEvery, number % every == every - 1 {
                    let large = LargeMessages.message(number / every, like: event)
                    batch.append(KafkaOutgoingMessage(topic: topics.predictions, key: model.name, value: large))
                }
            }
            produced += 1
            sent += models.count
            batch += dueLabels(through: produced == end ? .max : Int64(clocks.min()!))
            if batch.count >= 480 || produced == end {
                try await Self.send(batch, producer: producer)
                batch.removeAll(keepingCapacity: true)
                progress(sent, toSend)
                if let rate = settings.rate {
                    try await Task.sleep(
                        until: began + .milliseconds(Int64(Double(sent) / rate * 1000)), clock: .continuous)
                }
            }
        }
    }

    /// The label of a prediction, `labelDelay` later in event time.
    private mutating func label(of event: PredictionEvent, truth: LabelEvent.Value, topic: String)
        -> (time: Int64, message: KafkaOutgoingMessage)
    {
        let delay =
            settings.labelDelay.lowerBound == settings.labelDelay.upperBound
            ? settings.labelDelay.lowerBound
            : settings.labelDelay.lowerBound
                + Int64(random.unit() * Double(settings.labelDelay.upperBound - settings.labelDelay.lowerBound))
        let time = event.time.millisecondsSinceEpoch + delay
        let label = LabelEvent(
            model: event.model, requestID: event.requestID, time: EventTime(millisecondsSinceEpoch: time),
            label: truth)
        return (time, KafkaOutgoingMessage(topic: topic, key: event.model, value: label.json()))
    }

    /// The pending labels whose event time every model's clock has reached, in event-time order.
    private mutating func dueLabels(through clock: Int64) -> [KafkaOutgoingMessage] {
        guard pendingLabels.contains(where: { $0.time <= clock }) else { return [] }
        let due = pendingLabels.filter { $0.time <= clock }.sorted { $0.time < $1.time }
        pendingLabels.removeAll { $0.time <= clock }
        return due.map(\.message)
    }

    /// Sends a batch, sending again what failed transiently (a paused or unreachable broker) until all is
    /// acknowledged; a permanent failure is thrown.
    private static func send(_ batch: [KafkaOutgoingMessage], producer: KafkaProducer) async throws {
        var pending = batch
        while !pending.isEmpty {
            let results = await producer.deliver(pending)
            var failed: [KafkaOutgoingMessage] = []
            for (message, result) in zip(pending, results) {
                guard case .failure(let error) = result else { continue }
                guard error.isTransient else { throw error }
                failed.append(message)
            }
            pending = failed
            if !pending.isEmpty { try await Task.sleep(for: .seconds(1)) }
        }
    }
}
