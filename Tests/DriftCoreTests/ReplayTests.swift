import DriftCore
import DriftStats
import Testing

/// The delivery guarantee at the heart of the monitor: after a crash at any point, a new monitor that
/// restores the published references (the changelog) and replays from the stored offsets publishes the
/// same reports and triggers — every one of a crash-free run, duplicates identical to the letter.
@Suite struct ReplayTests {
    enum Input {
        case prediction(PredictionEvent)
        case label(LabelEvent)
        case undecodable
    }

    struct Message {
        var stream: EventStream
        var partition: Int32
        var offset: Int64
        var input: Input
    }

    static var settings: MonitorSettings {
        var settings = MonitorSettings()
        settings.windowSize = 5_000
        settings.allowedLateness = 1_000
        settings.idleTimeout = nil
        settings.bootstrapEvents = 200
        settings.policy.minimumWindowEvents = 20
        settings.labels.ttl = 4_000
        settings.labels.minimumLabels = 5
        // Bootstrapped references get their calibration from the first 150 labelled scores: the fit and the
        // windows estimated after it must come out the same after any crash.
        settings.labels.calibrationLabels = 150
        // Rules with memory (k of n, cooldown) and a corrected p-value rule: their state is checkpointed too.
        var drift = PolicyRule(
            name: "feature-drift", conditions: [.init(.psi, above: 0.2), .init(.ksStatistic, above: 0.2)])
        drift.k = 2
        drift.n = 3
        drift.cooldown = 10_000
        drift.retrain = true
        var ks = PolicyRule(name: "ks", conditions: [.init(.ksPValue, below: 0.01)])
        ks.severity = .info
        settings.policy.rules = [drift, ks]
        settings.policy.correction = .benjaminiHochberg
        return settings
    }

    /// Three models on two partitions, out-of-order and late events, drift in one model, undecodable
    /// messages, and labels for a third of the predictions a few seconds later.
    static func stream(seed: UInt64) -> [Message] {
        var random = SplitMix64(seed: seed)
        var offsets: [SourcePartition: Int64] = [:]
        var messages: [Message] = []
        func append(_ stream: EventStream, _ partition: Int32, _ input: Input) {
            let source = SourcePartition(stream: stream, partition: partition)
            messages.append(
                Message(stream: stream, partition: partition, offset: offsets[source, default: 0], input: input))
            offsets[source, default: 0] += 1
        }
        let models: [(String, Int32)] = [("a", 0), ("b", 1), ("c", 1)]
        var labelsDue: [(time: Int64, LabelEvent, Int32)] = []
        for step in 0..<3_000 {
            let (model, partition) = models[Int(random.next() % 3)]
            var time = Int64(step) * 10
            if random.unit() < 0.05 { time -= Int64(random.unit() * 800) }  // out of order, within lateness
            if random.unit() < 0.01 { time -= 3_000 }  // late
            let shift = model == "b" && step > 1_500 ? 2.0 : 0
            let score = random.unit()
            let event = PredictionEvent(
                model: model, modelVersion: "1", requestID: "\(model)-\(step)",
                time: EventTime(millisecondsSinceEpoch: time),
                features: [
                    "x": .number(random.normal(mean: shift, sd: 1)), "k": .category(random.unit() < 0.5 ? "u" : "v"),
                ],
                prediction: .score(score))
            append(.predictions, partition, random.unit() < 0.01 ? .undecodable : .prediction(event))
            if random.unit() < 0.33 {
                let label = LabelEvent(
                    model: model, requestID: event.requestID, time: EventTime(millisecondsSinceEpoch: time + 2_000),
                    label: .number(random.unit() < score ? 1 : 0))
                labelsDue.append((time + 2_000, label, partition))
            }
            while let first = labelsDue.first, first.time <= Int64(step) * 10 {
                append(.labels, first.2, .label(first.1))
                labelsDue.removeFirst()
            }
        }
        return messages
    }

    /// Feeds messages to a monitor; returns its outputs.
    static func feed(_ messages: ArraySlice<Message>, to monitor: inout DriftMonitor) -> [MonitorOutput] {
        var outputs: [MonitorOutput] = []
        for message in messages {
            let position = EventPosition(message.stream, partition: message.partition, offset: message.offset)
            switch message.input {
            case .prediction(let event): outputs += monitor.ingest(event, at: position, receivedAt: 0)
            case .label(let event): outputs += monitor.ingest(event, at: position, receivedAt: 0)
            case .undecodable: monitor.skip(at: position)
            }
        }
        return outputs
    }

    /// Published outputs by id, with their bytes.
    static func published(_ outputs: [MonitorOutput]) -> [(String, [UInt8])] {
        outputs.compactMap { output in
            switch output {
            case .report(let report): (report.id, report.json())
            case .trigger(let trigger): (trigger.id, trigger.json())
            case .performance(let report): (report.id, report.json())
            case .alert(let alert): ("alert " + alert.id, alert.json())
            default: nil
            }
        }
    }

    /// References built from labelled events (as the trainer and `reference build` make them): performance is
    /// estimated in every window (also for windows replayed after a crash, whose performance reports repeat the
    /// estimate) and the reconstruction error is measured.
    static func trainedReferences() -> [(String, ReferenceProfile)] {
        ["a", "b", "c"].map { model in
            var random = SplitMix64(seed: TrainingSeed.of(model))
            var builder = ReferenceBuilder()
            for _ in 0..<500 {
                let score = random.unit()
                builder.add(
                    features: [
                        "x": .number(random.normal(mean: 0, sd: 1)), "k": .category(random.unit() < 0.5 ? "u" : "v"),
                    ], prediction: .score(score), truth: random.unit() < score)
            }
            return (model, builder.profile(modelVersion: "1", source: .file, psiBins: 10))
        }
    }

    enum TrainingSeed {
        static func of(_ model: String) -> UInt64 { UInt64(model.unicodeScalars.first!.value) }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64], [false, true])
    func crashesAnywhereLoseNothingAndChangeNothing(seed: UInt64, trained: Bool) throws {
        let messages = Self.stream(seed: seed)
        let installed = trained ? Self.trainedReferences() : []
        var clean = DriftMonitor(settings: Self.settings)
        for (model, profile) in installed { clean.install(profile, model: model) }
        let expected = Self.published(Self.feed(messages[...], to: &clean))
        #expect(expected.contains { $0.0.hasSuffix("/performance") })
        // With bootstrapped references, the calibration fitted on the first labelled windows estimates the later
        // windows (window reports; the stream ends before their labels had their TTL).
        let windows = expected.filter { !$0.0.hasSuffix("/performance") && !$0.0.hasPrefix("alert") }.map {
            String(decoding: $0.1, as: UTF8.self)
        }
        #expect(windows.contains { $0.contains("\"estimated\"") })
        #expect(trained || windows.contains { !$0.contains("\"estimated\"") && $0.contains("\"type\":\"window\"") })
        if trained {
            let performance = expected.filter { $0.0.hasSuffix("/performance") }.map {
                String(decoding: $0.1, as: UTF8.self)
            }
            #expect(performance.allSatisfy { $0.contains("\"estimated\"") })
            #expect(performance.contains { $0.contains("\"estimation_error\"") })
        }
        #expect(expected.contains { $0.0.hasSuffix("/feature-drift") && !$0.0.hasPrefix("alert") })
        #expect(expected.contains { $0.0.hasPrefix("alert") && $0.0.hasSuffix("/ks") })

        // Batches of 50 messages in partition order; after each batch the outputs are published, then the
        // offsets stored. A crash hits right after publishing (the worst point: outputs out, offsets not).
        var random = SplitMix64(seed: seed &+ 100)
        var monitor = DriftMonitor(settings: Self.settings)
        for (model, profile) in installed { monitor.install(profile, model: model) }
        var changelog: [(String, ReferenceProfile)] = installed
        var checkpoints: [Int32: MonitorCheckpoint] = [:]
        var publishedOutputs: [(String, [UInt8])] = []
        var crashes = 0
        var batchStart = 0
        var pending = messages
        while batchStart < pending.count {
            let batch = pending[batchStart..<min(batchStart + 50, pending.count)]
            let outputs = Self.feed(batch, to: &monitor)
            publishedOutputs += Self.published(outputs)
            for case .referenceCaptured(let model, let profile) in outputs { changelog.append((model, profile)) }
            batchStart += batch.count
            if random.unit() < 0.08 {
                // Crash: a new monitor restores the changelog and the checkpoints, then replays from their
                // resume points.
                crashes += 1
                monitor = DriftMonitor(settings: Self.settings)
                for (model, profile) in changelog { monitor.install(profile, model: model) }
                for checkpoint in checkpoints.values { monitor.restore(checkpoint) }
                pending = messages.filter {
                    $0.offset >= checkpoints[$0.partition]?.resume[$0.stream.rawValue]?.offset ?? 0
                }
                batchStart = 0
                continue
            }
            for partition in [0, 1] as [Int32] {
                if let checkpoint = monitor.checkpoint(partition: partition) { checkpoints[partition] = checkpoint }
            }
        }
        #expect(crashes >= 3)
        Self.expectSame(publishedOutputs, as: expected)
    }

    /// The same monitor loses a partition (a session timeout: no final checkpoint) or has it revoked (a final
    /// checkpoint first) and later gets it back: it restores the partition's checkpoint and replays it from the
    /// resume points, while the other partition goes on. The references it had stay (they belong to the
    /// model version, not to the partition), so the replay publishes exactly what a run without it did.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func partitionsLostAndRegainedLoseNothingAndChangeNothing(seed: UInt64) throws {
        let messages = Self.stream(seed: seed)
        var clean = DriftMonitor(settings: Self.settings)
        let expected = Self.published(Self.feed(messages[...], to: &clean))

        var random = SplitMix64(seed: seed &+ 200)
        var monitor = DriftMonitor(settings: Self.settings)
        var checkpoints: [Int32: MonitorCheckpoint] = [:]
        var publishedOutputs: [(String, [UInt8])] = []
        var fed: [SourcePartition: Int64] = [:]
        var interruptions = 0
        var pending = messages[...]
        while !pending.isEmpty {
            let batch = pending.prefix(50)
            pending = pending.dropFirst(batch.count)
            publishedOutputs += Self.published(Self.feed(batch, to: &monitor))
            for message in batch {
                fed[SourcePartition(stream: message.stream, partition: message.partition)] = message.offset + 1
            }
            if random.unit() < 0.1 {
                interruptions += 1
                let partition = Int32(random.next() % 2)
                if random.unit() < 0.5, let final = monitor.checkpoint(partition: partition) {
                    checkpoints[partition] = final
                }
                for stream in EventStream.allCases {
                    monitor.drop(SourcePartition(stream: stream, partition: partition))
                }
                if let checkpoint = checkpoints[partition] { monitor.restore(checkpoint) }
                // The regained partition from its resume points, the other one where it was.
                for stream in EventStream.allCases {
                    fed[SourcePartition(stream: stream, partition: partition)] =
                        checkpoints[partition]?.resume[stream.rawValue]?.offset ?? 0
                }
                pending =
                    messages.filter {
                        $0.offset >= fed[SourcePartition(stream: $0.stream, partition: $0.partition)] ?? 0
                    }[...]
                continue
            }
            for partition in [0, 1] as [Int32] {
                if let checkpoint = monitor.checkpoint(partition: partition) { checkpoints[partition] = checkpoint }
            }
        }
        #expect(interruptions >= 3)
        Self.expectSame(publishedOutputs, as: expected)
    }

    /// Every expected output was published, every copy with the expected bytes, and nothing else.
    static func expectSame(_ publishedOutputs: [(String, [UInt8])], as expected: [(String, [UInt8])]) {
        let expectedByID = Dictionary(expected, uniquingKeysWith: { first, _ in first })
        let publishedByID = Dictionary(grouping: publishedOutputs, by: \.0)
        for (id, bytes) in expectedByID {
            let copies = publishedByID[id] ?? []
            #expect(!copies.isEmpty, "lost: \(id)")
            #expect(
                copies.allSatisfy { $0.1 == bytes },
                "a replay changed \(id): \(String(decoding: bytes, as: UTF8.self)) vs \(copies.map { String(decoding: $0.1, as: UTF8.self) })"
            )
        }
        #expect(Set(publishedByID.keys) == Set(expectedByID.keys))
    }
}
