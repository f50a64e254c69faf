import DriftStats

/// The domain classifier's inputs: each encoded feature standardised with the reference's scale, and every
/// product of two of them (squares included). A logistic regression is linear in its inputs, so without the
/// products it could not see a change in how two features relate (a flipped correlation keeps both
/// marginals); with them it can, and the term that separates most names the pair.
public struct DomainTerms: Sendable {
    public let names: [String]
    private let means: [Double]
    private let scales: [Double]

    public init(_ reference: MultivariateReference) {
        means = reference.model.means
        scales = reference.model.scales
        var names = reference.names
        for i in reference.names.indices {
            for j in i..<reference.names.count {
                names.append(i == j ? "\(reference.names[i])²" : "\(reference.names[i])×\(reference.names[j])")
            }
        }
        self.names = names
    }

    func expand(_ row: [Double]) -> [Double] {
        let z = row.indices.map { (row[$0] - means[$0]) / scales[$0] }
        var terms = z
        terms.reserveCapacity(names.count)
        for i in z.indices { for j in i..<z.count { terms.append(z[i] * z[j]) } }
        return terms
    }

    /// The cross-validated AUC and the three terms with the largest mean weights; nil without rows enough.
    public func evaluate(reference: [[Double]], current: [[Double]]) -> WindowReport.Multivariate.DomainClassifier? {
        // Rows whose products overflow (values beyond ±1e150) are left out.
        func finite(_ rows: [[Double]]) -> [[Double]] { rows.map(expand).filter { $0.allSatisfy(\.isFinite) } }
        guard let result = DomainClassifier.evaluate(reference: finite(reference), current: finite(current))
        else { return nil }
        let top = result.weights.indices.sorted { result.weights[$0] > result.weights[$1] }.prefix(3)
        return .init(
            auc: result.auc, rows: current.count,
            separating: top.map { .init(term: names[$0], weight: result.weights[$0]) })
    }
}
