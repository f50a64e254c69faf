import Foundation
import Testing

@testable import DriftApp
@testable import DriftConfig

@Suite struct ConfigLoaderTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardizedFileURL

    func loadError(_ yaml: String) -> ConfigError? {
        do {
            _ = try ConfigLoader.parse(yaml: yaml, file: "test.yaml")
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test func theShippedConfigLoads() throws {
        let path = Self.repository.appendingPathComponent("config/driftwatch.yaml").path
        let config = try ConfigLoader.load(path: path, environment: [:])
        #expect(config.kafka.brokers == "127.0.0.1:19092")
        #expect(config.kafka.sessionTimeout == .seconds(6))
        #expect(config.topics.triggers == "retrain.triggers")
        #expect(config.monitor.windowSize == 60_000)
        #expect(config.monitor.allowedLateness == 5_000)
        #expect(config.monitor.policy.psiThreshold == 0.2)
        #expect(config.monitor.trainingLookback == 86_400_000)
    }

    @Test func modelsOverrideTheDefaultsTheyName() throws {
        let config = try ConfigLoader.parse(
            yaml: """
                window:
                  size: 30s
                labels:
                  ttl: 2h
                models:
                  churn:
                    window:
                      kind: count
                      events: 500
                    labels:
                      task: regression
                  fraud:
                    drift:
                      psi_threshold: 0.1
                topics:
                  late: predictions.late
                store:
                  path: /var/lib/driftwatch/state.sqlite
                """, file: "t.yaml")
        #expect(config.monitor.labels.ttl == 7_200_000)
        #expect(config.models["churn"]?.windowKind == .count(events: 500))
        #expect(config.models["churn"]?.labels.task == .regression)
        #expect(config.models["churn"]?.labels.ttl == 7_200_000)  // inherited
        #expect(config.models["fraud"]?.windowSize == 30_000)
        #expect(config.models["fraud"]?.policy.psiThreshold == 0.1)
        #expect(config.models["other"] == nil)
        #expect(config.topics.late == "predictions.late")
        #expect(config.storePath == "/var/lib/driftwatch/state.sqlite")
    }

    @Test func badModelSettingsAreLocated() {
        let unknown = loadError("models:\n  fraud:\n    kafka:\n      brokers: x\n")
        #expect(unknown?.description.hasPrefix("test.yaml:3:") == true)
        #expect(unknown?.description.contains("window, reference, drift, labels") == true)
        let task = loadError("models:\n  fraud:\n    labels:\n      task: ranking\n")
        #expect(task?.description.hasPrefix("test.yaml:4:") == true)
        #expect(task?.description.contains("auto, classification or regression") == true)
    }

    @Test func policyRulesAreRead() throws {
        let config = try ConfigLoader.parse(
            yaml: """
                policy:
                  correction: benjamini-hochberg
                  rules:
                    - name: feature-drift
                      when: {psi: {above: 0.2}, ks_p_value: {below: 0.01}}
                      min_features: 2
                      k: 2
                      n: 3
                      cooldown: 10m
                      severity: critical
                      actions: [alert, retrain]
                    - name: latency-p99
                      when:
                        latency_p99: {above: 250}
                      actions: [alert]
                models:
                  churn:
                    policy:
                      rules:
                        - name: missing
                          when: {missing_rate: {above: 0.05}}
                          severity: info
                """, file: "t.yaml")
        let rules = config.monitor.policy.effectiveRules
        #expect(config.monitor.policy.correction == .benjaminiHochberg)
        #expect(rules.map(\.name) == ["feature-drift", "latency-p99"])
        #expect(rules[0].conditions == [.init(.ksPValue, below: 0.01), .init(.psi, above: 0.2)])
        #expect(rules[0].k == 2 && rules[0].n == 3 && rules[0].cooldown == 600_000 && rules[0].minimumFeatures == 2)
        #expect(rules[0].severity == .critical && rules[0].retrain && rules[0].alert)
        #expect(!rules[1].retrain && rules[1].alert && rules[1].severity == .warning)
        #expect(config.models["churn"]?.policy.effectiveRules.map(\.name) == ["missing"])
        #expect(config.models["churn"]?.policy.correction == .benjaminiHochberg)
    }

    @Test func badRulesAreLocated() {
        let statistic = loadError("policy:\n  rules:\n    - name: x\n      when: {pis: {above: 1}}\n")
        #expect(statistic?.description.hasPrefix("test.yaml:4:") == true)
        #expect(statistic?.description.contains("policy.rules[0].when.pis: unknown key") == true)
        let kOfN = loadError(
            "policy:\n  rules:\n    - name: x\n      when: {psi: {above: 1}}\n      n: 2\n      k: 3\n")
        #expect(kOfN?.description.hasPrefix("test.yaml:6:") == true)
        let duplicate = loadError(
            "policy:\n  rules:\n    - {name: x, when: {psi: {above: 1}}}\n    - {name: x, when: {psi: {above: 2}}}\n")
        #expect(duplicate?.description.hasPrefix("test.yaml:4:") == true)
        let action = loadError("policy:\n  rules:\n    - {name: x, when: {psi: {above: 1}}, actions: [page]}\n")
        #expect(action?.description.contains("expected alert or retrain") == true)
        let mixed = loadError(
            "labels: {ttl: 1h}\npolicy:\n  rules:\n    - name: x\n      when: {psi: {above: 1}, accuracy: {below: 0.8}}\n"
        )
        #expect(mixed?.description.hasPrefix("test.yaml:5:") == true)
        #expect(mixed?.description.contains("put them in two rules") == true)
        let unlabeled = loadError("policy:\n  rules:\n    - {name: x, when: {accuracy: {below: 0.8}}}\n")
        #expect(unlabeled?.description.hasPrefix("test.yaml:3:") == true)
        #expect(unlabeled?.description.contains("need labels: set labels.ttl") == true)
    }

    @Test func aWebhookIsReadAndItsURLChecked() throws {
        let config = try ConfigLoader.parse(
            yaml: "alerts:\n  webhook: {url: 'https://hooks.example.com/T1/B2', timeout: 2s, attempts: 3}\n",
            file: "test.yaml")
        #expect(config.alerts.webhook?.url.absoluteString == "https://hooks.example.com/T1/B2")
        #expect(config.alerts.webhook?.timeout == .seconds(2) && config.alerts.webhook?.attempts == 3)
        let bad = loadError("alerts:\n  webhook:\n    url: hooks.example.com/x\n")
        #expect(bad?.description.hasPrefix("test.yaml:3:") == true)
        #expect(bad?.description.contains("is not an http(s) URL") == true)
        var fromEnvironment = DriftwatchConfig()
        try ConfigLoader.applyEnvironment(
            ["DRIFTWATCH_WEBHOOK_URL": "http://127.0.0.1:8080/alerts"], to: &fromEnvironment)
        #expect(fromEnvironment.alerts.webhook?.url.port == 8080)
    }

    @Test func performanceRulesNeedLabelsAndAreRead() throws {
        let config = try ConfigLoader.parse(
            yaml: """
                labels: {ttl: 1h}
                policy:
                  rules:
                    - {name: accuracy-floor, when: {accuracy: {below: 0.85}}, k: 2, n: 3, actions: [alert, retrain]}
                """, file: "test.yaml")
        let rule = try #require(config.monitor.policy.effectiveRules.first)
        #expect(rule.isPerformance && rule.conditions == [.init(.accuracy, below: 0.85)] && rule.retrain)
    }

    @Test func multivariateSettingsAndRulesOnEstimatesAreRead() throws {
        let config = try ConfigLoader.parse(
            yaml: """
                multivariate: {domain_classifier: true, classifier_rows: 500}
                policy:
                  rules:
                    - {name: estimate, when: {estimated_accuracy_drop: {above: 0.05}}}
                    - {name: relation, when: {reconstruction_alert: {above: 1}, domain_classifier_auc: {above: 0.7}}}
                models:
                  churn:
                    multivariate: {reconstruction: false}
                """, file: "test.yaml")
        #expect(config.monitor.multivariate.domainClassifier && config.monitor.multivariate.reconstruction)
        #expect(config.monitor.multivariate.classifierRows == 500)
        #expect(config.models["churn"]?.multivariate.reconstruction == false)
        let rules = try #require(config.monitor.policy.rules)
        #expect(rules[0].conditions == [.init(.estimatedAccuracyDrop, above: 0.05)] && !rules[0].isPerformance)
        #expect(
            rules[1].conditions.map(\.statistic).sorted { $0.rawValue < $1.rawValue } == [
                .domainClassifierAUC, .reconstructionAlert,
            ])
        let bad = loadError("multivariate: {reconstruction: yes}\n")
        #expect(bad?.description.hasPrefix("test.yaml:1:") == true)
        #expect(bad?.description.contains("multivariate.reconstruction: expected true or false, got 'yes'") == true)
        #expect(loadError("multivariate: {pca: true}\n")?.description.contains("unknown key") == true)
    }

    @Test func anEmptyFileMeansDefaults() throws {
        let config = try ConfigLoader.parse(yaml: "", file: "empty.yaml")
        #expect(config.kafka.groupID == "driftwatch")
        #expect(config.monitor.bootstrapEvents == 1_000)
    }

    @Test func valuesAreRead() throws {
        let config = try ConfigLoader.parse(
            yaml: """
                kafka:
                  brokers: b1:9092,b2:9092
                  properties:
                    security.protocol: SASL_SSL
                  producer_properties:
                    compression.type: zstd
                window:
                  size: 5m
                  allowed_lateness: 0s
                drift:
                  psi_threshold: 0.25
                  min_window_events: 500
                topics:
                  predictions: ml.predictions
                """, file: "t.yaml")
        #expect(config.kafka.brokers == "b1:9092,b2:9092")
        #expect(config.kafka.properties == ["security.protocol": "SASL_SSL"])
        #expect(config.producerConfiguration.client.properties["compression.type"] == "zstd")
        #expect(config.consumerConfiguration.client.properties["compression.type"] == nil)
        #expect(config.monitor.windowSize == 300_000)
        #expect(config.monitor.allowedLateness == 0)
        #expect(config.monitor.policy.psiThreshold == 0.25)
        #expect(config.monitor.policy.minimumWindowEvents == 500)
        #expect(config.topics.predictions == "ml.predictions")
        #expect(config.topics.reports == "driftwatch.reports")
    }

    @Test func unknownKeysArePointedAtWithTheirLine() throws {
        let error = try #require(loadError("kafka:\n  brokers: x:1\nwindow:\n  sise: 60s\n"))
        #expect(error.line == 4)
        #expect(error.description.hasPrefix("test.yaml:4:"))
        #expect(error.message.contains("window.sise"))
        #expect(error.message.contains("size"))  // lists what is allowed
    }

    @Test(arguments: [
        ("window:\n  size: sixty\n", 2, "window.size"),
        ("window:\n  size: 0s\n", 2, "positive"),
        ("drift:\n  psi_threshold: -1\n", 2, "out of range"),
        ("drift:\n  min_window_events: many\n", 2, "whole number"),
        ("window:\n  kind: sliding\n", 2, "tumbling, hopping or count"),
        ("window:\n  kind: hopping\n", 2, "slide"),
        ("window:\n  kind: hopping\n  size: 60s\n  slide: 90s\n", 4, "shorter"),
        ("window:\n  kind: count\n", 2, "events"),
        ("window:\n  slide: 10s\n", 2, "only applies to hopping"),
        ("kafka:\n  properties:\n    no.such.property: 1\n", 3, "no.such.property"),
        ("kafka:\n  properties:\n    acks: maybe\n", 3, "acks"),
        ("topics:\n  predictions: [a, b]\n", 2, "topics.predictions"),
        ("reference: 12\n", 1, "mapping"),
    ])
    func badValuesNameTheirLine(yaml: String, line: Int, mentions: String) throws {
        let error = try #require(loadError(yaml))
        #expect(error.line == line, "\(error)")
        #expect(error.description.contains(mentions), "\(error)")
    }

    @Test func invalidYAMLIsReportedWithItsPosition() throws {
        let error = try #require(loadError("kafka:\n  brokers: [unclosed\n"))
        #expect(error.description.contains("invalid YAML"))
        #expect(error.description.contains("test.yaml"))
    }

    @Test func environmentOverridesTheFile() throws {
        let path = Self.repository.appendingPathComponent("config/driftwatch.yaml").path
        let config = try ConfigLoader.load(
            path: path, environment: ["DRIFTWATCH_BROKERS": "kafka:9093", "DRIFTWATCH_GROUP_ID": "g2"])
        #expect(config.kafka.brokers == "kafka:9093")
        #expect(config.kafka.groupID == "g2")
        #expect(throws: ConfigError.self) {
            try ConfigLoader.load(path: path, environment: ["DRIFTWATCH_BROKERS": " "])
        }
    }

    @Test func aMissingFileSaysSo() throws {
        let thrown = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(path: "/nonexistent/driftwatch.yaml", environment: [:])
        }
        #expect(thrown?.description.contains("--config") == true)
    }

    @Test func theHTTPServerIsOnLoopbackByDefaultAndNeedsATokenElsewhere() throws {
        #expect(try ConfigLoader.parse(yaml: "", file: "test.yaml").http == DriftwatchConfig.HTTP())
        let disabled = try ConfigLoader.parse(yaml: "http: {enabled: false}", file: "test.yaml")
        #expect(disabled.http == nil)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("http-\(UUID()).yaml")
        try "http:\n  address: 0.0.0.0:9000\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: file.path, environment: [:]) }
        let token = "0123456789abcdef0123"
        let open = try ConfigLoader.load(path: file.path, environment: ["DRIFTWATCH_HTTP_TOKEN": token])
        #expect(open.http?.host == "0.0.0.0" && open.http?.port == 9000 && open.http?.token == token)
        let moved = try ConfigLoader.load(
            path: file.path, environment: ["DRIFTWATCH_HTTP_ADDRESS": "127.0.0.1:0", "DRIFTWATCH_HTTP_TOKEN": token])
        #expect(moved.http?.isLoopback == true && moved.http?.port == 0)
        #expect(
            loadError("http: {address: 'nowhere'}")?.description
                == "test.yaml:1:17: http.address: expected an address like 127.0.0.1:9464 or 0.0.0.0:9464, got 'nowhere'"
        )
        #expect(loadError("http: {token: short}")?.line == 1)
        #expect(throws: ConfigError.self) {
            try ConfigLoader.load(path: file.path, environment: ["DRIFTWATCH_HTTP_TOKEN": "has spaces in it, sixteen+"])
        }
    }

    @Test func checkReportsEveryProblemInFileOrder() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID()).yaml")
        try """
        kafka:
          session_timeout: 6 seconds
          bogus: 1
        window:
          size: -5s
        drift:
          psi_threshold: lots
        policy:
          rules:
            - name: a
              when: {psi: {above: 0.2}}
              k: 5
              n: 2
            - name: b
              when: {wat: {above: 1}}
        models:
          churn:
            window: {size: 0s}
        """.write(to: file, atomically: true, encoding: .utf8)
        let problems = ConfigLoader.check(path: file.path, environment: [:])
        #expect(problems.map(\.line) == [2, 3, 5, 7, 12, 15, 18])
        #expect(
            problems.map { $0.message.prefix(while: { $0 != ":" }) } == [
                "kafka.session_timeout", "kafka.bogus", "window.size", "drift.psi_threshold", "policy.rules[0].k",
                "policy.rules[1].when.wat", "models.churn.window.size",
            ])
        // The shipped configurations have none, and loading still stops at the first.
        for name in ["driftwatch", "demo"] {
            #expect(
                ConfigLoader.check(
                    path: Self.repository.appendingPathComponent("config/\(name).yaml").path, environment: [:]
                ).isEmpty)
        }
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: file.path, environment: [:]) }
    }

    @Test func aDuplicateRuleIsLocatedAtItselfEvenAfterABadRule() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID()).yaml")
        try """
        policy:
          rules:
            - name: broken
              when: {wat: {above: 1}}
            - name: a
              when: {psi: {above: 0.2}}
            - name: a
              when: {psi: {above: 0.3}}
        """.write(to: file, atomically: true, encoding: .utf8)
        let problems = ConfigLoader.check(path: file.path, environment: [:])
        #expect(problems.map(\.line) == [4, 7])
        #expect(problems.last?.message.contains("a rule named 'a' exists already") == true)
    }

    @Test func theConfigurationIsFoundInOrderAndSaysWhere() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "driftwatch-discovery-\(UUID().uuidString)")
        let project = root.appendingPathComponent("project")
        let binary = project.appendingPathComponent(".build/debug/driftwatch")
        let elsewhere = root.appendingPathComponent("elsewhere")
        for directory in [
            project.appendingPathComponent("config"), binary.deletingLastPathComponent(),
            elsewhere.appendingPathComponent("config"),
        ] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        let projectConfig = project.appendingPathComponent("config/driftwatch.yaml").path
        try "window:\n  size: 2m\n".write(toFile: projectConfig, atomically: true, encoding: .utf8)
        let explicit = root.appendingPathComponent("explicit.yaml").path
        try "".write(toFile: explicit, atomically: true, encoding: .utf8)

        func locate(_ flag: String?, _ environment: [String: String] = [:], in directory: URL = root) throws
            -> ConfigSource
        {
            try ConfigSource.locate(
                flag: flag, environment: environment, workingDirectory: directory.path, executable: binary.path)
        }
        #expect(try locate(explicit) == ConfigSource(path: explicit, origin: "--config"))
        #expect(
            try locate(nil, ["DRIFTWATCH_CONFIG": explicit])
                == ConfigSource(path: explicit, origin: "DRIFTWATCH_CONFIG"))
        #expect(try locate(nil).origin == "the binary's project")
        #expect(try locate(nil).load(environment: [:]).monitor.windowSize == 120_000)
        try "".write(to: elsewhere.appendingPathComponent("config/driftwatch.yaml"), atomically: true, encoding: .utf8)
        #expect(try locate(nil, in: elsewhere).origin == "working directory")
        let none = try ConfigSource.locate(
            flag: nil, environment: [:], workingDirectory: root.path, executable: "/usr/bin/driftwatch")
        #expect(none.path == nil && none.description.contains("built-in defaults"))
        #expect(throws: ConfigError.self) { try locate(root.appendingPathComponent("absent.yaml").path) }
        #expect(throws: ConfigError.self) { try locate(nil, ["DRIFTWATCH_CONFIG": "/absent.yaml"]) }
    }
}
