import DriftCore
import Foundation
import Testing

@Suite struct CanonicalJSONQuotingTests {
    @Test(arguments: ["plain", "quote \" and \\ backslash", "new\nline\ttab\r", "\u{01}\u{1F} control", "ünïcödé ✓ 🚀", ""])
    func quotedTextParsesBackToItself(_ text: String) throws {
        let quoted = CanonicalJSON.quoted(text)
        let parsed = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed) as? String
        #expect(parsed == text)
    }
}
