import DriftCore
import DriftStats
import Testing

@Suite struct ReferenceProfileTests {
    @Test func theJSONFormRoundTrips() throws {
        let profile = ReferenceProfile(
            modelVersion: "3", source: .file, eventCount: 500,
            features: [
                "x": .numeric(.init(sample: (0..<500).map { Double($0 % 37) * 1.5 }, psiBins: 10)),
                "c": .categorical(CategoryCounts(["a", "b", "a"])),
            ],
            prediction: .categorical(CategoryCounts(["yes", "no"])))
        #expect(try ReferenceProfile.decode(json: profile.json()) == profile)
    }

    @Test func largeSamplesAreCappedButPSIUsesEveryValue() {
        let values = (0..<50_000).map { Double($0) }
        let feature = ReferenceProfile.NumericFeature(sample: values, psiBins: 10)
        #expect(feature.sortedSample.count == ReferenceProfile.maximumSampleSize)
        #expect(feature.count == 50_000)
        #expect(feature.psiCounts.reduce(0, +) == 50_000)
        #expect(feature.sortedSample.first == 2 && feature.sortedSample.last == 49_997)  // block mid-points
        // The capped sample's empirical CDF stays within 1/cap of the full data's.
        let ks = KolmogorovSmirnov.statistic(sorted: feature.sortedSample, values)
        #expect(ks <= 1.0 / Double(ReferenceProfile.maximumSampleSize))
    }

    @Test func unusableProfilesAreRejectedWithTheFeatureNamed() {
        let unsorted = #"{"features":{"amount":{"type":"numeric","sample":[3,1],"psi_edges":[],"psi_counts":[2]}}}"#
        #expect { try ReferenceProfile.decode(json: Array(unsorted.utf8)) } throws: {
            "\($0)".contains("amount") && "\($0)".contains("ascending")
        }
        let counts = #"{"features":{"amount":{"type":"numeric","sample":[1,3],"psi_edges":[2],"psi_counts":[2]}}}"#
        #expect { try ReferenceProfile.decode(json: Array(counts.utf8)) } throws: { "\($0)".contains("psi_counts") }
    }
}
