import DriftConfig
import DriftCore
import DriftKafka
import DriftPipeline
import DriftStats
import DriftStore
import Foundation
import Logging
import ServiceLifecycle

/// The training service of the retraining loop (`driftwatch-trainer`): consumes `retrain.triggers` in a
/// consumer group of its own, retrains the model on the labelled events of the trigger's suggested range
/// (logistic regression, LogisticRegression), evaluates it on a hold-out split against the deployed
/// version's logged predictions, and either registers and deploys version N+1 (a `model.deployments` event
/// with the new reference profile and parameters) or registers it as rejected and raises an alert.
/// A trigger id is handled once (the registry's trigger log); triggers of a model that arrive together are
/// coalesced to the newest. Offsets are stored after the work, so a crashed trainer loses no trigger.
public final class TrainerService: Service {
    private let config: DriftwatchConfig
    private let logger: Logger

    public init(config: DriftwatchConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func run() async throws {
        let store = try StateStore(path: config.storePath)
        var configuration = config.consumerConfiguration
        configuration.groupID = config.trainer.groupID
        configuration.client.clientID += "-trainer"
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let producer = try KafkaProducer(configuration: config.producerConfiguration, logger: logger)
        try consumer.subscribe(topics: [config.topics.triggers])
        logger.info("trainer waiting for triggers", metadata: ["kafka.topic": "\(config.topics.triggers)"])
        do {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let batch = try await consumer.poll(maximum: 100, timeout: .milliseconds(500))
                guard !batch.isEmpty else { continue }
                try await handle(batch, store: store, producer: producer)
                let next = Dictionary(batch.map { ($0.topicPartition, $0.offset + 1) }, uniquingKeysWith: max)
                consumer.storeOffsets(next.map { KafkaTopicPartitionOffset($0.key, offset: $0.value) })
                try await consumer.commit()
            }
        } catch {
            logger.error("trainer stopped: \(error)")
            try? await producer.close(timeout: .seconds(5))
            throw error
        }
        try await producer.close()
        try await consumer.close()
    }

    private func handle(_ batch: [KafkaMessage], store: StateStore, producer: KafkaProducer) async throws {
        var newest: [String: RetrainTrigger] = [:]
        let now = EventTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)).rfc3339
        for message in batch {
            guard let trigger = try? JSONDecoder().decode(RetrainTrigger.self, from: Data(message.value)) else {
                logger.warning("not a retrain trigger", metadata: ["kafka.offset": "\(message.offset)"])
                continue
            }
            if let previous = newest[trigger.data.model] {
                let (kept, dropped) =
                    previous.data.window.end >= trigger.data.window.end ? (previous, trigger) : (trigger, previous)
                newest[trigger.data.model] = kept
                _ = try store.record(trigger: record(dropped, outcome: "coalesced", version: nil, at: now))
            } else {
                newest[trigger.data.model] = trigger
            }
        }
        for trigger in newest.values.sorted(by: { $0.id < $1.id }) {
            guard try !store.hasTrigger(id: trigger.id) else {
                logger.info("duplicate trigger ignored", metadata: ["trigger.id": "\(trigger.id)"])
                continue
            }
            // A trigger about a version a retraining has replaced already is stale.
            let newer = try store.versions(model: trigger.data.model).filter {
                $0.status == .deployed && (Int($0.version) ?? 0) > (Int(trigger.data.modelVersion) ?? 0)
            }
            if let replacement = newer.first {
                _ = try store.record(
                    trigger: record(trigger, outcome: "superseded", version: replacement.version, at: now))
                logger.info(
                    "trigger superseded",
                    metadata: ["trigger.id": "\(trigger.id)", "model.version": "\(replacement.version)"])
                continue
            }
            try await retrain(for: trigger, store: store, producer: producer, now: now)
        }
    }

    private func retrain(for trigger: RetrainTrigger, store: StateStore, producer: KafkaProducer, now: String)
        async throws
    {
        let model = trigger.data.model
        guard let range = trigger.data.suggestedTrainingRange,
            let from = EventTime(rfc3339: range.from), let to = EventTime(rfc3339: range.to)
        else {
            logger.warning("trigger without a usable training range", metadata: ["trigger.id": "\(trigger.id)"])
            return
        }
        // Only the range is read (events out of order by up to the slack included), and labels from its start on.
        let slack = max(config.monitor.allowedLateness, 60_000)
        let reader = EventTimeRangeReader(configuration: config.consumerConfiguration, logger: logger)
        let predictions = try await reader.read(
            topic: config.topics.predictions, from: from.millisecondsSinceEpoch, through: to.millisecondsSinceEpoch,
            slack: slack
        ) { try? PredictionEvent.decode(json: $0).time.millisecondsSinceEpoch }
        let labels = try await reader.read(
            topic: config.topics.labels, from: from.millisecondsSinceEpoch, through: nil, slack: slack
        ) { try? LabelEvent.decode(json: $0).time.millisecondsSinceEpoch }
        let set = TrainingSet.build(
            model: model, from: from, to: to, predictions: predictions.values, labels: labels.values)
        logger.info(
            "training data read",
            metadata: [
                "trigger.id": "\(trigger.id)", "predictions.read": "\(predictions.read)",
                "predictions.total": "\(predictions.total)", "predictions.probes": "\(predictions.probes)",
                "labels.read": "\(labels.read)", "labels.total": "\(labels.total)",
            ])
        let version = try nextVersion(of: model, after: trigger.data.modelVersion, store: store)
        logger.notice(
            "retraining",
            metadata: [
                "model.id": "\(model)", "trigger.id": "\(trigger.id)", "examples": "\(set.count)",
                "training.features": "\(set.featureNames)", "model.version": "\(version)",
            ])
        guard set.training.count >= config.trainer.minimumExamples, !set.holdout.isEmpty, !set.featureNames.isEmpty
        else {
            _ = try store.record(trigger: record(trigger, outcome: "insufficient-data", version: nil, at: now))
            try await alert(
                trigger, reason: "only \(set.count) labelled examples in \(range.from)…\(range.to)", producer: producer)
            return
        }
        let fitted = LogisticRegression.fit(set.training.map(\.features), labels: set.training.map(\.label))
        let candidate = accuracy(set.holdout) { fitted.probability($0.features) }
        let deployed = accuracy(set.holdout.filter { $0.loggedScore != nil }) { $0.loggedScore! }
        let accepted = candidate >= config.trainer.accuracyFloor && candidate >= deployed
        let metrics =
            "{\"deployed_holdout_accuracy\":\(deployed),\"holdout_accuracy\":\(candidate),"
            + "\"holdout_examples\":\(set.holdout.count),\"training_examples\":\(set.training.count)}"
        var versionRecord = StateStore.VersionRecord(
            model: model, version: version, status: accepted ? .deployed : .rejected,
            parentVersion: trigger.data.modelVersion, triggerID: trigger.id, trainingFrom: range.from,
            trainingTo: range.to,
            metrics: metrics, createdAt: now)
        guard accepted else {
            try store.register(versionRecord)
            _ = try store.record(trigger: record(trigger, outcome: "rejected", version: version, at: now))
            try await alert(
                trigger,
                reason:
                    "candidate \(version) rejected: hold-out accuracy \(candidate) vs deployed \(deployed), floor \(config.trainer.accuracyFloor)",
                producer: producer)
            return
        }
        var reference = self.reference(of: set, scoredBy: fitted, version: version, model: model)
        reference.modelVersion = version
        var deployment = DeploymentEvent(
            model: model, modelVersion: version, deployedAt: EventTime(rfc3339: now)!, reference: reference)
        deployment.parameters = .init(features: set.featureNames, logisticRegression: fitted)
        try store.save(reference, model: model)
        versionRecord.status = .deployed
        try store.register(versionRecord)
        try await producer.send([
            KafkaOutgoingMessage(topic: config.topics.deployments, key: model, value: deployment.json())
        ])
        _ = try store.record(trigger: record(trigger, outcome: "retrained", version: version, at: now))
        logger.notice(
            "deployed",
            metadata: [
                "model.id": "\(model)", "model.version": "\(version)", "holdout.accuracy": "\(candidate)",
                "deployed.accuracy": "\(deployed)",
            ])
    }

    /// The new version's reference: the training range's features, the new model's scores on them and their
    /// labels (the calibration of performance estimation).
    private func reference(
        of set: TrainingSet, scoredBy fitted: LogisticRegression, version: String, model: String
    ) -> ReferenceProfile {
        var builder = ReferenceBuilder()
        for example in set.training + set.holdout {
            builder.add(
                features: example.event.features, prediction: .score(fitted.probability(example.features)),
                truth: example.label)
        }
        let settings = config.models[model] ?? config.monitor
        return builder.profile(
            modelVersion: version, source: .deployment, psiBins: settings.psiBins, threshold: settings.labels.threshold)
    }

    /// The next version number: one more than every numeric version registered or triggered.
    private func nextVersion(of model: String, after current: String, store: StateStore) throws -> String {
        let known = try store.versions(model: model).compactMap { Int($0.version) } + [Int(current) ?? 0]
        return String((known.max() ?? 0) + 1)
    }

    private func accuracy(_ examples: [TrainingSet.Example], score: (TrainingSet.Example) -> Double) -> Double {
        guard !examples.isEmpty else { return 0 }
        return Double(examples.filter { (score($0) >= 0.5) == $0.label }.count) / Double(examples.count)
    }

    private func record(_ trigger: RetrainTrigger, outcome: String, version: String?, at now: String)
        -> StateStore.TriggerRecord
    {
        StateStore.TriggerRecord(
            id: trigger.id, model: trigger.data.model, version: trigger.data.modelVersion,
            windowEnd: trigger.data.window.end,
            rule: trigger.data.rule, outcome: outcome, resultVersion: version, receivedAt: now)
    }

    /// Publishes a `dev.driftwatch.retrain.rejected` alert (CloudEvents; id = trigger id + `/rejected`).
    private func alert(_ trigger: RetrainTrigger, reason: String, producer: KafkaProducer) async throws {
        logger.warning(
            "retraining rejected", metadata: ["model.id": "\(trigger.data.model)", "rejection.reason": "\(reason)"])
        let event = RetrainRejected(trigger: trigger, reason: reason)
        try await producer.send([
            KafkaOutgoingMessage(topic: config.topics.alerts, key: trigger.data.model, value: event.json())
        ])
    }
}
