/// Which multivariate drift measures windows get (`multivariate` in the configuration). Both need a reference
/// with a multivariate model (every bootstrapped, trained or deployed reference built from events has one).
public struct MultivariateSettings: Sendable, Equatable {
    /// The mean PCA reconstruction error per window against the reference's bounds: a few multiply-adds per
    /// event, on by default.
    public var reconstruction = true
    /// The cross-validated domain classifier per window (5 logistic regressions at each close), off by default.
    public var domainClassifier = false
    /// Rows of a window kept for the domain classifier (evenly spaced over the window).
    public var classifierRows = 1_000

    public init() {}
}
