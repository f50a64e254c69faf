#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Regression metrics, defined as scikit-learn 1.9 defines them.
public enum RegressionMetrics {
    public struct Result: Sendable, Equatable {
        public var count: Int
        /// `mean_absolute_error`.
        public var mae: Double
        /// `root_mean_squared_error`.
        public var rmse: Double
        /// `mean_absolute_percentage_error`: mean |y − ŷ| / max(|y|, ε), a fraction (not percent).
        public var mape: Double
    }

    public static func compute(truth: [Double], predicted: [Double]) -> Result {
        precondition(truth.count == predicted.count && !truth.isEmpty, "metrics need matching, non-empty values")
        let errors = zip(truth, predicted).map { $1 - $0 }
        return Result(
            count: truth.count,
            mae: Descriptive.mean(errors.map(abs)),
            rmse: Descriptive.mean(errors.map { $0 * $0 }).squareRoot(),
            mape: Descriptive.mean(zip(truth, errors).map { abs($1) / max(abs($0), Double.ulpOfOne) }))
    }
}
