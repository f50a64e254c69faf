import DriftCore
import Foundation

/// Messages a monitor must survive and dead-letter, one of each kind in turn: broken JSON, invalid UTF-8,
/// a missing field, a wrong type, a non-finite number, JSON that is not an object, deep nesting, and a message
/// over the size limit. Deterministic: the n-th message is always the same.
public enum HostileMessages {
    public static let kinds = [
        "invalid-json", "invalid-utf8", "missing-field", "wrong-type", "non-finite", "not-an-object", "deep-nesting",
        "too-large",
    ]

    /// The n-th hostile message for `model` (its key, so it lands on the model's partition).
    public static func message(_ index: Int, model: String, maximumBytes: Int) -> [UInt8] {
        switch kinds[index % kinds.count] {
        case "invalid-json":
            return Array(#"{"model":"\#(model)","model_version":"1","request_id":"h\#(index)","timestamp":"#.utf8)
        case "invalid-utf8":
            return Array(#"{"model":""#.utf8) + [0xC3, 0x28, 0xFF] + Array(#"","prediction":1}"#.utf8)
        case "missing-field":
            return Array(
                #"{"model":"\#(model)","model_version":"1","timestamp":"2026-11-22T10:00:00Z","prediction":0.5}"#.utf8)
        case "wrong-type":
            return Array(
                #"{"model":"\#(model)","model_version":"1","request_id":"h\#(index)","timestamp":"2026-11-22T10:00:00Z","prediction":0.5,"features":{"amount":[1,2]}}"#
                    .utf8)
        case "non-finite":
            return Array(
                #"{"model":"\#(model)","model_version":"1","request_id":"h\#(index)","timestamp":"2026-11-22T10:00:00Z","prediction":1e999}"#
                    .utf8)
        case "not-an-object":
            return Array("[1,2,3]".utf8)
        case "deep-nesting":
            return Array((String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)).utf8)
        default:
            let padding = String(repeating: "x", count: maximumBytes + 1)
            return Array(
                #"{"model":"\#(model)","model_version":"1","request_id":"h\#(index)","timestamp":"2026-11-22T10:00:00Z","prediction":0.5,"pad":"\#(padding)"}"#
                    .utf8)
        }
    }
}

/// Messages larger than an output topic takes, in turn: valid predictions of 0.9 and 2 MB (a padded request
/// id) and invalid ones of 0.9 MB, 999 899 bytes (under a 1 MB input limit, its dead letter with headers is
/// not) and 10 MB. With the default limits (input.max_message_bytes and message.max.bytes 1 000 000) the
/// 0.9 MB valid one is an event, the others are dead-lettered, the three largest truncated.
public enum LargeMessages {
    public static let sizes = [900_000, 900_000, 999_899, 2_000_000, 10_000_000]

    /// The n-th large message for `event` (whose model, version and time a valid one keeps).
    public static func message(_ index: Int, like event: PredictionEvent) -> [UInt8] {
        let size = sizes[index % sizes.count]
        switch index % sizes.count {
        case 0, 3:
            var padded = event
            padded.requestID = ""
            let json = String(decoding: padded.json(), as: UTF8.self)
            let pad = String(repeating: "r", count: max(0, size - json.utf8.count))
            return Array(json.replacingOccurrences(of: #""request_id":"""#, with: #""request_id":"\#(pad)""#).utf8)
        default:
            let head = Array(#"{"model":"\#(event.model)","truncated-json":""#.utf8)
            return head + Array(repeating: UInt8(ascii: "x"), count: size - head.count)
        }
    }
}
