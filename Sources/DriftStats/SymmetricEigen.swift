/// Eigenvalues and eigenvectors of a small dense symmetric matrix by cyclic Jacobi rotations (Golub & Van
/// Loan, §8.5): accurate to a few ulps for the covariance matrices of tens of features that PCA needs.
enum SymmetricEigen {
    /// `matrix` is row-major, `order`×`order`, symmetric. Returns the eigenvalues in descending order and, for
    /// each, its unit eigenvector.
    static func decompose(_ matrix: [Double], order n: Int) -> (values: [Double], vectors: [[Double]]) {
        precondition(matrix.count == n * n, "a square matrix")
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<n { for q in (p + 1)..<max(n, p + 1) { off += a[p * n + q] * a[p * n + q] } }
            var diagonal = 0.0
            for p in 0..<n { diagonal += a[p * n + p] * a[p * n + p] }
            if off <= 1e-34 * diagonal { break }
            var rotated = false
            for p in 0..<n {
                for q in (p + 1)..<max(n, p + 1) {
                    let apq = a[p * n + q]
                    let app = a[p * n + p]
                    let aqq = a[q * n + q]
                    if apq == 0 { continue }
                    let theta = (aqq - app) / (2 * apq)
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    if s == 0 { continue }
                    rotated = true
                    for k in 0..<n {
                        let akp = a[k * n + p]
                        let akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k]
                        let aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p]
                        let vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
            if !rotated { break }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] }
        return (order.map { a[$0 * n + $0] }, order.map { column in (0..<n).map { v[$0 * n + column] } })
    }
}
