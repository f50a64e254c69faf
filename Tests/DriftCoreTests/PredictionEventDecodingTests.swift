import DriftCore
import Foundation
import Testing

@Suite struct PredictionEventDecodingTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../topics/samples").standardizedFileURL

    func decode(_ json: String) throws(EventDecodingError) -> PredictionEvent {
        try PredictionEvent.decode(json: Array(json.utf8))
    }

    func failure(_ json: String) -> EventDecodingError? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesTheContractSample() throws {
        let bytes = try Array(Data(contentsOf: Self.samples.appendingPathComponent("prediction.json")))
        let event = try PredictionEvent.decode(json: bytes)
        #expect(event.model == "fraud")
        #expect(event.modelVersion == "7")
        #expect(event.requestID == "r-1")
        #expect(event.time == EventTime(rfc3339: "2026-11-22T10:00:00.123Z"))
        #expect(event.features == ["amount": .number(12.5), "country": .category("DE"), "age": .missing])
        #expect(event.prediction == .score(0.83))
        #expect(event.latencyMilliseconds == 12.3)
    }

    @Test func acceptsEpochMillisecondsIntegersAndBools() throws {
        let event = try decode(
            #"{"model":"m","model_version":3,"request_id":"r","timestamp":1795380000123,"prediction":2,"features":{"vip":true}}"#
        )
        #expect(event.modelVersion == "3")
        #expect(event.time.millisecondsSinceEpoch == 1_795_380_000_123)
        #expect(event.prediction == .label("2"))
        #expect(event.features["vip"] == .category("true"))
    }

    @Test func roundTripsThroughItsOwnJSON() throws {
        let event = PredictionEvent(
            model: "m", modelVersion: "1", requestID: "r-9", time: EventTime(millisecondsSinceEpoch: 1_795_380_000_001),
            features: ["a": .number(-1.5e-7), "b": .category("x\"y"), "c": .missing], prediction: .label("yes"),
            latencyMilliseconds: 3.25)
        #expect(try PredictionEvent.decode(json: event.json()) == event)
    }

    @Test(arguments: [
        (
            #"{"model_version":"1","request_id":"r","timestamp":0,"prediction":1}"#,
            EventDecodingError.Kind.missingField, "'model'"
        ),
        (#"{"model":"m","model_version":"1","request_id":"r","prediction":1}"#, .missingField, "'timestamp'"),
        (#"{"model":"m","model_version":"1","request_id":"r","timestamp":0}"#, .missingField, "'prediction'"),
        (#"{"model":7,"model_version":"1","request_id":"r","timestamp":0,"prediction":1}"#, .wrongType, "'model'"),
        (
            #"{"model":"m","model_version":"1","request_id":"r","timestamp":"yesterday","prediction":1}"#,
            .invalidValue, "'timestamp'"
        ),
        (
            #"{"model":"m","model_version":"1","request_id":"r","timestamp":0,"prediction":1,"features":{"f":[1]}}"#,
            .wrongType, "'f'"
        ),
        (
            #"{"model":"m","model_version":"1","request_id":"r","timestamp":0,"prediction":1,"latency_ms":-2}"#,
            .invalidValue, "latency_ms"
        ),
        (#"{"model":"","model_version":"1","request_id":"r","timestamp":0,"prediction":1}"#, .invalidValue, "'model'"),
        (#"{"model":"m","#, .invalidJSON, "JSON"),
        (#"[1,2]"#, .wrongType, "object"),
    ])
    func namesWhatIsWrong(json: String, kind: EventDecodingError.Kind, mentions: String) throws {
        let error = try #require(failure(json))
        #expect(error.kind == kind)
        #expect(error.message.contains(mentions), "\(error.message)")
    }

    @Test func rejectsInvalidUTF8() throws {
        var bytes = Array(#"{"model":"m","model_version":"1","request_id":"r","timestamp":0,"prediction":1}"#.utf8)
        bytes[11] = 0xFF
        #expect(throws: EventDecodingError(.invalidUTF8, "the message is not valid UTF-8")) {
            try PredictionEvent.decode(json: bytes)
        }
    }
}
