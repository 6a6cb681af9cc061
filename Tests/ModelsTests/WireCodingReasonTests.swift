import Foundation
import QuotewireModels
import Testing

/// Why a wire message cannot be read is said in one line a person can act on: these reasons
/// travel with dead letters.
struct WireCodingReasonTests {
    static func reason(_ data: Data) -> String {
        do {
            _ = try WireCoding.decode(RawArticle.self, from: data)
            return "decoded"
        } catch {
            return "\(error)"
        }
    }

    static let whole: Data = {
        let article = RawArticle(articleId: "0123456789abcdef0123456789abcdef", contentType: .plainText, body: "Words.",
                                 receivedAt: Date(timeIntervalSince1970: 1_770_000_000))
        return (try? WireCoding.encoder().encode(article)) ?? Data()
    }()

    @Test func eachKindOfBadValueGetsItsOwnReason() {
        #expect(Self.reason(Self.whole) == "decoded")
        #expect(Self.reason(Data()) == "not a valid RawArticle message: the value is empty (0 bytes)")
        #expect(Self.reason(Data([0x7B, 0x22, 0xC3, 0x28])) == "not a valid RawArticle message: the value is not UTF-8 (first bad byte at offset 2 of 4)")
        // Cut inside a string (not a prefix of `whole`: the encoder's key order is not fixed).
        #expect(Self.reason(Data(#"{"articleId":"0123456789abcdef"#.utf8)).contains("ends inside a string after 30 bytes"))
        #expect(Self.reason(Data(repeating: UInt8(ascii: "["), count: 10_000)).contains("nested 10000 deep"))
        #expect(Self.reason(Data(#"{"schemaVersion": 1}"#.utf8)).contains("missing field articleId"))
        #expect(Self.reason(Data(#"{"schemaVersion": "one"}"#.utf8)).contains("at schemaVersion"))
        var wrongType = (try? JSONSerialization.jsonObject(with: Self.whole) as? [String: Any]) ?? [:]
        wrongType["contentType"] = "image/png"
        let reason = Self.reason((try? JSONSerialization.data(withJSONObject: wrongType)) ?? Data())
        #expect(reason.contains("a bad value at contentType"), "\(reason)")
        #expect(reason.count < 400)
    }
}
