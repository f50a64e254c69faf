import DriftStats

/// What the decision modes need of one feature's comparison with its reference, computed once by
/// `FeatureEvidence.numeric` / `.categorical` for the stream and for `compare` alike.
public struct FeatureEvidence: Sendable {
    public struct Test: Sendable, Equatable {
        public var name: String
        public var pValue: Double
    }

    public struct Effect: Sendable, Equatable {
        public var name: String
        public var value: Double
    }

    /// Values in the smaller sample: the window's (or current file's), unless the reference has fewer.
    public var count: Int
    public var ks: KolmogorovSmirnov.Result?
    public var psi: Double?
    /// The calibrated mode's test (nil where the sample is too sparse to test) and effect size.
    public var calibratedTest: Test?
    public var calibratedEffect: Effect?
    /// Evidently 0.7's default choice on the same samples.
    public var evidently: EvidentlyDrift.Decision?

    public init(count: Int) {
        self.count = count
    }

    /// A numeric feature: `reference` and `current` ascending and non-empty; `ks` and `psi` as the caller
    /// computed them (the stream's PSI uses the reference profile's edges); `referenceStandardDeviation` (ddof 0)
    /// and `referenceNoiseIntegral` (`Wasserstein.noiseIntegral`) of the reference. `evidentlyCategorical`:
    /// Evidently would type the column as categorical.
    ///
    /// The calibrated effect is the normed Wasserstein distance beyond what sampling noise alone gives at these
    /// sizes, (W₁ − E₀[W₁]) / σ, so that a window's noise is not mistaken for a shift that matters.
    public static func numeric(
        sortedReference reference: [Double], sortedCurrent current: [Double], ks: KolmogorovSmirnov.Result,
        psi: Double, referenceStandardDeviation: Double, referenceNoiseIntegral: Double, evidentlyCategorical: Bool,
        mode: DriftDecision.Mode
    ) -> FeatureEvidence {
        var evidence = FeatureEvidence(count: Swift.min(reference.count, current.count))
        evidence.ks = ks
        evidence.psi = psi
        switch mode {
        case .calibrated:
            evidence.calibratedTest = Test(name: "ks", pValue: ks.pValue)
            let distance = Wasserstein.distance(sorted: reference, current)
            let noise = Wasserstein.expectedNoise(noiseIntegral: referenceNoiseIntegral, reference.count, current.count)
            evidence.calibratedEffect = Effect(
                name: "wasserstein_normed_excess",
                value: (distance - noise) / Swift.max(referenceStandardDeviation, 0.001))
        case .evidently:
            evidence.evidently = EvidentlyDrift.numeric(
                sortedReference: reference, sortedCurrent: current, categorical: evidentlyCategorical)
        case .thresholds:
            break
        }
        return evidence
    }

    /// A categorical feature; both counts non-empty. `psi` and `jensenShannon` as `CategoricalDrift` computes them.
    public static func categorical(
        reference: CategoryCounts, current: CategoryCounts, psi: Double, jensenShannon: Double, mode: DriftDecision.Mode
    ) -> FeatureEvidence {
        var evidence = FeatureEvidence(count: Swift.min(reference.total, current.total))
        evidence.psi = psi
        switch mode {
        case .calibrated:
            let keys = reference.categories.union(current.categories).sorted()
            if let homogeneity = ChiSquared.homogeneity(keys.map { reference[$0] }, keys.map { current[$0] }) {
                evidence.calibratedTest = Test(name: "chi2_homogeneity", pValue: homogeneity.result.pValue)
            }
            evidence.calibratedEffect = Effect(name: "jensen_shannon", value: jensenShannon)
        case .evidently:
            evidence.evidently = EvidentlyDrift.categorical(reference: reference, current: current)
        case .thresholds:
            break
        }
        return evidence
    }
}
