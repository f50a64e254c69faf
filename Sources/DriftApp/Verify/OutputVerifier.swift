import DriftConfig
import DriftCore
import DriftKafka
import DriftPipeline
import Foundation
import Logging

/// Checks what the monitors published against what one uninterrupted monitor would publish: it reads the input
/// topics from the beginning, replays them through a `DriftMonitor` partition by partition (the idle timeout
/// must be off: wall-clock ticks cannot be replayed), and compares with the output topics. It passes when
/// every expected report and trigger is there, every copy of an id has the expected bytes, no unexpected id
/// appears, and every input that cannot be decoded is in the dead-letter topic.
public struct OutputVerifier: Sendable {
    public struct Result: Sendable, CustomStringConvertible {
        public var inputs = 0
        public var expected = 0
        public var published = 0
        public var duplicates = 0
        public var triggersExpected = 0
        public var undecodable = 0
        public var deadLettered = 0
        /// Dead letters cut to fit the topic (their headers name the original's size, hash and place).
        public var truncatedDeadLetters = 0
        /// Reports published compacted (too large for the topic): checked by id, not by bytes.
        public var compacted = 0
        public var problems: [String] = []

        public var passed: Bool { problems.isEmpty }

        public var description: String {
            """
            inputs read             \(inputs)
            outputs expected        \(expected) (\(triggersExpected) triggers)
            outputs published       \(published) (\(duplicates) duplicate copies, all identical: \(problems.allSatisfy { !$0.hasPrefix("changed") }))
            undecodable inputs      \(undecodable), dead-lettered \(deadLettered) (\(truncatedDeadLetters) truncated)
            reports compacted       \(compacted)
            \(passed ? "PASS" : "FAIL: \(problems.count) problems\n" + problems.prefix(20).map { "  " + $0 }.joined(separator: "\n"))
            """
        }
    }

    let config: DriftwatchConfig
    let logger: Logger

    public init(config: DriftwatchConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func verify() async throws -> Result {
        let topics = config.topics
        let inputs = try await read([topics.predictions, topics.features, topics.labels])
        let outputs = try await read([topics.reports, topics.triggers, topics.alerts, topics.deadletter])
        var result = Result()
        result.inputs = inputs.count

        let replay = Self.expectedOutputs(of: inputs, config: config)
        let expected = replay.outputs
        let undecodable = Set(replay.refused.keys)
        result.expected = expected.count
        result.triggersExpected = replay.triggers
        result.undecodable = undecodable.count

        var published: [String: [[UInt8]]] = [:]
        var deadLettered: Set<String> = []
        var compactedIDs: Set<String> = []
        for message in outputs {
            if message.topic == topics.deadletter {
                let header = { (key: String) in message.headers.first { $0.key == key }?.stringValue ?? "?" }
                deadLettered.insert(
                    "\(header(DeadLetter.sourceTopicHeader))/\(header(DeadLetter.sourcePartitionHeader))/\(header(DeadLetter.sourceOffsetHeader))"
                )
                if header(DeadLetter.truncatedHeader) == "true" { result.truncatedDeadLetters += 1 }
                continue
            }
            guard let object = try? JSONSerialization.jsonObject(with: Data(message.value)) as? [String: Any],
                let id = object["id"] as? String
            else {
                result.problems.append("unreadable output at \(message.topic)[\(message.partition)]@\(message.offset)")
                continue
            }
            let kind = message.topic == topics.triggers ? "trigger " : message.topic == topics.alerts ? "alert " : ""
            if object["compacted"] != nil {
                // Cut to fit its topic: the replay's bytes are the full report's, so only the id is checked.
                result.compacted += 1
                compactedIDs.insert(kind + id)
            }
            published[kind + id, default: []].append(message.value)
        }
        result.published = published.values.reduce(0) { $0 + $1.count }
        result.duplicates = result.published - published.count
        result.deadLettered = deadLettered.intersection(undecodable).count
        for (id, bytes) in expected.sorted(by: { $0.key < $1.key }) {
            guard let copies = published[id] else {
                result.problems.append("missing \(id)")
                continue
            }
            if !compactedIDs.contains(id), let copy = copies.first(where: { $0 != bytes }) {
                result.problems.append(
                    "changed \(id): a copy differs from the expected bytes (\(Self.differences(expected: bytes, published: copy)))"
                )
            }
        }
        for id in published.keys.sorted() where expected[id] == nil {
            result.problems.append("unexpected \(id)")
        }
        for missing in undecodable.subtracting(deadLettered).sorted() {
            result.problems.append("not dead-lettered: \(missing)")
        }
        return result
    }

    /// What one uninterrupted monitor publishes for `inputs`: each partition number's three streams merged by
    /// event time as the pipeline merges them (`StreamAlignment`), through the pipeline's admission. Each
    /// output's bytes by id (`trigger <id>`, `alert <id>`, or the report's id), and the refused inputs
    /// (`topic/partition/offset`) with why.
    public struct Expected: Sendable {
        public var outputs: [String: [UInt8]] = [:]
        public var refused: [String: EventDecodingError] = [:]
        public var triggers = 0
    }

    public static func expectedOutputs(of inputs: [KafkaMessage], config: DriftwatchConfig) -> Expected {
        var monitor = DriftMonitor(settings: config.monitor, models: config.models)
        var expected = Expected()
        let streams = InputStreams(topics: config.topics)
        let admission = config.admission
        var names = FeatureNameCache()
        var alignment = StreamAlignment<(input: AdmittedInput, position: EventPosition)>()
        for message in inputs.sorted(by: { ($0.topic, $0.partition, $0.offset) < ($1.topic, $1.partition, $1.offset) })
        {
            guard let stream = streams.stream(of: message.topic) else { continue }
            let position = EventPosition(stream, partition: message.partition, offset: message.offset)
            let input = admission.admit(message.value, stream: stream, names: &names)
            if case .refused(let error) = input {
                expected.refused["\(message.topic)/\(message.partition)/\(message.offset)"] = error
            }
            alignment.push((input, position), time: input.time, from: position.source)
        }
        for (input, position) in alignment.release(waitingFor: { _ in false }) {
            for output in monitor.ingest(input, at: position, receivedAt: 0) {
                guard let publication = output.publication(now: 0), publication.role != .changelog else { continue }
                switch publication.role {
                case .triggers:
                    expected.outputs["trigger " + publication.id] = publication.value
                    expected.triggers += 1
                case .alerts: expected.outputs["alert " + publication.id] = publication.value
                default: expected.outputs[publication.id] = publication.value
                }
            }
        }
        return expected
    }

    /// The fields where a published copy differs from the expected output, as `path: expected ≠ published`
    /// (the first six; objects compared key by key, arrays of equal length item by item; long values cut).
    static func differences(expected: [UInt8], published: [UInt8]) -> String {
        func parse(_ bytes: [UInt8]) -> Any? {
            try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        }
        func text(_ value: Any?) -> String {
            guard let value, JSONSerialization.isValidJSONObject([value]),
                let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys])
            else { return "absent" }
            let json = String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
            return json.count > 80 ? json.prefix(77) + "…" : json
        }
        var found: [String] = []
        func compare(_ a: Any?, _ b: Any?, _ path: String) {
            if let a = a as? [String: Any], let b = b as? [String: Any] {
                for key in Set(a.keys).union(b.keys).sorted() {
                    compare(a[key], b[key], path.isEmpty ? key : "\(path).\(key)")
                }
            } else if let a = a as? [Any], let b = b as? [Any], a.count == b.count {
                for index in a.indices { compare(a[index], b[index], "\(path)[\(index)]") }
            } else if text(a) != text(b) {
                found.append("\(path.isEmpty ? "value" : path): \(text(a)) ≠ \(text(b))")
            }
        }
        compare(parse(expected), parse(published), "")
        return found.isEmpty
            ? "same JSON, other bytes" : found.prefix(6).joined(separator: "; ") + (found.count > 6 ? "; …" : "")
    }

    /// Every message of `topics`, read from the beginning to the current end.
    private func read(_ topics: [String]) async throws -> [KafkaMessage] {
        let reader = try StateTopicsReader(configuration: config.consumerConfiguration, topics: topics, logger: logger)
        let partitions = try await reader.start()
        let messages = try await reader.readToEnd(partitions: partitions, timeout: .seconds(120))
        try await reader.close()
        return messages
    }
}
