/// Drift of a numeric feature: every test Driftwatch reports, each under its named convention.
public enum NumericDrift {
    public struct Result: Sendable, Equatable {
        /// `scipy.stats.ks_2samp` with the caller's method (`auto` by default).
        public var ks: KolmogorovSmirnov.Result
        public var psi: PopulationStabilityIndex.Result
        /// `scipy.stats.wasserstein_distance`.
        public var wasserstein: Double
        /// W₁ / max(std(reference), 0.001): Evidently's `wasserstein` stattest.
        public var wassersteinNormalized: Double
        /// Jensen–Shannon distance over Evidently's bins (Sturges over both samples, or one per value).
        public var jensenShannon: Double
    }

    /// Compares two ascending, non-empty samples.
    public static func compare(
        sortedReference reference: [Double], sortedCurrent current: [Double],
        psiConvention: PopulationStabilityIndex.Convention = .referenceQuantiles,
        psiBins: Int = PopulationStabilityIndex.defaultBins, ksMethod: KolmogorovSmirnov.PValueMethod = .auto
    ) -> Result {
        let shares = EvidentlyBinning.shares(sortedReference: reference, sortedCurrent: current)
        let wasserstein = Wasserstein.distance(sorted: reference, current)
        return Result(
            ks: KolmogorovSmirnov.test(sorted: reference, current, method: ksMethod),
            psi: PopulationStabilityIndex.numeric(
                sortedReference: reference, sortedCurrent: current, convention: psiConvention, bins: psiBins),
            wasserstein: wasserstein,
            wassersteinNormalized: wasserstein / Swift.max(Descriptive.standardDeviation(reference), 0.001),
            jensenShannon: JensenShannon.distance(shares.reference, shares.current))
    }
}
