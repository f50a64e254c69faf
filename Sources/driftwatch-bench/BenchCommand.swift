import ArgumentParser
import DriftApp
import DriftConfig
import DriftCore
import DriftKafka
import DriftPipeline
import DriftStats
import Foundation
import Logging

/// `driftwatch-bench`: the Swift half of the end-to-end benchmark (`Benchmarks/e2e/run` drives it).
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftwatch-bench",
        abstract: "End-to-end benchmark: load wide prediction events into a topic, then time Driftwatch over it.",
        discussion: """
            Benchmarks/e2e/run runs the whole comparison (raw librdkafka consume rate, Driftwatch, a Python peer) \
            on the same data and prints the table; build in release.

            Examples:
              driftwatch-bench load --topic bench.predictions --events 2000000
              driftwatch-bench monitor --topic bench.predictions --events 2000000
              driftwatch-bench process --events 400000
            """,
        subcommands: [Load.self, Monitor.self, Process.self])
}

struct Connection: ParsableArguments {
    @Option(help: "Bootstrap brokers.")
    var brokers = ProcessInfo.processInfo.environment["DRIFTWATCH_BROKERS"] ?? "127.0.0.1:19092"

    @Option(help: "The topic holding the events.")
    var topic = "bench.predictions"

    @Option(help: "How many events (the loader writes them; the monitor waits for them).")
    var events = 2_000_000

    @Option(help: "Partitions of the topic (the loader spreads the models over them, model i on partition i mod n).")
    var partitions = 1

    func config() -> DriftwatchConfig {
        var config = DriftwatchConfig()
        config.kafka.brokers = brokers
        config.kafka.sessionTimeout = .seconds(6)
        config.kafka.maxPollInterval = .seconds(30)
        return config
    }

    /// Checks librdkafka, sets up logging (warnings and worse) and returns the configuration and a logger.
    func start() throws -> (DriftwatchConfig, Logger) {
        try KafkaLibraryVersion.requireSupported()
        LoggingSystem.bootstrap { name in
            var handler = StreamLogHandler.standardError(label: name)
            handler.logLevel = .warning
            return handler
        }
        return (config(), Logger(label: "driftwatch.bench"))
    }
}

extension Bench {
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the benchmark's events to a one-partition topic, unless it holds them already.")

        @OptionGroup var connection: Connection

        func run() async throws {
            let (config, logger) = try connection.start()
            let admin = try KafkaAdmin(configuration: config.clientConfiguration, logger: logger)
            _ = try await admin.createTopics([
                KafkaTopicSpec(name: connection.topic, partitions: Int32(connection.partitions))
            ])
            let consumer = try KafkaConsumer(configuration: config.consumerConfiguration, logger: logger)
            let partitions = try await consumer.assignAll(of: [connection.topic])
            let present = try await consumer.highWatermarks(of: partitions).map(\.offset).reduce(0, +)
            try await consumer.close()
            let total = BenchTraffic.messageCount(events: connection.events)
            // A marker records a finished load (Tansu 0.6 may report a high watermark a few below the last
            // offset after batch writes, so the count alone cannot tell).
            let marker = ".build/bench/\(connection.topic).loaded"
            if present > 0 {
                guard (try? String(contentsOfFile: marker, encoding: .utf8)) == String(total) else {
                    throw ValidationError(
                        "\(connection.topic) holds \(present) messages but no finished load of \(total) is recorded in \(marker): "
                            + "delete the topic (or restart the local broker) or name another --topic")
                }
                print("load: \(connection.topic) holds its \(total) messages already")
                return
            }
            let producer = try KafkaProducer(configuration: config.producerConfiguration, logger: logger)
            let started = ContinuousClock.now
            var bytes = 0
            var sent = 0
            var batch: [KafkaOutgoingMessage] = []
            batch.reserveCapacity(5_000)
            var traffic = BenchTraffic()
            while let event = traffic.next(of: connection.events) {
                let value = event.json()
                bytes += value.count
                let slot = BenchTraffic.models.firstIndex(of: event.model) ?? 0
                batch.append(
                    KafkaOutgoingMessage(
                        topic: connection.topic, partition: Int32(slot % connection.partitions),
                        key: Array(event.model.utf8), value: value))
                if batch.count == 5_000 {
                    try await producer.send(batch)
                    sent += batch.count
                    batch.removeAll(keepingCapacity: true)
                    if sent % 200_000 == 0 { print("load: \(sent)/\(total) messages") }
                }
            }
            try await producer.send(batch)
            sent += batch.count
            try await producer.close()
            try FileManager.default.createDirectory(atPath: ".build/bench", withIntermediateDirectories: true)
            try String(total).write(toFile: marker, atomically: true, encoding: .utf8)
            let seconds = (ContinuousClock.now - started).seconds
            print(
                "load: \(sent) messages, \(bytes / max(sent, 1)) bytes each on average, in \(String(format: "%.1f", seconds)) s"
            )
        }
    }

    struct Monitor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run the monitor pipeline over the topic from offset 0 until every window is reported; print JSON.")

        @OptionGroup var connection: Connection

        @Option(help: "KS p-value method (drift.ks_method): auto, exact or asymp.")
        var ksMethod = KolmogorovSmirnov.PValueMethod.auto

        @Option(
            help: """
                Join this consumer group with other instances (each a process of its own) and stop after this \
                many idle seconds instead of at the last window report: the scaling runs.
                """)
        var group: String?

        @Option(help: "With --group: seconds without an event, after the first, that end the run.")
        var idle = 5.0

        @Flag(help: "Turn the per-event reconstruction error off (multivariate.reconstruction: false), to compare.")
        var noReconstruction = false

        func run() async throws {
            MallocArenas.limit()  // as `driftwatch run` does
            var (config, logger) = try connection.start()
            config.monitor.policy.decision.ksMethod = ksMethod
            config.monitor.multivariate.reconstruction = !noReconstruction
            let run = group ?? "bench-\(UInt64(Date().timeIntervalSince1970 * 1000))"
            config.kafka.groupID = run
            config.topics = config.topics.suffixed(".\(run)")
            config.topics.predictions = connection.topic
            config.storePath = ".build/bench/\(run)-\(getpid()).sqlite"
            config.monitor.idleTimeout = nil
            let admin = try KafkaAdmin(configuration: config.clientConfiguration, logger: logger)
            let outputs = DriftwatchConfig.Topics.roles.filter { $0 != "predictions" }.compactMap { config.topics[$0] }
            // Co-partitioned inputs: the features and labels topics get the predictions topic's partition count.
            let inputs = [config.topics.features, config.topics.labels]
            _ = try await admin.createTopics(
                outputs.map {
                    KafkaTopicSpec(
                        name: $0, partitions: inputs.contains($0) ? Int32(connection.partitions) : 1,
                        config: $0 == config.topics.changelog ? ["cleanup.policy": "compact"] : [:])
                })

            let total = BenchTraffic.messageCount(events: connection.events)
            let expected = BenchTraffic.expectedWindowReports(events: connection.events)
            let pipeline = MonitorPipeline(config: config, logger: logger)
            let statistics = pipeline.statistics
            let task = Task { try await pipeline.run() }
            var last = (events: 0, reports: 0, at: ContinuousClock.now)
            // Wall-clock times of the first and last event, for combining instances' runs.
            var firstWall: Double?
            var lastWall = 0.0
            let deadline = ContinuousClock.now + .seconds(1_800)
            func done() -> Bool {
                guard group != nil else { return last.events >= total && last.reports >= expected }
                return last.events > 0 && (ContinuousClock.now - last.at).seconds >= idle
            }
            while !done() {
                try await Task.sleep(for: .milliseconds(5))
                let now = (events: statistics.eventsProcessed, reports: statistics.windowReports)
                if now.events != last.events || now.reports != last.reports {
                    last = (now.events, now.reports, .now)
                    lastWall = Date().timeIntervalSince1970
                    if firstWall == nil { firstWall = lastWall }
                }
                if ContinuousClock.now > deadline { throw ValidationError("not done after 30 minutes: \(last)") }
            }
            let finished = last.at
            task.cancel()
            _ = try? await task.value
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let cpu =
                Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
            let seconds = (finished - statistics.firstEventAt!).seconds
            let result: [String: Double] = [
                "events": Double(last.events), "window_reports": Double(last.reports), "seconds": seconds,
                "first_event_epoch": firstWall ?? 0, "last_event_epoch": lastWall,
                "cpu_us_per_event": cpu / Double(max(last.events, 1)) * 1e6,
                "events_per_second": Double(last.events) / seconds, "cpu_seconds": cpu,
                "peak_rss_mib": Double(usage.ru_maxrss) / 1024,
                "p50_us": statistics.processingMicroseconds(atPercentile: 50) ?? 0,
                "p99_us": statistics.processingMicroseconds(atPercentile: 99) ?? 0,
                "p999_us": statistics.processingMicroseconds(atPercentile: 99.9) ?? 0,
            ]
            print(
                String(
                    decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self)
            )
        }
    }
}

extension Bench {
    struct Process: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the processing alone, in memory without Kafka: decoding, then the monitor; print JSON.",
            discussion:
                "The same events as `load`, encoded once; shows how fast the pipeline could go if Kafka cost nothing.")

        @Option(help: "How many events.")
        var events = 400_000

        @Option(help: "KS p-value method (drift.ks_method): auto, exact or asymp.")
        var ksMethod = KolmogorovSmirnov.PValueMethod.auto

        @Flag(help: "Turn the per-event reconstruction error off (multivariate.reconstruction: false), to compare.")
        var noReconstruction = false

        func run() throws {
            var traffic = BenchTraffic()
            var messages: [[UInt8]] = []
            messages.reserveCapacity(BenchTraffic.messageCount(events: events))
            while let event = traffic.next(of: events) { messages.append(event.json()) }
            let clock = ContinuousClock()
            var config = DriftwatchConfig()
            config.monitor.policy.decision.ksMethod = ksMethod
            config.monitor.multivariate.reconstruction = !noReconstruction
            // The pipeline's admission and ingestion, timed apart (decoding runs on its own thread in `run`).
            let admission = config.admission
            var admitted: [AdmittedInput] = []
            admitted.reserveCapacity(messages.count)
            let decoding = clock.measure {
                var names = FeatureNameCache()
                for message in messages {
                    admitted.append(admission.admit(message, stream: .predictions, names: &names))
                }
            }
            guard !admitted.contains(where: { if case .refused = $0 { true } else { false } }) else {
                throw ValidationError("the generated traffic was refused by the admission (a bug in BenchTraffic)")
            }
            var monitor = DriftMonitor(settings: config.monitor, models: config.models)
            var reports = 0
            let monitoring = clock.measure {
                for (offset, input) in admitted.enumerated() {
                    let position = EventPosition(.predictions, partition: 0, offset: Int64(offset))
                    let outputs = monitor.ingest(input, at: position, receivedAt: 0)
                    reports += outputs.count { if case .report = $0 { true } else { false } }
                }
            }
            let count = Double(messages.count)
            let result: [String: Double] = [
                "events": count, "window_reports": Double(reports),
                "decode_events_per_second": count / decoding.seconds,
                "monitor_events_per_second": count / monitoring.seconds,
                "events_per_second": count / (decoding + monitoring).seconds,
            ]
            print(
                String(
                    decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self)
            )
        }
    }
}

extension KolmogorovSmirnov.PValueMethod: ExpressibleByArgument {}
