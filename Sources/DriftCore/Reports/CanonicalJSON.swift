import Foundation

/// JSON with sorted keys and unescaped slashes: the same value always encodes to the same bytes, which makes
/// replayed outputs byte-identical.
public enum CanonicalJSON {
    public static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let bytes = try? encoder.encode(value) { return Array(bytes) }
        // A number that is not finite (a statistic of extreme input) has no JSON form and must not stop the
        // monitor: it is written as null. The marker string is unguessable, so no input string can look like it.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonFiniteMarker, negativeInfinity: nonFiniteMarker, nan: nonFiniteMarker)
        // String keys and Codable values only: with non-finite numbers handled nothing else can fail.
        let bytes = Array(try! encoder.encode(value))
        return replacing(Array("\"\(nonFiniteMarker)\"".utf8), with: Array("null".utf8), in: bytes)
    }

    private static let nonFiniteMarker =
        "non-finite-\(UInt64.random(in: 0...UInt64.max))-\(UInt64.random(in: 0...UInt64.max))"

    private static func replacing(_ needle: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == needle[0], index + needle.count <= bytes.count,
                bytes[index..<index + needle.count].elementsEqual(needle)
            {
                result += replacement
                index += needle.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    /// A JSON string literal for `text` (quotes, backslashes and control characters escaped): for JSON that is
    /// spliced together rather than encoded (log lines, API responses embedding published bytes).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u00" + String(scalar.value, radix: 16).leftPadded(to: 2)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
