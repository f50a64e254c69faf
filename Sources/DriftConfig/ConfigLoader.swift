import DriftCore
import DriftKafka
import DriftStats
import Foundation
import Yams

/// Reads `config/driftwatch.yaml`-style files. Unknown keys, wrong types, out-of-range values and librdkafka
/// properties librdkafka rejects are errors with file, line and column. Environment overrides are applied last:
/// `DRIFTWATCH_BROKERS` (kafka.brokers), `DRIFTWATCH_GROUP_ID` (kafka.group_id) and `DRIFTWATCH_WEBHOOK_URL`
/// (alerts.webhook.url).
public enum ConfigLoader {
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> DriftwatchConfig
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, "cannot read the configuration file (does it exist? pass --config PATH)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, "the configuration file is not UTF-8 text")
        }
        var config = try parse(yaml: text, file: path)
        try applyEnvironment(environment, to: &config)
        return config
    }

    /// Parses YAML text; `file` names it in errors.
    public static func parse(yaml text: String, file: String) throws -> DriftwatchConfig {
        try parse(yaml: text, file: file, problems: ConfigProblems(collecting: false))
    }

    /// Every problem of a configuration file (environment overrides included), each with its location, for
    /// `driftwatch config check`; empty when the file is fine.
    public static func check(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> [ConfigError]
    {
        let problems = ConfigProblems(collecting: true)
        guard let data = FileManager.default.contents(atPath: path) else {
            return [ConfigError(file: path, "cannot read the configuration file (does it exist? pass --config PATH)")]
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return [ConfigError(file: path, "the configuration file is not UTF-8 text")]
        }
        do {
            var config = try parse(yaml: text, file: path, problems: problems)
            try problems.attempt { try applyEnvironment(environment, to: &config) }
        } catch let error as ConfigError {
            problems.collected.append(error)
        } catch {
            problems.collected.append(ConfigError(file: path, "\(error)"))
        }
        return problems.collected.sorted {
            ($0.file, $0.line ?? .max, $0.column ?? 0) < ($1.file, $1.line ?? .max, $1.column ?? 0)
        }
    }

    private static func parse(yaml text: String, file: String, problems: ConfigProblems) throws -> DriftwatchConfig {
        var config = DriftwatchConfig()
        config.source = file
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(file: file, "invalid YAML: \(error)")
        }
        guard let root else { return config }  // An empty file means all defaults.
        let sections = try ConfigNode(node: root, path: "", file: file).mapping(
            problems: problems,
            allowed: [
                "kafka", "topics", "input", "window", "reference", "drift", "labels", "multivariate", "policy",
                "models",
                "store", "trainer", "alerts", "http",
            ])
        try problems.attempt { try kafka(sections["kafka"], into: &config.kafka, problems: problems) }
        try problems.attempt { try topics(sections["topics"], into: &config.topics, problems: problems) }
        try applyMonitorSections(sections, to: &config.monitor, problems: problems)
        try problems.attempt {
            guard let node = sections["models"] else { return }
            for (model, entry) in try node.stringKeyedMappings() {
                var settings = config.monitor
                let overrides = try entry.mapping(problems: problems, allowed: modelSections)
                try applyMonitorSections(overrides, to: &settings, problems: problems)
                config.models[model] = settings
            }
        }
        try problems.attempt { try input(sections["input"], into: &config.input, problems: problems) }
        for problem in config.messageSizeProblems() {
            try problems.attempt { throw ConfigError(file: file, problem) }
        }
        try problems.attempt {
            if config.input.unknownModels == .deadletter && config.models.isEmpty {
                throw ConfigError(
                    file: file,
                    "input.unknown_models is deadletter but the models section lists no model: every event would be "
                        + "dead-lettered")
            }
        }
        try problems.attempt { try trainer(sections["trainer"], into: &config.trainer, problems: problems) }
        try problems.attempt { try alerts(sections["alerts"], into: &config.alerts, problems: problems) }
        try problems.attempt { try store(sections["store"], into: &config, problems: problems) }
        try problems.attempt { try http(sections["http"], into: &config, problems: problems) }
        return config
    }

    private static func kafka(
        _ section: ConfigNode?, into kafka: inout DriftwatchConfig.Kafka, problems: ConfigProblems
    )
        throws
    {
        guard
            let section = try section?.mapping(
                problems: problems,
                allowed: [
                    "brokers", "group_id", "client_id", "session_timeout", "max_poll_interval", "properties",
                    "consumer_properties", "producer_properties", "unhealthy_after",
                ])
        else { return }
        try problems.set(&kafka.unhealthyAfter, section["unhealthy_after"]) {
            .milliseconds(try $0.durationMilliseconds())
        }
        try problems.set(&kafka.brokers, section["brokers"]) { try $0.string() }
        try problems.set(&kafka.groupID, section["group_id"]) { try $0.string() }
        try problems.set(&kafka.clientID, section["client_id"]) { try $0.string() }
        try problems.set(&kafka.sessionTimeout, section["session_timeout"]) {
            .milliseconds(try $0.durationMilliseconds())
        }
        try problems.set(&kafka.maxPollInterval, section["max_poll_interval"]) {
            .milliseconds(try $0.durationMilliseconds())
        }
        try problems.set(&kafka.properties, section["properties"], librdkafkaProperties)
        try problems.set(&kafka.consumerProperties, section["consumer_properties"], librdkafkaProperties)
        try problems.set(&kafka.producerProperties, section["producer_properties"], librdkafkaProperties)
    }

    private static func topics(
        _ section: ConfigNode?, into topics: inout DriftwatchConfig.Topics, problems: ConfigProblems
    ) throws {
        guard let section = try section?.mapping(problems: problems, allowed: DriftwatchConfig.Topics.roles + ["late"])
        else { return }
        for (role, node) in section where role != "late" { topics[role] = try node.string() }
        try problems.set(&topics.late, section["late"]) { try $0.string() }
    }

    private static func input(
        _ section: ConfigNode?, into input: inout DriftwatchConfig.Input, problems: ConfigProblems
    )
        throws
    {
        guard
            let section = try section?.mapping(
                problems: problems, allowed: ["max_message_bytes", "unknown_models", "max_held_events"])
        else { return }
        try problems.set(&input.maximumMessageBytes, section["max_message_bytes"]) { try $0.int(in: 100...100_000_000) }
        try problems.set(&input.maximumHeldEvents, section["max_held_events"]) { try $0.int(in: 100...100_000_000) }
        try problems.set(&input.unknownModels, section["unknown_models"]) {
            try $0.choice(DriftwatchConfig.Input.UnknownModels.self, expected: "accept or deadletter")
        }
    }

    private static func trainer(
        _ section: ConfigNode?, into trainer: inout DriftwatchConfig.Trainer, problems: ConfigProblems
    ) throws {
        guard
            let section = try section?.mapping(
                problems: problems, allowed: ["group_id", "min_examples", "accuracy_floor"])
        else { return }
        try problems.set(&trainer.groupID, section["group_id"]) { try $0.string() }
        try problems.set(&trainer.minimumExamples, section["min_examples"]) { try $0.int(in: 10...100_000_000) }
        try problems.set(&trainer.accuracyFloor, section["accuracy_floor"]) { try $0.double(in: 0...1) }
    }

    private static func alerts(
        _ section: ConfigNode?, into alerts: inout DriftwatchConfig.Alerts, problems: ConfigProblems
    ) throws {
        guard let section = try section?.mapping(problems: problems, allowed: ["webhook"]),
            let webhook = try section["webhook"]?.mapping(
                problems: problems, allowed: ["url", "timeout", "attempts", "queue_limit"])
        else { return }
        guard let urlNode = webhook["url"] else { throw section["webhook"]!.error("a webhook needs a url") }
        var settings = DriftwatchConfig.Alerts.Webhook(url: try webhookURL(try urlNode.string(), at: urlNode))
        try problems.set(&settings.timeout, webhook["timeout"]) { .milliseconds(try $0.durationMilliseconds()) }
        try problems.set(&settings.attempts, webhook["attempts"]) { try $0.int(in: 1...20) }
        try problems.set(&settings.queueLimit, webhook["queue_limit"]) { try $0.int(in: 1...1_000_000) }
        alerts.webhook = settings
    }

    private static func store(_ section: ConfigNode?, into config: inout DriftwatchConfig, problems: ConfigProblems)
        throws
    {
        guard let section = try section?.mapping(problems: problems, allowed: ["path", "history_retention"]) else {
            return
        }
        try problems.set(&config.storePath, section["path"]) { try $0.string() }
        try problems.set(&config.historyRetention, section["history_retention"]) { node in
            let milliseconds = try node.durationMilliseconds(allowZero: true)
            return milliseconds == 0 ? nil : milliseconds
        }
    }

    private static func http(_ section: ConfigNode?, into config: inout DriftwatchConfig, problems: ConfigProblems)
        throws
    {
        guard let section else { return }
        let http = try section.mapping(problems: problems, allowed: ["enabled", "address", "token"])
        var settings = DriftwatchConfig.HTTP()
        try problems.attempt {
            if let address = http["address"] {
                (settings.host, settings.port) = try hostAndPort(try address.string(), at: address)
            }
        }
        try problems.set(&settings.token, http["token"]) { try httpToken(try $0.string(), at: $0) }
        var enabled = true
        try problems.set(&enabled, http["enabled"]) { node in
            guard let value = node.node.bool else { throw node.error("expected true or false") }
            return value
        }
        // A missing token off loopback is checked after the environment (DRIFTWATCH_HTTP_TOKEN) is applied.
        config.http = enabled ? settings : nil
    }

    /// The sections a model may override; the rest of the configuration is shared.
    static let modelSections = ["window", "reference", "drift", "labels", "multivariate", "policy"]

    /// Applies `window`, `reference`, `drift`, `labels`, `multivariate` and `policy` to a model's settings (or the
    /// defaults).
    private static func applyMonitorSections(
        _ sections: [String: ConfigNode], to settings: inout MonitorSettings, problems: ConfigProblems
    ) throws {
        var performanceRules: ConfigNode?
        try problems.attempt {
            performanceRules = try policy(sections["policy"], into: &settings.policy, problems: problems)
        }
        try problems.attempt { try window(sections["window"], into: &settings, problems: problems) }
        try problems.attempt {
            guard let reference = try sections["reference"]?.mapping(problems: problems, allowed: ["bootstrap_events"])
            else { return }
            try problems.set(&settings.bootstrapEvents, reference["bootstrap_events"]) {
                try $0.int(in: 10...1_000_000)
            }
        }
        try problems.attempt { try drift(sections["drift"], into: &settings, problems: problems) }
        try problems.attempt { try labels(sections["labels"], into: &settings.labels, problems: problems) }
        try problems.attempt {
            guard
                let section = try sections["multivariate"]?.mapping(
                    problems: problems, allowed: ["reconstruction", "domain_classifier", "classifier_rows"])
            else { return }
            try problems.set(&settings.multivariate.reconstruction, section["reconstruction"]) { try $0.bool() }
            try problems.set(&settings.multivariate.domainClassifier, section["domain_classifier"]) { try $0.bool() }
            try problems.set(&settings.multivariate.classifierRows, section["classifier_rows"]) {
                try $0.int(in: 10...100_000)
            }
        }
        try problems.attempt {
            if let performanceRules, !settings.labels.enabled {
                throw performanceRules.error(
                    "rules on accuracy, f1, mae, … need labels: set labels.ttl (how long a prediction waits for its "
                        + "label), e.g. ttl: 1h")
            }
        }
    }

    /// The `policy` section; returns the `rules` node when a rule needs labels.
    private static func policy(_ section: ConfigNode?, into policy: inout DriftPolicy, problems: ConfigProblems)
        throws -> ConfigNode?
    {
        guard let section = try section?.mapping(problems: problems, allowed: ["correction", "rules"]) else {
            return nil
        }
        try problems.set(&policy.correction, section["correction"]) {
            try $0.choice(MultipleTesting.Method.self, expected: "none, bonferroni or benjamini-hochberg")
        }
        guard let node = section["rules"] else { return nil }
        // A rule with problems is left out (when collecting them); a duplicate points at its own item.
        let parsed = try node.sequence().compactMap { item in try problems.value { (item, try rule(item)) } }
        for (index, (item, rule)) in parsed.enumerated()
        where parsed[..<index].contains(where: { $0.1.name == rule.name }) {
            throw item.error("a rule named '\(rule.name)' exists already; rule names are part of output ids")
        }
        let rules = parsed.map(\.1)
        policy.rules = rules
        return rules.contains(where: \.isPerformance) ? node : nil
    }

    private static func window(_ section: ConfigNode?, into settings: inout MonitorSettings, problems: ConfigProblems)
        throws
    {
        guard
            let window = try section?.mapping(
                problems: problems, allowed: ["kind", "size", "slide", "events", "allowed_lateness", "idle_timeout"])
        else { return }
        try problems.set(&settings.windowSize, window["size"]) { try $0.durationMilliseconds() }
        try problems.set(&settings.allowedLateness, window["allowed_lateness"]) {
            try $0.durationMilliseconds(allowZero: true)
        }
        try problems.set(&settings.idleTimeout, window["idle_timeout"]) { node in
            let timeout = try node.durationMilliseconds(allowZero: true)
            return timeout == 0 ? nil : timeout
        }
        let kindNode = window["kind"]
        let kind = try kindNode?.string() ?? "tumbling"
        switch kind {
        case "tumbling":
            settings.windowKind = .tumbling
        case "hopping":
            guard let node = window["slide"] else {
                throw kindNode!.error("hopping windows need 'slide' (e.g. slide: 10s)")
            }
            let slide = try node.durationMilliseconds()
            guard slide < settings.windowSize else {
                throw node.error(
                    "slide must be shorter than the window size (\(settings.windowSize) ms); use kind: tumbling otherwise"
                )
            }
            settings.windowKind = .hopping(slide: slide)
        case "count":
            guard let node = window["events"] else {
                throw kindNode!.error("count windows need 'events' (e.g. events: 1000)")
            }
            settings.windowKind = .count(events: try node.int(in: 1...100_000_000))
        default:
            throw kindNode!.error("expected tumbling, hopping or count, got '\(kind)'")
        }
        for (key, node) in window where (key == "slide" && kind != "hopping") || (key == "events" && kind != "count") {
            throw node.error("'\(key)' only applies to \(key == "slide" ? "hopping" : "count") windows")
        }
    }

    private static func drift(_ section: ConfigNode?, into settings: inout MonitorSettings, problems: ConfigProblems)
        throws
    {
        guard
            let drift = try section?.mapping(
                problems: problems,
                allowed: [
                    "psi_bins", "psi_threshold", "ks_statistic_threshold", "min_window_events", "min_drifted_features",
                    "training_lookback", "decision", "false_alarm_rate", "min_effect", "ks_method",
                    "dataset_drift_share",
                ])
        else { return }
        try problems.set(&settings.policy.decision.mode, drift["decision"]) {
            try $0.choice(DriftDecision.Mode.self, expected: "calibrated, thresholds or evidently")
        }
        try problems.set(&settings.policy.decision.falseAlarmRate, drift["false_alarm_rate"]) {
            try $0.double(in: 1e-12...0.5)
        }
        try problems.set(&settings.policy.decision.minimumEffect, drift["min_effect"]) { try $0.double(in: 0...100) }
        try problems.set(&settings.policy.decision.ksMethod, drift["ks_method"]) {
            try $0.choice(KolmogorovSmirnov.PValueMethod.self, expected: "auto, exact or asymp")
        }
        try problems.set(&settings.policy.datasetDriftShare, drift["dataset_drift_share"]) { try $0.double(in: 0...1) }
        try problems.set(&settings.psiBins, drift["psi_bins"]) { try $0.int(in: 2...1000) }
        try problems.set(&settings.policy.psiThreshold, drift["psi_threshold"]) { try $0.double(in: 0...100) }
        try problems.set(&settings.policy.ksStatisticThreshold, drift["ks_statistic_threshold"]) {
            try $0.double(in: 0...1)
        }
        try problems.set(&settings.policy.minimumWindowEvents, drift["min_window_events"]) {
            try $0.int(in: 1...100_000_000)
        }
        try problems.set(&settings.policy.minimumDriftedFeatures, drift["min_drifted_features"]) {
            try $0.int(in: 1...10_000)
        }
        try problems.set(&settings.trainingLookback, drift["training_lookback"]) { try $0.durationMilliseconds() }
    }

    private static func labels(_ section: ConfigNode?, into labels: inout LabelSettings, problems: ConfigProblems)
        throws
    {
        guard
            let section = try section?.mapping(
                problems: problems,
                allowed: ["ttl", "max_pending", "min_labels", "task", "threshold", "calibration_labels"])
        else { return }
        try problems.set(&labels.ttl, section["ttl"]) { try $0.durationMilliseconds(allowZero: true) }
        try problems.set(&labels.maximumPending, section["max_pending"]) { try $0.int(in: 1...100_000_000) }
        try problems.set(&labels.minimumLabels, section["min_labels"]) { try $0.int(in: 1...100_000_000) }
        try problems.set(&labels.threshold, section["threshold"]) { try $0.double(in: 0...1) }
        try problems.set(&labels.calibrationLabels, section["calibration_labels"]) { try $0.int(in: 0...10_000_000) }
        try problems.set(&labels.task, section["task"]) {
            try $0.choice(LabelSettings.Task.self, expected: "auto, classification or regression")
        }
    }

    /// One policy rule: `{name, when: {statistic: {above|below: x}}, min_features, k, n, cooldown, severity,
    /// actions: [alert, retrain]}`.
    private static func rule(_ node: ConfigNode) throws -> PolicyRule {
        let fields = try node.mapping(allowed: [
            "name", "when", "min_features", "k", "n", "cooldown", "severity", "actions",
        ])
        guard let nameNode = fields["name"] else { throw node.error("a rule needs a name") }
        guard let whenNode = fields["when"] else {
            throw node.error("a rule needs 'when', e.g. when: {psi: {above: 0.2}}")
        }
        let statistics = PolicyRule.Statistic.allCases.map(\.rawValue)
        var conditions: [PolicyRule.Condition] = []
        for (name, entry) in try whenNode.mapping(allowed: statistics).sorted(by: { $0.key < $1.key }) {
            let comparison = try entry.mapping(allowed: ["above", "below"])
            guard comparison.count == 1, let (kind, valueNode) = comparison.first else {
                throw entry.error("give exactly one of above (value >= threshold) or below (value < threshold)")
            }
            let statistic = PolicyRule.Statistic(rawValue: name)!
            let threshold = try valueNode.double(in: -1e12...1e12)
            conditions.append(kind == "above" ? .init(statistic, above: threshold) : .init(statistic, below: threshold))
        }
        guard !conditions.isEmpty else {
            throw whenNode.error("name at least one statistic: \(statistics.joined(separator: ", "))")
        }
        if conditions.contains(where: \.statistic.isPerformance)
            && conditions.contains(where: { !$0.statistic.isPerformance })
        {
            throw whenNode.error(
                "performance metrics (accuracy, f1, mae, …) are evaluated when a window's labels are in, other statistics when it"
                    + " closes: put them in two rules")
        }
        var rule = PolicyRule(name: try nameNode.string(), conditions: conditions)
        if let node = fields["min_features"] { rule.minimumFeatures = try node.int(in: 1...10_000) }
        if let node = fields["n"] { rule.n = try node.int(in: 1...64) }
        if let node = fields["k"] {
            rule.k = try node.int(in: 1...64)
            guard rule.k <= rule.n else {
                throw node.error(
                    "k (\(rule.k)) must not exceed n (\(rule.n)): fire when k of the last n windows breach")
            }
        }
        if let node = fields["cooldown"] { rule.cooldown = try node.durationMilliseconds(allowZero: true) }
        if let node = fields["severity"] {
            rule.severity = try node.choice(PolicyRule.Severity.self, expected: "info, warning or critical")
        }
        if let node = fields["actions"] {
            let actions = try node.sequence().map { item in
                let action = try item.string()
                guard ["alert", "retrain"].contains(action) else {
                    throw item.error("expected alert or retrain, got '\(action)'")
                }
                return action
            }
            rule.alert = actions.contains("alert")
            rule.retrain = actions.contains("retrain")
        }
        return rule
    }

    /// A mapping of librdkafka properties, each checked by librdkafka itself so a typo points at its line.
    private static func librdkafkaProperties(_ node: ConfigNode) throws -> [String: String] {
        var properties: [String: String] = [:]
        for (key, value, entry) in try node.stringMap() {
            do {
                try KafkaClientConfiguration.validate(property: key, value: value)
            } catch {
                throw entry.error("\(error)")
            }
            properties[key] = value
        }
        return properties
    }

    /// An absolute http or https URL.
    private static func webhookURL(_ text: String, at node: ConfigNode?) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host?.isEmpty == false
        else {
            let message = "'\(text)' is not an http(s) URL, e.g. https://hooks.slack.com/services/T000/B000/XXXX"
            if let node { throw node.error(message) }
            throw ConfigError(file: "environment", "DRIFTWATCH_WEBHOOK_URL: " + message)
        }
        return url
    }

    static func applyEnvironment(_ environment: [String: String], to config: inout DriftwatchConfig) throws {
        func override(_ name: String) throws -> String? {
            guard let value = environment[name] else { return nil }
            guard !value.trimmingWhitespace().isEmpty else {
                throw ConfigError(file: "environment", "\(name) is set but empty; unset it or give a value")
            }
            return value
        }
        if let brokers = try override("DRIFTWATCH_BROKERS") { config.kafka.brokers = brokers }
        if let groupID = try override("DRIFTWATCH_GROUP_ID") { config.kafka.groupID = groupID }
        if let address = try override("DRIFTWATCH_HTTP_ADDRESS") {
            try setHTTPAddress(address, in: &config, from: ("environment", "DRIFTWATCH_HTTP_ADDRESS"))
        }
        if let token = try override("DRIFTWATCH_HTTP_TOKEN"), config.http != nil {
            config.http!.token = try httpToken(token, at: nil)
        }
        try requireHTTPToken(config, from: "environment")
        // Webhook URLs carry their secret in the path: keep them out of files.
        if let url = try override("DRIFTWATCH_WEBHOOK_URL") {
            let parsed = try webhookURL(url, at: nil)
            if config.alerts.webhook != nil {
                config.alerts.webhook!.url = parsed
            } else {
                config.alerts.webhook = .init(url: parsed)
            }
        }
    }

    /// `HOST:PORT` (`[::1]:9464` for IPv6); the port 0 picks a free one.
    /// Points the HTTP server at `HOST:PORT` given outside the file (`--http`, DRIFTWATCH_HTTP_ADDRESS); errors
    /// name `source`. A token must already be set for an address off loopback (`requireHTTPToken`).
    public static func setHTTPAddress(
        _ text: String, in config: inout DriftwatchConfig, from source: (place: String, name: String)
    ) throws {
        var settings = config.http ?? DriftwatchConfig.HTTP()
        (settings.host, settings.port) = try hostAndPort(text, at: nil, source: source)
        config.http = settings
    }

    /// Refuses an HTTP server off loopback without a bearer token.
    public static func requireHTTPToken(_ config: DriftwatchConfig, from place: String) throws {
        guard let http = config.http, !http.isLoopback, http.token == nil else { return }
        throw ConfigError(
            file: place,
            "the HTTP server would listen on \(http.host) (not loopback) without a bearer token: set http.token in \(config.source) or DRIFTWATCH_HTTP_TOKEN"
        )
    }

    static func hostAndPort(
        _ text: String, at node: ConfigNode?,
        source: (place: String, name: String) = ("environment", "DRIFTWATCH_HTTP_ADDRESS")
    ) throws -> (String, Int) {
        func problem() -> ConfigError {
            let message = "expected an address like 127.0.0.1:9464 or 0.0.0.0:9464, got '\(text)'"
            return node?.error(message) ?? ConfigError(file: source.place, "\(source.name): \(message)")
        }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else { throw problem() }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw problem() }
        return (host, port)
    }

    /// A bearer token: at least 16 characters of letters, digits and `-._~+/=` (it also travels in a cookie).
    static func httpToken(_ text: String, at node: ConfigNode?) throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/=")
        guard text.count >= 16, text.allSatisfy(allowed.contains) else {
            let message =
                "a token needs at least 16 characters of letters, digits and -._~+/= (e.g. `openssl rand -hex 24`)"
            throw node?.error(message) ?? ConfigError(file: "environment", "DRIFTWATCH_HTTP_TOKEN: \(message)")
        }
        return text
    }
}

extension ConfigLoader {
    /// The configuration keys `driftwatch compare` applies; it compares two files, so everything else (Kafka,
    /// windows, labels, rules, per-model sections) does not apply and is refused rather than silently ignored.
    public static let comparisonKeys = [
        "drift.decision", "drift.false_alarm_rate", "drift.min_effect", "drift.ks_method", "drift.dataset_drift_share",
        "drift.psi_bins", "drift.psi_threshold", "drift.ks_statistic_threshold", "drift.min_window_events",
        "policy.correction",
    ]

    /// The drift settings of a configuration file for `compare`: validated as `run` validates them, and any key
    /// outside `comparisonKeys` refused with its position.
    public static func loadComparisonSettings(path: String) throws -> MonitorSettings {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw ConfigError(file: path, "cannot read the configuration file as UTF-8 text (does it exist?)")
        }
        let config = try parse(yaml: text, file: path)
        guard let root = try Yams.compose(yaml: text), case .mapping(let sections) = root else { return config.monitor }
        var refused: [ConfigError] = []
        for (sectionKey, section) in sections {
            let name = sectionKey.string ?? "?"
            guard name == "drift" || name == "policy", case .mapping(let entries) = section else {
                refused.append(
                    ConfigError(file: path, line: sectionKey.mark?.line, column: sectionKey.mark?.column, name))
                continue
            }
            for (key, _) in entries where !comparisonKeys.contains("\(name).\(key.string ?? "?")") {
                refused.append(
                    ConfigError(
                        file: path, line: key.mark?.line, column: key.mark?.column, "\(name).\(key.string ?? "?")"))
            }
        }
        guard let first = refused.first else { return config.monitor }
        throw ConfigError(
            file: path, line: first.line, column: first.column,
            "not applicable to compare: \(refused.map(\.message).joined(separator: ", ")). compare reads only "
                + "\(comparisonKeys.joined(separator: ", ")); give it a file with just those (or use the command-line options)"
        )
    }
}
