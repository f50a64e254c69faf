import DriftStats
import Testing

@testable import DriftCore

/// Decoding with one `FeatureNameCache` across events (the pipeline decodes a batch that way) must give what
/// decoding each event alone gives, whatever the keys do between events, and windows must place the features
/// of events with different key orders, missing and unknown features exactly as they place sorted ones.
@Suite struct FeatureNameCacheTests {
    static func json(_ keys: [(String, String)], time: Int64 = 1_795_000_000_000) -> [UInt8] {
        let features = keys.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
        return Array(
            #"{"model":"m","model_version":"1","request_id":"r","timestamp":\#(time),"prediction":0.5,"features":{\#(features)}}"#
                .utf8)
    }

    static let sequences: [[(String, String)]] = [
        [("a", "1"), ("b", "2.5"), ("c", "\"x\"")],
        [("a", "3"), ("b", "4"), ("c", "\"y\"")],  // the same names: shared
        [("b", "4"), ("a", "3"), ("c", "\"y\"")],  // reordered
        [("b", "1")],  // a prefix of the known names
        [("b", "1"), ("a", "2")],
        [("b", "1"), ("a", "2"), ("d", "null")],  // longer than the known names
        [("b", "1"), ("b", "2")],  // a repeated key where the known names differ
        [("b", "1"), ("a", "2"), ("d", "null"), ("a", "5")],  // a repeated key after the known names
        [],
        [("", "1"), ("a", "true")],  // an empty name
        [("", "1"), ("a", "false")],
    ]

    @Test func decodingWithOneCacheEqualsDecodingAlone() {
        var names = FeatureNameCache()
        for keys in Self.sequences + Self.sequences.reversed() {
            let bytes = Self.json(keys)
            let alone = try? PredictionEvent.decode(json: bytes)
            let cached = try? PredictionEvent.decode(json: bytes, names: &names)
            #expect(cached == alone, "\(keys)")
            #expect(cached?.features.names == alone?.features.names, "order kept: \(keys)")
            #expect((try? PredictionEvent.decodeWithFoundation(json: bytes)) == alone, "\(keys)")
        }
    }

    @Test func windowsPlaceFeaturesByNameWhateverTheOrder() throws {
        var settings = MonitorSettings()
        settings.bootstrapEvents = 20
        settings.windowSize = 1_000
        settings.allowedLateness = 0
        var ordered = DriftMonitor(settings: settings)
        var sorted = DriftMonitor(settings: settings)
        var random = SplitMix64(seed: 11)
        var names = FeatureNameCache()
        var outputs: ([MonitorOutput], [MonitorOutput]) = ([], [])
        for offset in 0..<400 {
            var keys: [(String, String)] = [
                ("x", "\(offset % 7)"), ("y", "\(Double(offset % 13) / 4)"), ("k", "\"c\(offset % 3)\""),
            ]
            if random.next() % 3 == 0 { keys.reverse() }
            if random.next() % 5 == 0 { keys.removeFirst() }  // missing
            if random.next() % 7 == 0 { keys.append(("extra", "1")) }  // unknown to the reference
            if random.next() % 11 == 0 { keys[0].1 = "\"wrong\"" }  // wrong type for x or y
            let time = 1_795_000_000_000 + Int64(offset) * 10
            let event = try PredictionEvent.decode(json: Self.json(keys, time: time), names: &names)
            var plain = event
            plain.features = Features(event.features.dictionary)
            let position = EventPosition(.predictions, partition: 0, offset: Int64(offset))
            outputs.0 += ordered.ingest(event, at: position, receivedAt: 0)
            outputs.1 += sorted.ingest(plain, at: position, receivedAt: 0)
        }
        func reports(_ outputs: [MonitorOutput]) -> [[UInt8]] {
            outputs.compactMap { if case .report(let report) = $0 { report.json() } else { nil } }
        }
        #expect(reports(outputs.0).count >= 2)
        #expect(reports(outputs.0) == reports(outputs.1))
        #expect(outputs.0.count == outputs.1.count)
    }
}
