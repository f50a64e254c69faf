import DriftStats
import Foundation
import Testing

@testable import DriftCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `DecimalParser` against the C library's `strtod` (correctly rounded in glibc), bit for bit, on random
/// decimals of every length around its three paths: Clinger's (≤ 2⁵³, 10^±22), the 128-bit one (19 digits,
/// 10⁻¹⁹…10¹⁹) and strtod itself (beyond).
@Suite struct DecimalParserTests {
    static func strtodValue(_ text: String) -> Double {
        text.withCString { strtod($0, nil) }
    }

    @Test func randomDecimalsMatchStrtodBitForBit() {
        var random = SplitMix64(seed: 1_959)
        var checked = 0
        for _ in 0..<200_000 {
            let digits = Int(random.next() % 22) + 1
            var mantissa = String(Int(random.next() % 9) + 1)
            for _ in 1..<digits { mantissa += String(random.next() % 10) }
            var text = random.next() % 3 == 0 ? "-" : ""
            switch random.next() % 4 {
            case 0: text += mantissa
            case 1:
                let point = Int(random.next() % UInt64(mantissa.count))
                text += point == 0 ? "0." + mantissa : mantissa.prefix(point) + "." + mantissa.dropFirst(point)
            case 2: text += "0." + String(repeating: "0", count: Int(random.next() % 12)) + mantissa
            default:
                text += mantissa.prefix(1) + "." + mantissa.dropFirst() + "e" + String(Int(random.next() % 61) - 30)
            }
            let parsed = Array(text.utf8).withUnsafeBufferPointer(DecimalParser.parse)
            #expect(parsed?.bitPattern == Self.strtodValue(text).bitPattern, "\(text)")
            checked += 1
        }
        #expect(checked == 200_000)
    }

    /// Ties: 19-digit integers exactly halfway between two doubles (and one either side), which the product path
    /// must round to even; the same digits with a decimal exponent for the quotient path; and doubles written in
    /// full (shortest round trip), as producers write them.
    @Test func tiesAndFullDoublesMatchStrtod() {
        var random = SplitMix64(seed: 77)
        for _ in 0..<50_000 {
            let base = (random.next() >> 1) | (1 << 62)  // in [2^62, 2^63): a double's ulp here is 2^10
            let tie = (base & ~0x3FF) | 0x200
            let exponent = Int(random.next() % 41) - 21
            let value = random.unit() * [1e-20, 1e-9, 1e-3, 1, 1e6, 1e18][Int(random.next() % 6)]
            for text in [String(tie), String(tie - 1), String(tie + 1), "\(tie)e\(exponent)", value.description] {
                let parsed = Array(text.utf8).withUnsafeBufferPointer(DecimalParser.parse)
                #expect(parsed?.bitPattern == Self.strtodValue(text).bitPattern, "\(text)")
            }
        }
    }

    @Test func theWidePathCoversWhatItClaims() {
        // 17 digits, fraction: not Clinger's (above 2⁵³), the 128-bit path's.
        #expect(
            DecimalParser.wide(mantissa: 12_345_678_901_234_567, exponent: -15, negative: false) == 12.345678901234567)
        #expect(
            DecimalParser.wide(mantissa: 18_446_744_073_709_551_615, exponent: 19, negative: true)
                == -1.8446744073709551615e38)
        #expect(DecimalParser.wide(mantissa: 1, exponent: -20, negative: false) == nil)
        #expect(DecimalParser.wide(mantissa: 1, exponent: 20, negative: false) == nil)
    }
}
