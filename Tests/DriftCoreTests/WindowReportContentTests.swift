import DriftCore
import Testing

/// What a window report says beyond numeric drift: categorical features, data quality, the prediction and
/// latency.
@Suite struct WindowReportContentTests {
    static var settings: MonitorSettings {
        var settings = MonitorSettings()
        settings.windowSize = 10_000
        settings.allowedLateness = 0
        settings.bootstrapEvents = 200
        settings.policy.minimumWindowEvents = 50
        return settings
    }

    /// Runs 200 reference events and one window of `count` events, then closes the window.
    func report(
        count: Int = 300,
        reference: (Int) -> ([String: FeatureValue], PredictionEvent.Prediction),
        window: (Int) -> ([String: FeatureValue], PredictionEvent.Prediction, Double?)
    ) throws -> WindowReport {
        var monitor = DriftMonitor(settings: Self.settings)
        var offset: Int64 = 0
        var outputs: [MonitorOutput] = []
        func send(
            _ features: [String: FeatureValue], _ prediction: PredictionEvent.Prediction, _ latency: Double?,
            at time: Int64
        ) {
            let event = PredictionEvent(
                model: "m", modelVersion: "1", requestID: "r\(offset)", time: EventTime(millisecondsSinceEpoch: time),
                features: Features(features), prediction: prediction, latencyMilliseconds: latency)
            outputs += monitor.ingest(event, at: EventPosition(partition: 0, offset: offset), receivedAt: 0)
            offset += 1
        }
        for index in 0..<200 {
            let (features, prediction) = reference(index)
            send(features, prediction, nil, at: Int64(index))
        }
        for index in 0..<count {
            let (features, prediction, latency) = window(index)
            send(features, prediction, latency, at: 10_000 + Int64(index))
        }
        send([:], .score(0), nil, at: 20_000)  // closes [10 000, 20 000)
        return try #require(outputs.compactMap { if case .report(let report) = $0 { report } else { nil } }.first)
    }

    let palette = ["DE", "FR", "US", "GB"]

    @Test func categoricalFeaturesDriftOnTheirShares() throws {
        let report = try report(
            reference: { index in (["country": .category(palette[index % 4])], .score(0.5)) },
            window: { index in (["country": .category(index % 3 == 0 ? "BR" : "DE")], .score(0.5), nil) })
        let country = try #require(report.features.first { $0.name == "country" })
        #expect(country.type == "categorical")
        #expect(country.count == 300)
        #expect(country.unseenRate == 100.0 / 300.0)  // every third value is BR, never seen in the reference
        #expect(country.chi2?.statistic == nil)  // infinite: a category the reference never had
        #expect(country.chi2?.pValue == 0)
        #expect(try #require(country.psi).convention == "evidently")
        #expect(country.drifted)
        #expect(report.status == .drift)
    }

    @Test func wrongTypesMissingValuesAndUnknownFeaturesAreCounted() throws {
        let report = try report(
            reference: { index in
                (["amount": .number(Double(index)), "country": .category(palette[index % 4])], .score(0.5))
            },
            window: { index in
                var features: [String: FeatureValue] = [
                    "amount": index < 10 ? .category("n/a") : index < 25 ? .missing : .number(Double(index % 200)),
                    "country": index < 5 ? .number(49) : .category(palette[index % 4]),
                ]
                if index < 7 { features["debug_flag"] = .category("on") }
                return (features, .score(0.5), nil)
            })
        let amount = try #require(report.features.first { $0.name == "amount" })
        #expect(amount.wrongType == 10)
        #expect(amount.missing == 15)
        #expect(amount.count == 275)
        let country = try #require(report.features.first { $0.name == "country" })
        #expect(country.wrongType == 5)
        #expect(report.unknownFeatures == [WindowReport.UnknownFeature(name: "debug_flag", count: 7)])
    }

    @Test func scoresAreComparedAsNumbersAndClassesAsCategories() throws {
        let scores = try report(
            reference: { index in ([:], .score(Double(index % 100) / 100)) },
            window: { index in ([:], .score(0.5 + Double(index % 50) / 100), nil) })
        let scorePrediction = try #require(scores.prediction)
        #expect(scorePrediction.type == "numeric" && scorePrediction.ks != nil && scorePrediction.drifted)
        #expect(scores.status == .ok)  // the prediction is reported, not part of the feature drift decision

        let classes = try report(
            reference: { index in ([:], .label(index % 2 == 0 ? "fraud" : "ok")) },
            window: { index in ([:], index % 10 == 0 ? .label("fraud") : index == 1 ? .score(0.3) : .label("ok"), nil) }
        )
        let classPrediction = try #require(classes.prediction)
        #expect(classPrediction.type == "categorical")
        #expect(classPrediction.count == 299)
        #expect(classPrediction.wrongType == 1)
        #expect(classPrediction.drifted)
    }

    @Test func latencyPercentilesComeFromTheWindowsEvents() throws {
        let report = try report(
            count: 1_000,
            reference: { _ in ([:], .score(0.5)) },
            window: { index in ([:], .score(0.5), Double(index + 1) / 10) })  // 0.1 … 100.0 ms
        let latency = try #require(report.latency)
        #expect(latency.count == 1_000)
        #expect(latency.max == 100)
        for (value, exact) in [(latency.p50, 50.0), (latency.p95, 95.0), (latency.p99, 99.0)] {
            #expect(value >= exact && value <= exact * (1 + 1.0 / 128), "\(value) vs \(exact)")
        }
    }
}
