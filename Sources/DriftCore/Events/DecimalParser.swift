#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parses a decimal number from UTF-8 bytes, correctly rounded: Clinger's fast path (a mantissa of at most
/// 2⁵³ scaled by an exact power of ten up to 10²²) covers the numbers CSV exports write; `wide` the doubles
/// written in full (up to 19 digits, 10⁻¹⁹…10¹⁹); anything else goes to the C library's `strtod`. Rejects
/// anything that is not entirely a number. Used for CSV cells and for the numbers of JSON events.
package enum DecimalParser {
    /// 10⁰…10¹⁹, for `wide` (a literal, so the array is built at compile time).
    private static let wholePowersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ]

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
        var dropped = false  // a nonzero digit past the 19th: the mantissa is not the number's
        while index < count, bytes[index] &- 48 < 10 {
            if significant < 19 {
                mantissa = mantissa * 10 + UInt64(bytes[index] &- 48)
                if mantissa > 0 { significant += 1 }
            } else {
                exponent += 1
                dropped = dropped || bytes[index] != UInt8(ascii: "0")
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
                } else {
                    dropped = dropped || bytes[index] != UInt8(ascii: "0")
                }
                digits += 1
                index += 1
            }
        }
        guard digits > 0 else {
            // "inf", "infinity", "nan" (any case) are for strtod; other text is not a number, and fails here fast.
            guard index < count, bytes[index] | 0x20 == UInt8(ascii: "i") || bytes[index] | 0x20 == UInt8(ascii: "n")
            else {
                return nil
            }
            return slowPath(bytes)
        }
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
        if !dropped, let value = withoutStrtod(mantissa: mantissa, exponent: exponent, negative: negative) {
            return value
        }
        return slowPath(bytes)
    }

    /// ±mantissa × 10^exponent by `exact` or else `wide`, correctly rounded; nil when neither covers it.
    @inline(__always)
    static func withoutStrtod(mantissa: UInt64, exponent: Int, negative: Bool) -> Double? {
        exact(mantissa: mantissa, exponent: exponent, negative: negative)
            ?? wide(mantissa: mantissa, exponent: exponent, negative: negative)
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

    /// ±mantissa × 10^exponent for any 64-bit mantissa when −19 ≤ exponent ≤ 19, correctly rounded, nil otherwise.
    /// A product is exact in 128 bits (below 2⁶⁴ · 10¹⁹) and rounded once by the conversion. A quotient is taken
    /// (one 128-by-64-bit division) of the mantissa shifted so that it has 62 to 64 bits, and a nonzero remainder
    /// sets its lowest bit, below the rounding position, so the conversion rounds as the exact quotient would;
    /// scaling back by a power of two is exact.
    static func wide(mantissa: UInt64, exponent: Int, negative: Bool) -> Double? {
        guard mantissa != 0, exponent >= -19, exponent <= 19 else { return nil }
        let value: Double
        let power = wholePowersOfTen[abs(exponent)]
        if exponent >= 0 {
            let (high, low) = mantissa.multipliedFullWidth(by: power)
            value = Double(UInt128(high) << 64 | UInt128(low))
        } else {
            // The numerator's top bit at 62 + bits(divisor): below divisor · 2⁶⁴, at least divisor · 2⁶².
            let shift = 62 + (64 - power.leadingZeroBitCount) - (63 - mantissa.leadingZeroBitCount)
            let numerator = UInt128(mantissa) << shift
            let (quotient, remainder) = power.dividingFullWidth(
                (UInt64(numerator >> 64), UInt64(truncatingIfNeeded: numerator)))
            let scale = Double(bitPattern: UInt64(1023 - shift) << 52)  // 2^-shift, shift in 3…126
            value = Double(quotient | (remainder == 0 ? 0 : 1)) * scale
        }
        return negative ? -value : value
    }

    /// `strtod` on a NUL-terminated copy (on the stack when short); accepts only a complete match.
    private static func slowPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { text -> Double? in
            for (index, byte) in bytes.enumerated() { text[index] = CChar(bitPattern: byte) }
            text[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(text.baseAddress!, &end)
            guard let end, end - text.baseAddress! == bytes.count else { return nil }
            return value
        }
    }
}
