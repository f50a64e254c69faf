import DriftStats
import Foundation
import Testing

@testable import DriftCore

/// A seeded generator of hostile inputs (a fuzzer without libFuzzer): valid events mutated by byte flips,
/// truncation, splices of JSON fragments, extreme numbers and invalid UTF-8, fed to every decoder and, when
/// they decode, to a monitor. Nothing may crash, and every failure must be a typed decoding error (the
/// pipeline dead-letters exactly those). Bounded by a time budget, so CI pays a few seconds.
@Suite struct HostileInputTests {
    static let seeds: [String] = [
        #"{"model":"fraud","model_version":"7","request_id":"r-1","timestamp":"2026-11-22T10:00:00.123Z","features":{"amount":12.5,"country":"DE","age":null,"vip":true},"prediction":0.83,"latency_ms":12.3}"#,
        #"{"model":"fraud","model_version":7,"request_id":"r-2","timestamp":1795000000000,"prediction":"yes"}"#,
        #"{"model":"fraud","request_id":"r-1","timestamp":"2026-11-23T08:00:00Z","label":1}"#,
        #"{"model":"fraud","request_id":"r-1","timestamp":"2026-11-22T10:00:00Z","features":{"amount":1}}"#,
        #"{"model":"fraud","model_version":"8","deployed_at":"2026-11-23T09:00:00Z","reference":{"features":{"a":{"type":"numeric","sample":[1,2,3],"psi_edges":[1.5,2.5],"psi_counts":[1,1,1]},"c":{"type":"categorical","counts":{"x":2}}}}}"#,
    ]

    static let fragments: [String] = [
        "1e999", "-1e999", "NaN", "-0", "9223372036854775808", "1e-400", "null", "true", "[]", "{}", "\"\"",
        "\"\\ud800\"", "\"\\u0000\"", String(repeating: "[", count: 600), "\"2026-13-45T99:99:99Z\"", "-9e15", "1e15",
        "\"\u{202E}\"", "{\"a\":", ",,", "\"" + String(repeating: "z", count: 5_000) + "\"",
    ]

    static func mutate(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0...Int(random.next() % 3) {
            switch random.next() % 6 {
            case 0 where !bytes.isEmpty:
                bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(1 << (random.next() % 8))
            case 1 where !bytes.isEmpty:
                bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
            case 2, 3:
                let fragment = Array(fragments[Int(random.next() % UInt64(fragments.count))].utf8)
                // Replace a value: after a colon, up to the next comma or brace.
                if let colon = bytes.indices.filter({ bytes[$0] == UInt8(ascii: ":") }).randomElement(using: &random) {
                    let end =
                        bytes[(colon + 1)...].firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") }
                        ?? bytes.endIndex
                    bytes.replaceSubrange((colon + 1)..<end, with: fragment)
                }
            case 4:
                bytes.insert(
                    contentsOf: [0xFF, 0xC0, 0x80, 0xED, 0xA0, 0x80].prefix(Int(random.next() % 6) + 1),
                    at: bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count)))
            default:
                bytes += bytes.prefix(Int(random.next() % 40))
            }
        }
        return bytes
    }

    /// Values where JSON's one number type meets the contract's rules: both decoders give the same event.
    @Test func theFastPathAgreesWithFoundationOnEdgeValues() throws {
        // One name cache for all inputs, as a batch shares one: hits, misses and relearning all occur.
        var names = FeatureNameCache()
        let values = [
            "0", "1", "-1", "23", "23.0", "23.5", "1e2", "1.5e2", "-0", "-0.0", "0.25", "1E-3", "\"7\"", "\"yes\"",
            "true", "null",
        ]
        for value in values {
            for field in ["prediction", "model_version", "latency_ms", "timestamp"] {
                var fields = [
                    "model": #""m""#, "model_version": #""1""#, "request_id": #""r""#, "timestamp": "1795000000000",
                    "prediction": "0.5",
                    "features": #"{"a": 1, "b": 0, "c": true, "d": null, "e": "x", "f": 1e3, "g": -0.0}"#,
                ]
                fields[field] = value
                let json = Array(
                    ("{ "
                        + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\" : \($0.value)" }
                        .joined(separator: ",\n ") + " }").utf8)
                let foundation = try? PredictionEvent.decodeWithFoundation(json: json)
                if let fast = PredictionEventScanner.scan(json, names: &names) {
                    #expect(fast == foundation, "\(field): \(value)")
                }
                #expect((try? PredictionEvent.decode(json: json)) == foundation, "\(field): \(value)")
            }
        }
        let plain = Array(
            #"{"model":"m","model_version":"1","request_id":"r","timestamp":"2026-11-22T10:00:00.123Z","features":{"a":1.5},"prediction":0.5}"#
                .utf8)
        #expect(PredictionEventScanner.scan(plain, names: &names) != nil)
    }

    /// The scanner reads a number's value while it scans the token (Clinger's fast path within ±22 of a
    /// short mantissa, `DecimalParser` beyond): random numbers of every shape JSON allows, around and past
    /// both limits and doubles written in full, must come out bit for bit as Foundation's decoder reads them,
    /// and none may fall back to Foundation (a full-precision double once sent the whole event there, ~20×
    /// slower).
    @Test func theFastPathReadsNumbersBitForBitAsFoundation() throws {
        var random = SplitMix64(seed: 22)
        var names = FeatureNameCache()
        var scanned = 0
        for _ in 0..<6_000 {
            var tokens: [String] = []
            for _ in 0..<4 {
                if random.next() % 4 == 0 {
                    // A double written in full (shortest round trip, up to 17 digits), as Python's json.dumps
                    // and Swift's description write computed features.
                    let magnitude = random.unit() * [1e-7, 1e-3, 1, 1e3, 1e9, 1e17][Int(random.next() % 6)]
                    tokens.append((random.next() % 2 == 0 ? -magnitude : magnitude).description)
                    continue
                }
                var token = random.next() % 4 == 0 ? "-" : ""
                let digits = Int(random.next() % 22) + 1
                var mantissa = String(Int(random.next() % 9) + 1)
                for _ in 1..<digits { mantissa += String(random.next() % 10) }
                if random.next() % 8 == 0 { mantissa = "0" }
                switch random.next() % 3 {
                case 0: token += mantissa
                case 1:
                    let point = Int(random.next() % UInt64(mantissa.count))
                    token += point == 0 ? "0." + mantissa : mantissa.prefix(point) + "." + mantissa.dropFirst(point)
                default:
                    token += mantissa.prefix(1) + (mantissa.count > 1 ? "." + mantissa.dropFirst() : "")
                    let exponent = Int(random.next() % 61) - 30
                    let sign = exponent < 0 ? "-" : random.next() % 2 == 0 ? "+" : ""
                    token += (random.next() % 2 == 0 ? "e" : "E") + sign + String(abs(exponent))
                }
                tokens.append(token)
            }
            let features = tokens.enumerated().map { "\"f\($0.offset)\":\($0.element)" }.joined(separator: ",")
            let json = Array(
                #"{"model":"m","model_version":"1","request_id":"r","timestamp":1795000000000,"features":{\#(features)},"prediction":"a"}"#
                    .utf8)
            let fast = PredictionEventScanner.scan(json, names: &names)
            guard let foundation = try? PredictionEvent.decodeWithFoundation(json: json) else {
                // JSONDecoder rejects a bare zero with a positive exponent ("0e5"), which RFC 8259 and
                // JSONSerialization accept; the scanner reads it as 0. No other number may differ.
                #expect(tokens.contains { $0.hasPrefix("0e") || $0.hasPrefix("0E") }, "\(tokens)")
                continue
            }
            // Every number takes the fast path: short tokens by Clinger's step, long ones by DecimalParser.
            guard let fast else {
                Issue.record("the scanner declined \(tokens)")
                continue
            }
            scanned += 1
            for (ours, theirs) in zip(fast.features.values, foundation.features.values) {
                guard case .number(let a) = ours, case .number(let b) = theirs else {
                    Issue.record("\(ours) vs \(theirs) in \(tokens)")
                    continue
                }
                #expect(a.bitPattern == b.bitPattern, "\(a) vs \(b) in \(tokens)")
            }
        }
        #expect(scanned > 5_000)
    }

    @Test func decodersAndTheMonitorSurviveHostileInput() {
        var random = SplitMix64(seed: 2026)
        var settings = MonitorSettings()
        settings.bootstrapEvents = 10
        settings.windowSize = 1_000
        settings.labels.ttl = 5_000
        var monitor = DriftMonitor(settings: settings)
        var counts = (inputs: 0, decoded: 0, rejected: 0, scanned: 0)
        var names = FeatureNameCache()
        let budget = ContinuousClock.now + .seconds(4)
        var offset: Int64 = 0
        while ContinuousClock.now < budget && counts.inputs < 200_000 {
            let seed = Array(Self.seeds[Int(random.next() % UInt64(Self.seeds.count))].utf8)
            let input = Self.mutate(seed, &random)
            counts.inputs += 1
            offset += 1
            let position = EventPosition(.predictions, partition: 0, offset: offset)
            // The fast path agrees with Foundation's decoder on whatever it accepts.
            if let fast = PredictionEventScanner.scan(input, names: &names) {
                counts.scanned += 1
                #expect(
                    (try? PredictionEvent.decodeWithFoundation(json: input)) == fast,
                    "\(String(decoding: input, as: UTF8.self))")
            }
            do {
                let event = try PredictionEvent.decode(json: input)
                _ = monitor.ingest(event, at: position, receivedAt: 0)
                counts.decoded += 1
            } catch {
                monitor.skip(at: position)
                counts.rejected += 1
                #expect(!error.message.isEmpty)
            }
            if let event = try? FeatureEvent.decode(json: input) {
                _ = monitor.ingest(event, at: EventPosition(.features, partition: 0, offset: offset), receivedAt: 0)
            }
            if let event = try? LabelEvent.decode(json: input) {
                _ = monitor.ingest(event, at: EventPosition(.labels, partition: 0, offset: offset), receivedAt: 0)
            }
            if let deployment = try? DeploymentEvent.decode(json: input), let reference = deployment.reference {
                monitor.install(reference, model: deployment.model)
            }
            _ = monitor.tick(now: offset)
        }
        #expect(counts.inputs > 1_000)
        #expect(counts.decoded > 0 && counts.rejected > 0 && counts.scanned > 0)
        print("hostile inputs: \(counts.inputs) (\(counts.decoded) decoded, \(counts.rejected) rejected)")
    }
}
