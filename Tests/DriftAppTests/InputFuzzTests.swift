import DriftCore
import DriftStats
import Foundation
import Testing

@testable import DriftApp
@testable import DriftCompare
@testable import DriftConfig

/// Mutation fuzzing of every reader of user input: the CSV reader (through `compare`), the event decoders,
/// the JSON Lines replay and the configuration loader. Valid seeds are mutated (bit flips, random bytes,
/// deletions, duplications, truncations, splices of hostile tokens: quotes, delimiters, NUL, BOMs, ±1e308,
/// 1e400, NaN, invalid UTF-8); each result must be read or refused with the reader's own error, never crash
/// (a trap ends the test process). `make test` runs DRIFTWATCH_FUZZ_ITERATIONS (default 150) per target from
/// DRIFTWATCH_FUZZ_SEED (default: fixed); for a longer hunt, e.g.
/// `DRIFTWATCH_FUZZ_ITERATIONS=20000 DRIFTWATCH_FUZZ_SEED=$RANDOM swift test --filter InputFuzzTests`.
@Suite struct InputFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["DRIFTWATCH_FUZZ_ITERATIONS"] ?? "") ?? 150
    static let seed = UInt64(ProcessInfo.processInfo.environment["DRIFTWATCH_FUZZ_SEED"] ?? "") ?? 20_261_203

    struct Mutator {
        var random: SplitMix64

        static let tokens: [[UInt8]] =
            [
                "\"", "\"\"", ",", ";", "\t", "|", "\n", "\r", "\r\n", "1e308", "-1.7976931348623157e308", "1e400",
                "4.9e-324",
                "NaN", "inf", "-Infinity", "null", "None", "#N/A", "True", "1,234", "0x1A", "{", "}", "[", "]", ":",
                "\\u0000",
                "\"features\":", "\"prediction\":", "\"label\":", "\"timestamp\":\"2026-11-01T00:00:00Z\"",
                "999999999999999999999",
            ].map { Array($0.utf8) } + [[0], [0xFF], [0xC3], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xED, 0xA0, 0x80]]

        mutating func index(_ count: Int) -> Int { count == 0 ? 0 : Int(random.next() % UInt64(count)) }

        mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
            var bytes = seed
            for _ in 0..<(1 + index(4)) {
                let at = index(bytes.count + 1)
                switch index(7) {
                case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(1 << index(8))
                case 1 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
                case 2: bytes.insert(contentsOf: Self.tokens[index(Self.tokens.count)], at: at)
                case 3 where at < bytes.count: bytes.removeSubrange(at..<min(bytes.count, at + 1 + index(16)))
                case 4 where at < bytes.count:
                    let end = min(bytes.count, at + 1 + index(64))
                    bytes.insert(contentsOf: Array(bytes[at..<end]), at: index(bytes.count + 1))
                case 5: bytes = Array(bytes.prefix(at))
                default:
                    let token = Self.tokens[index(Self.tokens.count)]
                    if at < bytes.count { bytes.replaceSubrange(at..<min(bytes.count, at + token.count), with: token) }
                }
            }
            return bytes
        }
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func csvFilesAreReadOrRefusedNeverCrash() throws {
        let folder = try Self.folder()
        let reference = folder.appendingPathComponent("reference.csv")
        try Data(CSVGalleryTests.good(rows: 80, seed: 3).utf8).write(to: reference)
        let seedFile = Array((CSVGalleryTests.good(rows: 40, seed: 4) + "\"quoted, \"\"text\"\"\",1,DE\n").utf8)
        var mutator = Mutator(random: SplitMix64(seed: Self.seed))
        var (read, refused) = (0, 0)
        for iteration in 0..<Self.iterations {
            let current = folder.appendingPathComponent("current-\(iteration % 8).csv")
            try Data(mutator.mutate(seedFile)).write(to: current)
            do {
                let report = try DatasetComparison(settings: .init()).report(
                    referencePath: reference.path, currentPath: current.path)
                _ = try JSONEncoder().encode(report)
                read += 1
            } catch is ConfigError {
                refused += 1
            }
        }
        #expect(read > 0 && refused > 0, "read \(read), refused \(refused): the mutations should produce both")
    }

    static let eventSeeds: [[UInt8]] = [
        #"{"model":"fraud","model_version":"7","request_id":"r-1","timestamp":"2026-11-22T10:00:00.123Z","features":{"amount":12.5,"country":"DE","age":null,"vip":true},"prediction":0.83,"latency_ms":12.3}"#,
        #"{"model":"fraud","request_id":"r-1","timestamp":"2026-11-23T08:00:00Z","label":1}"#,
        #"{"model":"fraud","request_id":"r-1","timestamp":"2026-11-22T10:00:00Z","features":{"amount":-1e308,"city":"Zürich"}}"#,
    ].map { Array($0.utf8) }

    @Test func eventsAreDecodedOrRejectedNeverCrash() {
        var mutator = Mutator(random: SplitMix64(seed: Self.seed &+ 1))
        var names = FeatureNameCache()
        var (decoded, rejected) = (0, 0)
        for iteration in 0..<(Self.iterations * 20) {
            let bytes = mutator.mutate(Self.eventSeeds[iteration % Self.eventSeeds.count])
            do {
                _ = try PredictionEvent.decode(json: bytes, names: &names)
                decoded += 1
            } catch {
                #expect(!error.message.isEmpty)
                rejected += 1
            }
            do {
                _ = try FeatureEvent.decode(json: bytes)
                decoded += 1
            } catch {
                rejected += 1
            }
            do {
                _ = try LabelEvent.decode(json: bytes)
                decoded += 1
            } catch {
                rejected += 1
            }
        }
        #expect(decoded > 0 && rejected > 0)
    }

    @Test func replayFilesAreReplayedNeverCrash() throws {
        let folder = try Self.folder()
        var lines: [String] = []
        var random = SplitMix64(seed: 8)
        for index in 0..<240 {
            let time =
                "2026-11-01T00:\(String(format: "%02d", index / 6 % 60)):\(String(format: "%02d", index * 10 % 60))Z"
            let amount = index % 17 == 0 ? "1.7e308" : String(random.unit() * 100)
            lines.append(
                #"{"model":"m","model_version":"1","request_id":"r\#(index)","timestamp":"\#(time)","features":{"amount":\#(amount),"country":"\#(["DE", "FR"][index % 2])"},"prediction":\#(random.unit())}"#
            )
            if index % 3 == 0 {
                lines.append(#"{"model":"m","request_id":"r\#(index)","timestamp":"\#(time)","label":\#(index % 2)}"#)
            }
            if index % 5 == 0 {
                lines.append(
                    #"{"model":"m","request_id":"r\#(index + 1)","timestamp":"\#(time)","features":{"late":1e400}}"#)
            }
        }
        let seedFile = Array((lines.joined(separator: "\n") + "\n").utf8)
        var config = DriftwatchConfig()
        config.monitor.windowSize = 60_000
        config.monitor.bootstrapEvents = 20
        config.monitor.labels.ttl = 30_000
        var mutator = Mutator(random: SplitMix64(seed: Self.seed &+ 2))
        for iteration in 0..<max(Self.iterations / 5, 10) {
            let path = folder.appendingPathComponent("events-\(iteration % 4).jsonl")
            let bytes = mutator.mutate(seedFile)
            try Data(bytes).write(to: path)
            var replay = FileReplay(config: config, references: [])
            var outputs = 0
            let summary = try replay.run(path: path.path) { _, json in
                #expect((try? JSONSerialization.jsonObject(with: Data(json))) != nil, "an output is not JSON")
                outputs += 1
            }
            let expectedLines =
                bytes.isEmpty
                ? 0
                : bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count - (bytes.last == 0x0A ? 1 : 0)
            #expect(summary.lines == expectedLines)
        }
    }

    @Test func configFilesAreLoadedOrRefusedNeverCrash() throws {
        let path = ReferenceLibrariesPath.repository.appendingPathComponent("config/driftwatch.yaml").path
        let seedFile = Array(try String(contentsOfFile: path, encoding: .utf8).utf8)
        var mutator = Mutator(random: SplitMix64(seed: Self.seed &+ 3))
        var (loaded, refused) = (0, 0)
        for _ in 0..<Self.iterations {
            let text = String(decoding: mutator.mutate(seedFile), as: UTF8.self)
            do {
                _ = try ConfigLoader.parse(yaml: text, file: "fuzz.yaml")
                loaded += 1
            } catch is ConfigError {
                refused += 1
            }
        }
        #expect(loaded > 0 && refused > 0)
    }
}

/// The repository, for seed files.
enum ReferenceLibrariesPath {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardizedFileURL
}
