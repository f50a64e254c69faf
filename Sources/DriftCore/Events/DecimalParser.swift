#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses a decimal number from UTF-8 bytes, correctly rounded: Clinger's fast path (a mantissa of at most
/// 2⁵³ scaled by an exact power of ten up to 10²²) covers the numbers CSV exports write; anything else goes to
/// the C library's `strtod`. Rejects anything that is not entirely a number. Used for CSV cells and for the
/// numbers of JSON events.
package enum DecimalParser {
    /// 10⁰…10²², each exact in a Double (a literal, so the array is built at compile time).
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    /// Surrounding blanks (space, tab) are ignored, as pandas ignores them when it reads numbers.
    package static func parse(_ untrimmed: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0
        var end = untrimmed.count
        while start < end && (untrimmed[start] == 0x20 || untrimmed[start] == 0x09) { start += 1 }
        while end > start && (untrimmed[end - 1] == 0x20 || untrimmed[end - 1] == 0x09) { end -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: untrimmed[start..<end])
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var exponent = 0
        while index < count, bytes[index] &- 48 < 10 {
            if significant < 19 {
                mantissa = mantissa * 10 + UInt64(bytes[index] &- 48)
                if mantissa > 0 { significant += 1 }
            } else {
                exponent += 1
            }
            digits += 1
            index += 1
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, bytes[index] &- 48 < 10 {
                if significant < 19 {
                    mantissa = mantissa * 10 + UInt64(bytes[index] &- 48)
                    if mantissa > 0 { significant += 1 }
                    exponent -= 1
                }
                digits += 1
                index += 1
            }
        }
        guard digits > 0 else { return slowPath(bytes) }  // "inf", "infinity", …
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var exponentDigits = 0
            while index < count, bytes[index] &- 48 < 10 {
                if written < 100_000 { written = written * 10 + Int(bytes[index] &- 48) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == count else { return nil }
        if significant < 19, let value = exact(mantissa: mantissa, exponent: exponent, negative: negative) { return value }
        return slowPath(bytes)
    }

    /// Clinger's fast path: ±mantissa × 10^exponent when the mantissa is at most 2⁵³ and |exponent| ≤ 22, where
    /// one multiplication or division of two exact Doubles is the correctly rounded value; nil otherwise.
    @inline(__always)
    static func exact(mantissa: UInt64, exponent: Int, negative: Bool) -> Double? {
        guard mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        var value = Double(mantissa)
        if exponent < 0 { value /= powersOfTen[-exponent] } else { value *= powersOfTen[exponent] }
        return negative ? -value : value
    }

    /// `strtod` on a NUL-terminated copy; accepts only a complete match.
    private static func slowPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var text = [CChar](repeating: 0, count: bytes.count + 1)
        for (index, byte) in bytes.enumerated() { text[index] = CChar(bitPattern: byte) }
        return text.withUnsafeBufferPointer { buffer -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end - UnsafeMutablePointer(mutating: buffer.baseAddress!) == bytes.count else { return nil }
            return value
        }
    }
}
