import DriftCore
import Testing

@testable import DriftApp

/// `driftwatch verify` names what differs in a changed output, so a failed fault test points at the field.
@Suite struct OutputVerifierTests {
    @Test func aChangedCopyNamesTheFieldsThatDiffer() {
        let expected = Array(
            #"{"counts":{"dead_lettered":1,"events":104},"features":[{"name":"a","psi":0.1}],"id":"m/1"}"#.utf8)
        let published = Array(
            #"{"counts":{"dead_lettered":3,"events":104},"features":[{"name":"a","psi":0.2}],"id":"m/1","x":true}"#.utf8
        )
        #expect(
            OutputVerifier.differences(expected: expected, published: published)
                == "counts.dead_lettered: 1 ≠ 3; features[0].psi: 0.1 ≠ 0.2; x: absent ≠ true")
        let reordered = Array(
            #"{"id":"m/1","features":[{"psi":0.1,"name":"a"}],"counts":{"events":104,"dead_lettered":1}}"#.utf8)
        #expect(OutputVerifier.differences(expected: expected, published: reordered) == "same JSON, other bytes")
        let long = Array(#"{"features":[{"name":"\#(String(repeating: "a", count: 100))"}]}"#.utf8)
        let shorter = Array(#"{"features":[]}"#.utf8)
        let cut = OutputVerifier.differences(expected: long, published: shorter)
        #expect(cut.hasPrefix("features: [{\"name\":\"aaa") && cut.hasSuffix("… ≠ []") && cut.count < 100, "\(cut)")
    }
}
