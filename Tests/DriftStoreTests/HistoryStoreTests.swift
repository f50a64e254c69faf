import DriftStore
import Foundation
import Testing

/// The output history behind the API: replacement by (kind, id), queries, retention.
@Suite struct HistoryStoreTests {
    let day: Int64 = 86_400_000

    func store() throws -> StateStore {
        try StateStore(
            path: FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID()).sqlite").path)
    }

    func record(_ id: String, _ kind: StateStore.HistoryKind, end: Int64, body: String = "{}")
        -> StateStore.HistoryRecord
    {
        .init(
            id: id, kind: kind, model: "m", version: "1", windowStart: end - 60_000, windowEnd: end,
            body: Array(body.utf8))
    }

    @Test func aRepublishedOutputReplacesItselfAndAnAlertDoesNotReplaceItsTrigger() throws {
        let store = try store()
        try store.record(history: [record("m/1/w/rule", .alert, end: day), record("m/1/w/rule", .trigger, end: day)])
        try store.record(history: [record("m/1/w/rule", .alert, end: day, body: #"{"again":true}"#)])
        let records = try store.history(.init(kinds: StateStore.HistoryKind.allCases))
        #expect(records.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.alert, .trigger])
        #expect(records.first { $0.kind == .alert }?.body == Array(#"{"again":true}"#.utf8))
        #expect(try store.historySummaries().map(\.alerts) == [1])
    }

    @Test func queriesTakeTheNewestWithinTheRangeOldestFirst() throws {
        let store = try store()
        try store.record(history: (1...5).map { record("w\($0)", .window, end: Int64($0) * 60_000) })
        #expect(try store.history(.init(kinds: [.window], limit: 2)).map(\.id) == ["w4", "w5"])
        #expect(try store.history(.init(kinds: [.window], from: 120_000, to: 240_000)).map(\.id) == ["w2", "w3"])
        #expect(try store.history(.init(kinds: [.window], model: "other")).isEmpty)
    }

    @Test func retentionKeepsTheNewestSpanOfEventTime() throws {
        let store = try store()
        try store.record(history: [
            record("old", .window, end: day), record("mid", .window, end: 10 * day),
            record("new", .window, end: 20 * day),
        ])
        #expect(try store.pruneHistory(keeping: 14 * day) == 1)
        #expect(try store.history(.init(kinds: [.window])).map(\.id) == ["mid", "new"])
        #expect(try store.pruneHistory(keeping: 14 * day) == 0)
    }
}
