import DriftApp
import DriftCore
import DriftKafka
import Foundation
import Testing

@testable import DriftConfig

/// The files in topics/ are the event contracts: every definition parses, every role has a schema and a
/// sample, and the samples of Driftwatch's own outputs decode into the types it publishes.
@Suite struct TopicContractTests {
    static let topics = ConfigLoaderTests.repository.appendingPathComponent("topics")

    @Test func definitionsCoverEveryRoleWithConfiguredNames() throws {
        var names = DriftwatchConfig.Topics()
        names.predictions = "ml.predictions"
        let specs = try TopicCatalog.load(path: Self.topics.appendingPathComponent("topics.yaml").path, names: names)
        #expect(specs.count == DriftwatchConfig.Topics.roles.count)
        #expect(specs.first { $0.name == "ml.predictions" }?.partitions == 6)
        #expect(specs.first { $0.name == "model.deployments" }?.config["cleanup.policy"] == "compact")
    }

    @Test func badDefinitionsAreLocated() throws {
        #expect {
            try TopicCatalog.parse(yaml: "predictions:\n  partitions: zero\n", file: "t.yaml", names: .init())
        } throws: { error in
            (error as? ConfigError)?.description.hasPrefix("t.yaml:2:") == true
        }
        #expect(throws: ConfigError.self) {
            try TopicCatalog.parse(yaml: "predictons:\n  partitions: 1\n", file: "t.yaml", names: .init())
        }
    }

    @Test(arguments: [
        "prediction", "feature", "label", "deployment", "report", "performance", "reference", "checkpoint", "alert",
        "trigger",
        "deadletter",
    ])
    func everyEventHasASchemaAndASample(event: String) throws {
        let schema = try Data(contentsOf: Self.topics.appendingPathComponent("schemas/\(event).schema.json"))
        let sample = try Data(contentsOf: Self.topics.appendingPathComponent("samples/\(event).json"))
        #expect(try JSONSerialization.jsonObject(with: schema) is [String: Any])
        #expect(try JSONSerialization.jsonObject(with: sample) is [String: Any])
    }

    @Test func outputSamplesDecodeIntoThePublishedTypes() throws {
        let decoder = JSONDecoder()
        let report = try decoder.decode(
            WindowReport.self, from: Data(contentsOf: Self.topics.appendingPathComponent("samples/report.json")))
        #expect(report.status == .drift)
        let trigger = try decoder.decode(
            RetrainTrigger.self, from: Data(contentsOf: Self.topics.appendingPathComponent("samples/trigger.json")))
        #expect(trigger.data.reportID == report.id)
        // The samples are in canonical form: re-encoding gives the same bytes.
        #expect(report.json() == Array(try sample("report").dropLast()))
        let performance = try decoder.decode(PerformanceReport.self, from: Data(sample("performance")))
        #expect(performance.id == report.id + "/performance")
        #expect(performance.json() == Array(try sample("performance").dropLast()))
    }

    @Test func inputSamplesDecode() throws {
        #expect(try FeatureEvent.decode(json: sample("feature")).features["age"] == .missing)
        #expect(try LabelEvent.decode(json: sample("label")).label == .number(1))
        #expect(try DeploymentEvent.decode(json: sample("deployment")).referenceURI?.hasPrefix("file://") == true)
        let reference = try ReferenceProfile.decode(json: sample("reference"))
        #expect(reference.features.count == 2)
        #expect(reference.json() == Array(try sample("reference").dropLast()))
        let checkpoint = try JSONDecoder().decode(MonitorCheckpoint.self, from: Data(sample("checkpoint")))
        #expect(checkpoint.json() == Array(try sample("checkpoint").dropLast()))
    }

    func sample(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.topics.appendingPathComponent("samples/\(name).json")))
    }

    @Test func theDeadLetterSampleIsMalformed() throws {
        let bytes = try Array(Data(contentsOf: Self.topics.appendingPathComponent("samples/deadletter.json")))
        #expect(throws: EventDecodingError.self) { try PredictionEvent.decode(json: bytes) }
    }
}
