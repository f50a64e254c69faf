import Foundation

/// Decoding shared by the input contracts: UTF-8 check, nesting check, Foundation's decoder, errors that
/// name the field.
enum EventJSON {
    /// The contracts nest three levels at most (a reference profile's counts); anything much deeper is hostile.
    static let maximumDepth = 32

    static func decode<Wire: Decodable>(_ type: Wire.Type, from bytes: [UInt8]) throws(EventDecodingError) -> Wire {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw EventDecodingError(.invalidUTF8, "the message is not valid UTF-8")
        }
        // Foundation's scanner traps (instead of throwing) when it reports nesting beyond its own limit of 512
        // (swift-foundation, Swift 6.3 on Linux): such input never reaches it.
        guard depth(of: bytes) <= maximumDepth else {
            throw EventDecodingError(.invalidJSON, "JSON nested deeper than \(maximumDepth) levels")
        }
        do {
            return try JSONDecoder().decode(Wire.self, from: Data(bytes))
        } catch let error as EventDecodingError {
            throw error
        } catch let error as DecodingError {
            throw EventDecodingError(decoding: error)
        } catch {
            throw EventDecodingError(.invalidJSON, "\(error)")
        }
    }
}

extension EventJSON {
    /// The deepest nesting of arrays and objects, outside strings.
    static func depth(of bytes: [UInt8]) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }
}

extension KeyedDecodingContainer {
    /// A non-empty model id.
    func decodeModel(forKey key: Key) throws -> String {
        let model = try decode(String.self, forKey: key)
        guard !model.isEmpty else { throw EventDecodingError(.invalidValue, "field '\(key.stringValue)' is empty") }
        return model
    }

    /// A model version given as a string or an integer.
    func decodeModelVersion(forKey key: Key) throws -> String {
        if let integer = try? decode(Int64.self, forKey: key) { return String(integer) }
        return try decode(String.self, forKey: key)
    }

    /// An RFC 3339 date-time string or epoch milliseconds.
    func decodeEventTime(forKey key: Key) throws -> EventTime {
        if let text = try? decode(String.self, forKey: key) {
            guard let parsed = EventTime(rfc3339: text) else {
                throw EventDecodingError(
                    .invalidValue, "field '\(key.stringValue)': '\(text)' is not an RFC 3339 date-time")
            }
            return parsed
        }
        let milliseconds = try decode(Double.self, forKey: key)
        guard milliseconds.isFinite, abs(milliseconds) < 1e15 else {
            throw EventDecodingError(
                .invalidValue, "field '\(key.stringValue)': \(milliseconds) is not epoch milliseconds")
        }
        return EventTime(millisecondsSinceEpoch: Int64(milliseconds))
    }
}
