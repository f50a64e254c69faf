import DriftKafka
import Foundation
import Yams

/// Reads `topics/topics.yaml`: partitions and topic configs per role. The names come from the driftwatch
/// config, so a deployment can rename topics without editing the definitions.
public enum TopicCatalog {
    public static func load(path: String, names: DriftwatchConfig.Topics) throws -> [KafkaTopicSpec] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw ConfigError(file: path, "cannot read the topic definitions (pass --definitions PATH)")
        }
        return try parse(yaml: text, file: path, names: names)
    }

    public static func parse(yaml text: String, file: String, names: DriftwatchConfig.Topics) throws -> [KafkaTopicSpec]
    {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(file: file, "invalid YAML: \(error)")
        }
        guard let root else { throw ConfigError(file: file, "no topic definitions") }
        let roles = try ConfigNode(node: root, path: "", file: file).mapping(allowed: DriftwatchConfig.Topics.roles)
        return try DriftwatchConfig.Topics.roles.compactMap { role -> KafkaTopicSpec? in
            guard let node = roles[role] else { return nil }
            let fields = try node.mapping(allowed: ["partitions", "replication_factor", "config"])
            guard let partitions = fields["partitions"] else { throw node.error("'partitions' is required") }
            var spec = KafkaTopicSpec(name: names[role]!, partitions: Int32(try partitions.int(in: 1...10_000)))
            if let replication = fields["replication_factor"] {
                spec.replicationFactor = Int32(try replication.int(in: -1...100))
            }
            for (key, value, _) in try fields["config"]?.stringMap() ?? [] { spec.config[key] = value }
            return spec
        }
    }
}
