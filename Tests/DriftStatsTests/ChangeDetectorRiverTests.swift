import DriftStats
import Foundation
import ReferenceLibraries
import Testing

/// ADWIN and Page–Hinkley against River 0.26 (`river.drift.ADWIN`, `river.drift.PageHinkley`, defaults): the
/// same sequences, computed by River in the same run, must be flagged at the same indices.
@Suite struct ChangeDetectorRiverTests {
    @Test func detectionIndicesEqualRivers() throws {
        let reference = try ReferenceValues.changeDetectors.get()
        #expect(reference.cases.count >= 8)
        var detections = 0
        for testCase in reference.cases {
            var adwin = AdaptiveWindowing()
            var hinkley = PageHinkley()
            var adwinAt: [Int] = []
            var hinkleyAt: [Int] = []
            for (index, value) in testCase.values.enumerated() {
                if adwin.update(value) { adwinAt.append(index) }
                if hinkley.update(value) { hinkleyAt.append(index) }
            }
            #expect(adwinAt == testCase.adwin, "\(testCase.name): ADWIN \(adwinAt) vs River \(testCase.adwin)")
            #expect(hinkleyAt == testCase.page_hinkley,
                    "\(testCase.name): Page-Hinkley \(hinkleyAt) vs River \(testCase.page_hinkley)")
            detections += testCase.adwin.count + testCase.page_hinkley.count
        }
        #expect(detections >= 10)  // the cases must make both detectors fire
        print("River \(reference.river): \(reference.cases.count) sequences, \(detections) detections, indices equal")
    }

    /// A detector's state survives a checkpoint: encoded and decoded mid-stream, it goes on to flag the same
    /// indices as one that never stopped.
    @Test func stateSurvivesACheckpoint() throws {
        let reference = try ReferenceValues.changeDetectors.get()
        let values = try #require(reference.cases.first { $0.name.hasPrefix("errors") }).values
        var whole = AdaptiveWindowing()
        var resumed = AdaptiveWindowing()
        var wholeAt: [Int] = []
        var resumedAt: [Int] = []
        for (index, value) in values.enumerated() {
            if whole.update(value) { wholeAt.append(index) }
            if index == values.count / 2 {
                let data = try JSONEncoder().encode(resumed)
                resumed = try JSONDecoder().decode(AdaptiveWindowing.self, from: data)
            }
            if resumed.update(value) { resumedAt.append(index) }
        }
        #expect(!wholeAt.isEmpty && wholeAt == resumedAt)
    }
}
