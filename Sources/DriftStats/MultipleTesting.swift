/// Adjusted p-values for a family of tests (one per feature of a window), so that a threshold α on the
/// adjusted values controls the family-wise error (Bonferroni) or the false discovery rate
/// (Benjamini–Hochberg). Definitions as `scipy.stats.false_discovery_control(ps, method='bh')` and
/// statsmodels' `multipletests(method='bonferroni')`.
public enum MultipleTesting {
    public enum Method: String, Sendable, CaseIterable {
        case none
        case bonferroni
        case benjaminiHochberg = "benjamini-hochberg"
    }

    /// Adjusted p-values in the order of `pValues`.
    public static func adjusted(_ pValues: [Double], method: Method) -> [Double] {
        let m = Double(pValues.count)
        switch method {
        case .none:
            return pValues
        case .bonferroni:
            return pValues.map { min($0 * m, 1) }
        case .benjaminiHochberg:
            // p_(i) · m / i, made monotone from the largest p downwards, capped at 1.
            let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
            var adjusted = [Double](repeating: 1, count: pValues.count)
            var running = 1.0
            for rank in stride(from: order.count, through: 1, by: -1) {
                let index = order[rank - 1]
                running = min(running, pValues[index] * m / Double(rank))
                adjusted[index] = min(running, 1)
            }
            return adjusted
        }
    }

    /// The same for a family where some tests have no p-value (nil stays nil, the rest are adjusted as one
    /// family of their own size).
    public static func adjusted(_ pValues: [Double?], method: Method) -> [Double?] {
        let present = pValues.indices.filter { pValues[$0] != nil }
        var result = pValues
        for (index, value) in zip(present, adjusted(present.map { pValues[$0]! }, method: method)) {
            result[index] = value
        }
        return result
    }
}
