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
            return Array(#"{"model":"\#(model)","model_version":"1","timestamp":"2026-11-22T10:00:00Z","prediction":0.5}"#.utf8)
        case "wrong-type":
            return Array(#"{"model":"\#(model)","model_version":"1","request_id":"h\#(index)","timestamp":"2026-11-22T10:00:00Z","prediction":0.5,"features":{"amount":[1,2]}}"#.utf8)
        case "non-finite":
            return Array(#"{"model":"\#(model)","model_version":"1","request_id":"h\#(index)","timestamp":"2026-11-22T10:00:00Z","prediction":1e999}"#.utf8)
        case "not-an-object":
            return Array("[1,2,3]".utf8)
        case "deep-nesting":
            return Array((String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)).utf8)
        default:
            let padding = String(repeating: "x", count: maximumBytes + 1)
            return Array(#"{"model":"\#(model)","model_version":"1","request_id":"h\#(index)","timestamp":"2026-11-22T10:00:00Z","prediction":0.5,"pad":"\#(padding)"}"#.utf8)
        }
    }
}
