import DriftCore
import DriftStats
import Foundation
import Testing

/// A window of a reference built from labelled events: its report estimates performance before any label and
/// measures the reconstruction error; its performance report puts the realised metrics beside the estimate;
/// a flipped correlation, invisible to the per-feature tests, leaves the reconstruction bounds.
@Suite struct EstimationAndMultivariateTests {
    static var settings: MonitorSettings {
        var settings = MonitorSettings()
        settings.windowSize = 10_000
        settings.allowedLateness = 1_000
        settings.idleTimeout = nil
        settings.policy.minimumWindowEvents = 50
        settings.labels.ttl = 3_000
        settings.labels.minimumLabels = 20
        var rule = PolicyRule(name: "relation", conditions: [.init(.reconstructionAlert, above: 1)])
        rule.severity = .warning
        var estimate = PolicyRule(name: "estimate", conditions: [.init(.estimatedAccuracy, below: 0.99)])
        estimate.severity = .info
        settings.policy.rules = [rule, estimate]
        return settings
    }

    /// x ~ N(0, 1); y follows x (or −x, `flipped`) with noise, so both marginals are the same either way; the
    /// score is a logistic function of x and the truth a draw from it (calibrated).
    static func event(_ random: inout SplitMix64, flipped: Bool) -> (Features, Double, Bool) {
        let x = random.normal(mean: 0, sd: 1)
        let y = (flipped ? -x : x) * 0.9 + random.normal(mean: 0, sd: 0.45)
        let score = 1 / (1 + exp(-2 * x))
        return (["x": .number(x), "y": .number(y)], score, random.unit() < score)
    }

    static func reference() -> ReferenceProfile {
        var random = SplitMix64(seed: 5)
        var builder = ReferenceBuilder()
        for _ in 0..<3_000 {
            let (features, score, truth) = event(&random, flipped: false)
            builder.add(features: features, prediction: .score(score), truth: truth)
        }
        return builder.profile(modelVersion: "1", source: .file, psiBins: 10)
    }

    @Test func windowsEstimateBeforeLabelsAndSeeRelationsChange() throws {
        let reference = Self.reference()
        let estimation = try #require(reference.estimation)
        #expect(estimation.count == 3_000)
        let multivariate = try #require(reference.multivariate)
        #expect(multivariate.names == ["x", "y"] && multivariate.model.components.count == 1)

        var monitor = DriftMonitor(settings: Self.settings)
        monitor.install(reference, model: "m")
        var random = SplitMix64(seed: 9)
        var outputs: [MonitorOutput] = []
        var labelOffset: Int64 = 0
        // Two windows of 1 000 events: the first as the reference, the second with y following −x.
        for index in 0..<2_000 {
            let time = Int64(index) * 10
            let (features, score, truth) = Self.event(&random, flipped: index >= 1_000)
            let event = PredictionEvent(
                model: "m", modelVersion: "1", requestID: "r\(index)", time: EventTime(millisecondsSinceEpoch: time),
                features: features, prediction: .score(score))
            outputs += monitor.ingest(event, at: EventPosition(partition: 0, offset: Int64(index)), receivedAt: 0)
            let label = LabelEvent(
                model: "m", requestID: "r\(index)", time: EventTime(millisecondsSinceEpoch: time + 500),
                label: .number(truth ? 1 : 0))
            outputs += monitor.ingest(
                label, at: EventPosition(.labels, partition: 0, offset: labelOffset), receivedAt: 0)
            labelOffset += 1
        }
        // Time moves on: both windows close, their labels are due.
        for index in 0..<3 {
            let time = 20_000 + 6_000 * Int64(index + 1)
            let (features, score, _) = Self.event(&random, flipped: true)
            let event = PredictionEvent(
                model: "m", modelVersion: "1", requestID: "late\(index)",
                time: EventTime(millisecondsSinceEpoch: time), features: features, prediction: .score(score))
            outputs += monitor.ingest(
                event, at: EventPosition(partition: 0, offset: 2_000 + Int64(index)), receivedAt: 0)
            let label = LabelEvent(
                model: "m", requestID: "late\(index)", time: EventTime(millisecondsSinceEpoch: time),
                label: .number(0))
            outputs += monitor.ingest(
                label, at: EventPosition(.labels, partition: 0, offset: labelOffset), receivedAt: 0)
            labelOffset += 1
        }
        let reports = outputs.compactMap { if case .report(let report) = $0 { report } else { nil } }
        let performance = outputs.compactMap { if case .performance(let report) = $0 { report } else { nil } }
        try #require(reports.count >= 2 && performance.count >= 2)

        for (report, realised) in zip(reports.prefix(2), performance.prefix(2)) {
            let estimated = try #require(report.estimated)
            #expect(estimated.predictions == 1_000)
            // The same numbers as PerformanceEstimation on the window's scores (checked against NannyML elsewhere).
            #expect(realised.estimated == estimated)
            let accuracy = try #require(realised.metrics?.accuracy)
            #expect(realised.estimationError?["accuracy"] == accuracy - estimated.accuracy.value)
            // Calibrated scores: the realised accuracy lies in the estimate's band.
            let (lower, upper) = (try #require(estimated.accuracy.lower), try #require(estimated.accuracy.upper))
            #expect(lower <= accuracy && accuracy <= upper, "\(accuracy)")
            #expect(report.rules.first { $0.name == "estimate" }?.breached == true)
        }
        let before = try #require(reports[0].multivariate?.reconstructionError)
        let after = try #require(reports[1].multivariate?.reconstructionError)
        #expect(!before.alert && after.alert, "\(before.value) then \(after.value), bounds \(multivariate.bounds)")
        #expect(after.value > 2 * before.value)
        // Neither feature's own distribution moved: no KS p-value below 0.01 in the flipped window.
        for feature in reports[1].features { #expect((feature.ks?.pValue ?? 0) > 0.01, "\(feature.name)") }
        #expect(reports[1].rules.first { $0.name == "relation" }?.breached == true)
        #expect(reports[0].rules.first { $0.name == "relation" }?.breached == false)
        // The reference, estimation and multivariate model included, survives its JSON form.
        #expect(try ReferenceProfile.decode(json: reference.json()) == reference)
    }

    /// A reference from a deployment event is input: a malformed calibration or model is refused with a reason,
    /// never trusted into a crash (the kernel indexes by the column count).
    @Test func malformedEstimationOrModelIsRefused() throws {
        var reference = Self.reference()
        var broken = reference
        broken.multivariate!.model.components = [[1, 0, 0]]  // three values for two columns
        #expect(throws: EventDecodingError.self) { try ReferenceProfile.decode(json: broken.json()) }
        broken = reference
        broken.multivariate!.model.scales[0] = 0
        #expect(throws: EventDecodingError.self) { try ReferenceProfile.decode(json: broken.json()) }
        broken = reference
        broken.multivariate!.sample[0] = [1]
        #expect(throws: EventDecodingError.self) { try ReferenceProfile.decode(json: broken.json()) }
        // A calibration whose scores are not ascending.
        let text = String(decoding: reference.json(), as: UTF8.self)
        let scores = try #require(text.range(of: "\"scores\":["))
        let descending = text.replacingCharacters(in: scores, with: "\"scores\":[2,")
        #expect(throws: EventDecodingError.self) { try ReferenceProfile.decode(json: Array(descending.utf8)) }
        // A reference without a prediction of each class predicted positive still encodes and decodes: the
        // undefined sampling error is null, not a number JSON cannot carry.
        var builder = ReferenceBuilder()
        var random = SplitMix64(seed: 1)
        for _ in 0..<500 {
            let score = random.unit() * 0.4  // never at the threshold 0.5
            builder.add(features: ["x": .number(score)], prediction: .score(score), truth: random.unit() < score)
        }
        reference = builder.profile(modelVersion: "1", source: .file, psiBins: 10)
        let estimation = try #require(reference.estimation)
        #expect(estimation.precision.std == nil)
        #expect(try ReferenceProfile.decode(json: reference.json()) == reference)
        #expect(estimation.estimate(scores: [0.1, 0.2])?.precision.samplingError == nil)
    }

    /// Instances merge streams in different orders, and a replay must publish the same bytes: a window's estimate,
    /// reconstruction error and domain classifier do not depend on the order its events were placed in.
    @Test func aWindowReportDoesNotDependOnTheOrderOfItsEvents() throws {
        var settings = Self.settings
        settings.multivariate.domainClassifier = true
        settings.multivariate.classifierRows = 50
        var random = SplitMix64(seed: 21)
        var events: [(PredictionEvent, Int64)] = []
        for index in 0..<900 {
            let (features, score, _) = Self.event(&random, flipped: index % 3 == 0)
            events.append(
                (
                    PredictionEvent(
                        model: "m", modelVersion: "1", requestID: "r\(index)",
                        time: EventTime(millisecondsSinceEpoch: Int64(index) * 10), features: features,
                        prediction: .score(score)), Int64(index)
                ))
        }
        func report(_ order: [(PredictionEvent, Int64)]) throws -> [UInt8] {
            var monitor = DriftMonitor(settings: settings)
            monitor.install(Self.reference(), model: "m")
            var outputs: [MonitorOutput] = []
            for (event, offset) in order {
                outputs += monitor.ingest(event, at: EventPosition(partition: 0, offset: offset), receivedAt: 0)
            }
            let closing = PredictionEvent(
                model: "m", modelVersion: "1", requestID: "end", time: EventTime(millisecondsSinceEpoch: 30_000),
                features: ["x": .number(0), "y": .number(0)], prediction: .score(0.5))
            outputs += monitor.ingest(closing, at: EventPosition(partition: 0, offset: 10_000), receivedAt: 0)
            let reports = outputs.compactMap { if case .report(let report) = $0 { report } else { nil } }
            let first = try #require(reports.first)
            #expect(first.multivariate?.domainClassifier != nil && first.estimated != nil)
            return first.json()
        }
        var shuffled = SplitMix64(seed: 4)
        var order = events
        for index in order.indices.reversed() {
            order.swapAt(index, Int(shuffled.next() % UInt64(index + 1)))
        }
        #expect(try report(events) == report(order))
    }
}
