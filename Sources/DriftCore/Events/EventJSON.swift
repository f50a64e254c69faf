import Foundation

/// Decoding shared by the input contracts: UTF-8 check, Foundation's decoder, errors that name the field.
enum EventJSON {
    static func decode<Wire: Decodable>(_ type: Wire.Type, from bytes: [UInt8]) throws(EventDecodingError) -> Wire {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw EventDecodingError(.invalidUTF8, "the message is not valid UTF-8")
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
            throw EventDecodingError(.invalidValue, "field '\(key.stringValue)': \(milliseconds) is not epoch milliseconds")
        }
        return EventTime(millisecondsSinceEpoch: Int64(milliseconds))
    }
}
