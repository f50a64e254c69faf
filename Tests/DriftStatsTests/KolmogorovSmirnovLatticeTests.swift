import Testing

@testable import DriftStats

/// The wavefront lattice walk (`probabilityOutsideBand`) against scipy's one-column loop
/// (`_compute_outer_prob_inside_method`, scipy 1.17) transcribed line by line: every value is the same
/// expression with the same operands, so the two must agree bit for bit, for small and large samples, wide and
/// narrow bands, and sizes that are and are not multiples of the wavefront's width.
@Suite struct KolmogorovSmirnovLatticeTests {
    /// scipy's loop: one sliding column, relative indexing, carried-over cells reset to 1.
    static func scipyLoop(m: Int, n: Int, g: Int, h: Int) -> Double {
        let (m, n) = m < n ? (n, m) : (m, n)
        let mg = m / g
        let ng = n / g
        var minJ = 0
        var maxJ = min(Int((Double(h) / Double(mg)).rounded(.up)), n + 1)
        var currentLength = maxJ - minJ
        let length = min(2 * maxJ + 2, n + 1)
        var column = [Double](repeating: 1, count: length)
        for index in minJ..<min(maxJ, length) { column[index] = 0 }
        for i in 1...m {
            let lastMinJ = minJ
            let lastLength = currentLength
            minJ = min(max(Int((Double(ng * i - h) / Double(mg)).rounded(.down)) + 1, 0), n)
            maxJ = min(Int((Double(ng * i + h) / Double(mg)).rounded(.up)), n + 1)
            if maxJ <= minJ { return 1 }
            var value = minJ == 0 ? 0.0 : 1.0
            for jj in 0..<(maxJ - minJ) {
                let j = Double(jj + minJ)
                value = (column[jj + minJ - lastMinJ] * Double(i) + value * j) / (Double(i) + j)
                column[jj] = value
            }
            currentLength = maxJ - minJ
            if lastLength > currentLength {
                for index in currentLength..<min(lastLength, length) { column[index] = 1 }
            }
        }
        return column[maxJ - minJ - 1]
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    @Test(arguments: [
        (1, 2), (2, 3), (3, 7), (7, 9), (8, 17), (16, 9), (40, 33), (100, 37), (250, 1000), (999, 1000),
        (1000, 6000), (1000, 6007), (6151, 1000), (500, 10_000),
    ])
    func wavefrontEqualsTheOneColumnLoop(sizes: (Int, Int)) {
        let (n1, n2) = sizes
        let g = Self.gcd(n1, n2)
        let lcm = (n1 / g) * n2
        var random = SplitMix64(seed: UInt64(n1 * 10_007 + n2))
        // D from the smallest lattice step to 1, denser where p-values are neither 0 nor 1.
        var statistics = [1, 2, lcm / 2, lcm]
        for _ in 0..<(n1 * n2 > 1_000_000 ? 3 : 12) {
            statistics.append(1 + Int(random.next() % UInt64(max(lcm / 8, 1))))
        }
        for h in statistics {
            let expected = Self.scipyLoop(m: n1, n: n2, g: g, h: h)
            let actual = KolmogorovSmirnov.probabilityOutsideBand(m: n1, n: n2, g: g, h: h)
            #expect(actual.bitPattern == expected.bitPattern, "m \(n1) n \(n2) h \(h): \(actual) vs \(expected)")
        }
    }
}
