import DriftCore
import DriftStats
import Foundation

/// A synthetic production model for the demo: realistic feature distributions, the deployed version's
/// prediction, the ground truth that a label will carry later, and a drifted variant of the inputs (what a
/// changed population or a broken upstream looks like).
struct DemoModel: Sendable {
    /// One request: its features, the built-in version's prediction and the truth.
    struct Sample: Sendable {
        var features: [String: FeatureValue]
        var prediction: PredictionEvent.Prediction
        var truth: LabelEvent.Value
    }

    /// What traffic looks like: the usual population, a drifted one, or one whose features relate differently.
    struct Regime: Sendable {
        var drifted = false
        var relationChanged = false
    }

    let name: String
    let version: String
    let makeEvent: @Sendable (inout SplitMix64, Regime) -> Sample

    /// Card-fraud scoring. Drift: larger amounts, younger customers, more new devices — scores move towards
    /// 0.5, where the deployed version is less sure, so its estimated accuracy falls from about 0.79 to 0.73
    /// before any label — and a new fraud pattern (many small transactions from new devices, distance no longer
    /// telling) that no estimate can see, so the realised accuracy falls to about 0.55; a version retrained on
    /// the drifted traffic gets back to about 0.74.
    static let fraud = DemoModel(name: "fraud", version: "7") { random, regime in
        let drifted = regime.drifted
        let amount = random.logNormal(mu: drifted ? 3.9 : 3.2, sigma: 0.9)
        let age = min(90, max(18, random.normal(mean: drifted ? 33 : 41, sd: drifted ? 10 : 12))).rounded()
        let transactions = Double(random.poisson(mean: drifted ? 5.5 : 3))
        let distance = random.exponential(mean: 12)
        let newDevice = random.unit() < (drifted ? 0.3 : 0.08)
        let country = random.pick([("DE", 0.35), ("FR", 0.2), ("US", 0.25), ("GB", 0.15), ("BR", drifted ? 0.4 : 0.05)])
        let device = newDevice ? 1.0 : 0
        let scored = -1.6 + 0.012 * (amount - 25) - 0.05 * (age - 41) + 0.05 * (distance - 12) + 1.8 * device
        let actual =
            drifted
            ? -1.0 + 0.45 * (transactions - 5.5) - 0.004 * (amount - 50) - 0.03 * (age - 33) + 2.0 * device
            : scored
        var features: [String: FeatureValue] = [
            "amount": .number((amount * 100).rounded() / 100), "age": .number(age),
            "tx_per_day": .number(transactions), "distance_km": .number((distance * 10).rounded() / 10),
            "country": .category(country), "new_device": .category(newDevice ? "true" : "false"),
        ]
        if random.unit() < 0.01 { features["age"] = .missing }
        let fraud = random.unit() < sigmoid(actual)
        return Sample(features: features, prediction: .score(sigmoid(scored)), truth: .number(fraud ? 1 : 0))
    }

    /// Subscription churn; the truth follows the deployed score. Monthly charges rise with tenure (longer
    /// customers hold bigger plans). Not drifted in the default demo, but its relation changes: charges fall with
    /// tenure instead (73 − tenure has tenure's own distribution), so no feature's distribution moves.
    static let churn = DemoModel(name: "churn", version: "3") { random, regime in
        let drifted = regime.drifted
        let tenure = (random.unit() * (drifted ? 24 : 72)).rounded(.up)
        let plan = regime.relationChanged ? 73 - tenure : tenure
        let charges = max(18, random.normal(mean: (drifted ? 70 : 45) + 0.6 * plan, sd: 12))
        let calls = Double(random.poisson(mean: drifted ? 3 : 1.2))
        let contract = random.pick([("monthly", 0.55), ("yearly", 0.3), ("two-year", 0.15)])
        let score = sigmoid(-1.0 - 0.03 * tenure + 0.01 * (charges - 70) + 0.4 * calls)
        return Sample(
            features: [
                "tenure_months": .number(tenure), "monthly_charges": .number((charges * 100).rounded() / 100),
                "support_calls": .number(calls), "contract": .category(contract),
            ],
            prediction: .score(score), truth: .number(random.unit() < score ? 1 : 0))
    }

    /// Delivery-time regression (minutes): the prediction is the expected time, the truth adds the noise.
    static let eta = DemoModel(name: "eta", version: "12") { random, regime in
        let drifted = regime.drifted
        let distance = random.logNormal(mu: drifted ? 2.1 : 1.5, sigma: 0.6)
        let items = Double(random.poisson(mean: 3) + 1)
        let hour = (random.unit() * 24).rounded(.down)
        let expected = 8 + 2.6 * distance + 0.8 * items
        let actual = max(1, expected + random.normal(mean: 0, sd: 3))
        return Sample(
            features: [
                "distance_km": .number((distance * 10).rounded() / 10), "items": .number(items),
                "hour_of_day": .number(hour),
            ],
            prediction: .score((expected * 10).rounded() / 10), truth: .number((actual * 10).rounded() / 10))
    }

    static let all = [fraud, churn, eta]

    /// The deployed version's reference, built from `count` labelled examples of its usual traffic as from a
    /// training set: feature profiles, the multivariate model, and for scores with 0/1 truths the calibration
    /// of performance estimation.
    func trainingReference(count: Int, psiBins: Int, threshold: Double) -> ReferenceProfile {
        var random = SplitMix64(seed: TrainingSet.fnv("training-\(name)"))
        var builder = ReferenceBuilder()
        for _ in 0..<count {
            let sample = makeEvent(&random, Regime())
            builder.add(features: Features(sample.features), prediction: sample.prediction, truth: sample.truth.binary)
        }
        return builder.profile(modelVersion: version, source: .file, psiBins: psiBins, threshold: threshold)
    }

    private static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
}
