#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small dense square matrix for the Durbin matrix power.
struct SquareMatrix {
    let order: Int
    var elements: [Double]

    init(order: Int) {
        self.order = order
        elements = [Double](repeating: 0, count: order * order)
    }

    static func identity(order: Int) -> SquareMatrix {
        var matrix = SquareMatrix(order: order)
        for i in 0..<order { matrix[i, i] = 1 }
        return matrix
    }

    subscript(row: Int, column: Int) -> Double {
        get { elements[row * order + column] }
        set { elements[row * order + column] = newValue }
    }

    mutating func scale(by factor: Double) {
        for index in elements.indices { elements[index] *= factor }
    }

    static func * (lhs: SquareMatrix, rhs: SquareMatrix) -> SquareMatrix {
        let n = lhs.order
        var result = SquareMatrix(order: n)
        lhs.elements.withUnsafeBufferPointer { a in
            rhs.elements.withUnsafeBufferPointer { b in
                result.elements.withUnsafeMutableBufferPointer { c in
                    for i in 0..<n {
                        for k in 0..<n {
                            let aik = a[i * n + k]
                            if aik == 0 { continue }
                            for j in 0..<n { c[i * n + j] += aik * b[k * n + j] }
                        }
                    }
                }
            }
        }
        return result
    }
}
