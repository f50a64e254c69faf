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
}
