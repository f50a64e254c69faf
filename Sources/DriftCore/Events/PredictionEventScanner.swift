/// A fast path for decoding prediction events: a single pass over the bytes for the common shape of the
/// contract (a flat object with the known keys, ASCII strings without escapes, features that are numbers,
/// strings, booleans or null). Anything else — escapes, non-ASCII, unknown or repeated keys, a missing or
/// invalid field — returns nil, and `PredictionEvent.decode` falls back to Foundation's decoder, which
/// decides and words the error. For accepted input the result equals Foundation's: numbers are correctly
/// rounded (`DecimalParser`: Clinger's exact fast path, else strtod), and the field rules are those of
/// `PredictionEvent.Wire` (tests compare both paths on mutated inputs and random numbers). One known
/// difference: JSONDecoder rejects a bare zero with a positive exponent (`0e5`), valid JSON that
/// JSONSerialization reads as 0; so does this scanner.
struct PredictionEventScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private let known: FeatureNameCache
    private let knownBytes: UnsafeBufferPointer<UInt8>
    /// The feature names of the event when they differ from `known`'s (then `known` learns them).
    private var learned: [String]?

    static func scan(_ input: [UInt8], names: inout FeatureNameCache) -> PredictionEvent? {
        let known = names
        let (event, learned) = input.withUnsafeBufferPointer { buffer in
            known.bytes.withUnsafeBufferPointer { knownBytes in
                var scanner = PredictionEventScanner(bytes: buffer, known: known, knownBytes: knownBytes)
                return (scanner.event(), scanner.learned)
            }
        }
        if event != nil, let learned { names.remember(learned) }
        return event
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, known: FeatureNameCache, knownBytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.known = known
        self.knownBytes = knownBytes
    }

    private enum Value {
        case string(Range<Int>)
        case number(Number)
        case bool(Bool)
        case null
    }

    /// A number token; `integral`: only digits (and a leading minus); `exact`: its value when the token
    /// itself decides it (`numberToken`).
    private struct Number {
        var range: Range<Int>
        var integral: Bool
        var exact: Double?
    }

    private mutating func event() -> PredictionEvent? {
        var model: String?
        var version: String?
        var requestID: String?
        var time: EventTime?
        var features: Features?
        var featuresPresent = false
        var prediction: PredictionEvent.Prediction?
        var latency: Double?
        var latencyPresent = false
        guard consume(UInt8(ascii: "{")) else { return nil }
        var first = true
        while true {
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { break }
            if !first { guard consume(UInt8(ascii: ",")) else { return nil } }
            first = false
            guard let keyRange = stringToken(), consumeColon() else { return nil }
            let key = Key(bytes, keyRange)
            switch key {
            case .model:
                guard model == nil, case .string(let range)? = value(), !range.isEmpty else { return nil }
                model = text(range)
            case .modelVersion:
                guard version == nil else { return nil }
                switch value() {
                case .string(let range)?: version = text(range)
                case .number(let token)? where token.integral:
                    guard let integer = Int64(text(token.range)) else { return nil }
                    version = String(integer)
                default: return nil
                }
            case .requestID:
                guard requestID == nil, case .string(let range)? = value() else { return nil }
                requestID = text(range)
            case .timestamp:
                guard time == nil else { return nil }
                switch value() {
                case .string(let range)?:
                    guard let parsed = EventTime(rfc3339: UnsafeBufferPointer(rebasing: bytes[range])) else {
                        return nil
                    }
                    time = parsed
                case .number(let token)?:
                    guard let milliseconds = number(token), abs(milliseconds) < 1e15 else { return nil }
                    time = EventTime(millisecondsSinceEpoch: Int64(milliseconds))
                default: return nil
                }
            case .features:
                guard !featuresPresent else { return nil }
                featuresPresent = true
                skipWhitespace()
                if peek(UInt8(ascii: "n")) {
                    guard case .null? = value() else { return nil }
                } else {
                    guard let parsed = featureObject() else { return nil }
                    features = parsed
                }
            case .prediction:
                guard prediction == nil else { return nil }
                switch value() {
                case .number(let token)?:
                    if token.integral {
                        let range = token.range
                        guard
                            bytes[range.lowerBound] != UInt8(ascii: "-")
                                || bytes[range.lowerBound + 1] != UInt8(ascii: "0"),
                            let integer = Int64(text(range))
                        else { return nil }
                        prediction = .label(String(integer))
                    } else {
                        // A whole number written with a fraction or exponent (23.0, 1e2) may decode as an
                        // integer in Foundation: its rules decide those.
                        guard let score = number(token), score != score.rounded(.towardZero) else {
                            return nil
                        }
                        prediction = .score(score)
                    }
                case .string(let range)?: prediction = .label(text(range))
                default: return nil
                }
            case .latency:
                guard !latencyPresent else { return nil }
                latencyPresent = true
                switch value() {
                case .null?: break
                case .number(let token)?:
                    guard let value = number(token), value >= 0 else { return nil }
                    latency = value
                default: return nil
                }
            case .unknown:
                return nil
            }
        }
        skipWhitespace()
        guard index == bytes.count, let model, let version, let requestID, let time, let prediction else { return nil }
        var event = PredictionEvent(
            model: model, modelVersion: version, requestID: requestID, time: time, features: features ?? Features(),
            prediction: prediction, latencyMilliseconds: latency)
        event.awaitsFeatures = features == nil
        return event
    }

    /// The features object. Names are compared with the previous event's (`known`) as long as they match, so
    /// the usual event makes no name strings and needs no duplicate check.
    private mutating func featureObject() -> Features? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var values: [FeatureValue] = []
        values.reserveCapacity(known.names.count)
        var names: [String]? = nil  // made only once a name differs from the known ones
        var first = true
        while true {
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { break }
            if !first { guard consume(UInt8(ascii: ",")) else { return nil } }
            first = false
            let position = values.count
            // nil when the names differ from the known ones here (or did before): then `stringToken` reads it.
            let knownRange = names == nil ? knownName(position) : nil
            guard let keyRange = knownRange ?? stringToken(), consumeColon() else { return nil }
            let feature: FeatureValue
            switch value() {
            case .number(let token)?:
                guard let value = number(token) else { return nil }
                feature = .number(value)
            case .string(let range)?: feature = .category(text(range))
            case .bool(let flag)?: feature = .category(flag ? "true" : "false")
            case .null?: feature = .missing
            case nil: return nil
            }
            values.append(feature)
            if names == nil && knownRange == nil { names = Array(known.names.prefix(position)) }
            names?.append(text(keyRange))
        }
        guard let names else {
            guard values.count == known.names.count else {
                learned = Array(known.names.prefix(values.count))  // a prefix of unique names
                return Features(uniqueNames: learned!, values: values)
            }
            return Features(uniqueNames: known.names, values: values)
        }
        guard Set(names).count == names.count else { return nil }  // Foundation decides repeated keys
        learned = names
        return Features(uniqueNames: names, values: values)
    }

    /// The known event's name number `position` as the string token at `index` (after blanks), read in one
    /// pass: its contents' range, or nil (nothing consumed but blanks) when the token is another string or
    /// none. The known names passed `stringToken` before, so a match is the token `stringToken` would read,
    /// and a string token that differs in length or in a byte is not the known name.
    private mutating func knownName(_ position: Int) -> Range<Int>? {
        guard position < known.ends.count else { return nil }
        skipWhitespace()
        let start = position == 0 ? 0 : known.ends[position - 1]
        let count = known.ends[position] - start
        let contents = index + 1
        guard contents + count < bytes.count, bytes[index] == UInt8(ascii: "\""),
            bytes[contents + count] == UInt8(ascii: "\"")
        else { return nil }
        for offset in 0..<count where knownBytes[start + offset] != bytes[contents + offset] { return nil }
        index = contents + count + 1
        return contents..<contents + count
    }

    // MARK: - Tokens

    @inline(__always)
    private mutating func value() -> Value? {
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""): return stringToken().map(Value.string)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        default: return numberToken()
        }
    }

    /// A string of printable ASCII without escapes; the range of its contents.
    @inline(__always)
    private mutating func stringToken() -> Range<Int>? {
        skipWhitespace()
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return start..<index
            }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, read in the same pass as its value.
    /// With at most 19 digits the mantissa is exact in 64 bits, so a decimal exponent within reach of
    /// `DecimalParser.withoutStrtod` (Clinger's fast path, or the 128-bit one for a double written in full, as
    /// Python's `json.dumps` writes them) decides the value here; other tokens leave `exact` nil for
    /// `DecimalParser.parse`.
    @inline(__always)
    private mutating func numberToken() -> Value? {
        let start = index
        var integral = true
        let negative = consume(UInt8(ascii: "-"))
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        if consume(UInt8(ascii: "0")) {
            // A leading zero stands alone.
        } else {
            digits = accumulate(&mantissa)
            guard digits > 0 else { return nil }
        }
        if consume(UInt8(ascii: ".")) {
            integral = false
            let fraction = accumulate(&mantissa)
            guard fraction > 0 else { return nil }
            digits += fraction
            exponent = -fraction
        }
        var exponentDigits = 0
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            integral = false
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written: UInt64 = 0
            exponentDigits = accumulate(&written)
            guard exponentDigits > 0 else { return nil }
            // Used only with at most 4 exponent digits: no overflow.
            if exponentDigits <= 4 { exponent += exponentNegative ? -Int(written) : Int(written) }
        }
        let exact =
            digits <= 19 && exponentDigits <= 4
            ? DecimalParser.withoutStrtod(mantissa: mantissa, exponent: exponent, negative: negative) : nil
        return .number(Number(range: start..<index, integral: integral, exact: exact))
    }

    /// A number token's value when it is finite and normal (or an exact zero); overflow, underflow and
    /// subnormals are left to Foundation's rules.
    private func number(_ token: Number) -> Double? {
        if let exact = token.exact { return exact }  // ≤ 19 digits within 10^±22: neither overflow nor underflow
        let range = token.range
        guard let value = DecimalParser.parse(UnsafeBufferPointer(rebasing: bytes[range])), value.isFinite else {
            return nil
        }
        if value == 0 {
            let mantissa = range.prefix { bytes[$0] | 0x20 != UInt8(ascii: "e") }
            guard mantissa.allSatisfy({ bytes[$0] < UInt8(ascii: "1") || bytes[$0] > UInt8(ascii: "9") }) else {
                return nil
            }
        } else if abs(value) < .leastNormalMagnitude {
            return nil
        }
        return value
    }

    /// Reads a run of digits into `value` (wrapping past 19 digits: callers check the count); their count.
    /// Eight digits at a time while eight bytes remain (SWAR, as fast_float's `parse_eight_digits_unrolled`:
    /// a full-precision double has 15–17), then one at a time.
    private mutating func accumulate(_ value: inout UInt64) -> Int {
        let start = index
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
            guard Self.isEightDigits(word) else { break }
            value = value &* 100_000_000 &+ Self.eightDigits(word)
            index += 8
        }
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value &* 10 &+ UInt64(digit)
            index += 1
        }
        return index - start
    }

    /// Whether the eight bytes of `word` (first byte lowest) are all ASCII digits.
    @inline(__always)
    private static func isEightDigits(_ word: UInt64) -> Bool {
        (word & 0xF0F0_F0F0_F0F0_F0F0) | (((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)
            == 0x3333_3333_3333_3333
    }

    /// The number the eight ASCII digits of `word` write (first byte most significant): pairs, then quads,
    /// then the two halves, each combined with one multiplication.
    @inline(__always)
    private static func eightDigits(_ word: UInt64) -> UInt64 {
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        var value = word &- 0x3030_3030_3030_3030
        value = value &* 10 &+ (value >> 8)
        value = ((value & mask) &* (100 &+ (1_000_000 << 32)) &+ ((value >> 16) & mask) &* (1 &+ (10_000 << 32))) >> 32
        return value & 0xFFFF_FFFF
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    private mutating func consumeColon() -> Bool {
        skipWhitespace()
        return consume(UInt8(ascii: ":"))
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The contract's top-level keys.
    private enum Key {
        case model, modelVersion, requestID, timestamp, features, prediction, latency, unknown

        init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
            func equals(_ name: StaticString) -> Bool {
                guard range.count == name.utf8CodeUnitCount else { return false }
                for offset in 0..<range.count where bytes[range.lowerBound + offset] != name.utf8Start[offset] {
                    return false
                }
                return true
            }
            self =
                if equals("model") { .model } else if equals("model_version") {
                    .modelVersion
                } else if equals("request_id") { .requestID } else if equals("timestamp") {
                    .timestamp
                } else if equals("features") { .features } else if equals("prediction") {
                    .prediction
                } else if equals("latency_ms") { .latency } else { .unknown }
        }
    }
}
