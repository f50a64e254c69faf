import DriftCore
import Foundation
import Testing

@Suite struct EventTimeTests {
    /// Foundation's ISO 8601 formatter is an independent implementation to check ours against.
    static func foundationFormatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }

    @Test func agreesWithFoundationAcrossCenturies() {
        let formatter = Self.foundationFormatter()
        var state: UInt64 = 7
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // 1900 … 2100, millisecond resolution.
            let milliseconds = Int64(state >> 20) % 6_311_390_400_000 - 2_208_988_800_000
            let time = EventTime(millisecondsSinceEpoch: milliseconds)
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            #expect(time.rfc3339 == formatter.string(from: date))
            #expect(EventTime(rfc3339: formatter.string(from: date)) == time)
        }
    }

    @Test func parsesOffsetsAndVariants() {
        let utc = EventTime(rfc3339: "2026-11-22T10:00:00Z")!
        #expect(EventTime(rfc3339: "2026-11-22T12:00:00+02:00") == utc)
        #expect(EventTime(rfc3339: "2026-11-22T05:30:00-04:30") == utc)
        #expect(EventTime(rfc3339: "2026-11-22 10:00:00z") == utc)
        #expect(
            EventTime(rfc3339: "2026-11-22T10:00:00.5Z")!.millisecondsSinceEpoch == utc.millisecondsSinceEpoch + 500)
        #expect(EventTime(rfc3339: "1970-01-01T00:00:00Z")!.millisecondsSinceEpoch == 0)
    }

    @Test(arguments: [
        "2026-11-22", "2026-11-22T10:00:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-11-22T24:00:00Z", "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00+2", "x2026-11-22T10:00:00Z", "",
    ])
    func rejectsInvalidDates(_ text: String) {
        #expect(EventTime(rfc3339: text) == nil)
    }
}
