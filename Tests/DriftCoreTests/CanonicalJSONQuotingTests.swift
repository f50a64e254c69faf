import DriftCore
import Foundation
import Testing

@Suite struct CanonicalJSONQuotingTests {
    @Test(arguments: [
        "plain", "quote \" and \\ backslash", "new\nline\ttab\r", "\u{01}\u{1F} control", "ünïcödé ✓ 🚀", "",
    ])
    func quotedTextParsesBackToItself(_ text: String) throws {
        let quoted = CanonicalJSON.quoted(text)
        let parsed = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed) as? String
        #expect(parsed == text)
    }

    /// A statistic that is not a finite number has no JSON form: it is written as null, and nothing else changes.
    @Test func numbersThatAreNotFiniteAreWrittenAsNull() throws {
        struct Sample: Encodable {
            var name: String
            var values: [Double]
            var nested: [String: Double]
        }
        let sample = Sample(
            name: "x \"null\"", values: [1.5, .nan, .infinity, -.infinity], nested: ["a": .nan, "b": 2])
        let text = String(decoding: CanonicalJSON.encode(sample), as: UTF8.self)
        #expect(text == #"{"name":"x \"null\"","nested":{"a":null,"b":2},"values":[1.5,null,null,null]}"#)
    }
}
