import DriftStore
import Foundation
import Synchronization
import Testing

/// The demo opens one new state database from monitor, trainer and watcher at once; so may processes.
@Suite struct StateStoreOpeningTests {
    @Test func openersOfANewDatabaseRaceWithoutFailing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "driftwatch-open-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let failures = Mutex<[String]>([])
        for round in 0..<20 {
            let path = directory.appendingPathComponent("state-\(round).sqlite").path
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do {
                    _ = try StateStore(path: path).all()
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
    }
}
