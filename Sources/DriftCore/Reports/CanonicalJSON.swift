import Foundation

/// JSON with sorted keys and unescaped slashes: the same value always encodes to the same bytes, which makes
/// replayed outputs byte-identical.
public enum CanonicalJSON {
    public static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Driftwatch's outputs hold finite numbers and string keys only, so encoding cannot fail.
        return Array(try! encoder.encode(value))
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
