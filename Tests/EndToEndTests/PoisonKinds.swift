import Foundation
import QuotewireModels

/// The ways into the pipeline.
enum PoisonEntry: String, CaseIterable, Sendable {
    case ingest, publish, raw, parsed
}

/// The kinds of bad input.
enum Poison: String, CaseIterable, Sendable {
    case invalidUTF8 = "invalid-utf8"
    case empty
    case fiftyMegabytes = "50mb"
    case binary
    case nulBytes = "nul-bytes"
    case truncatedJSON = "truncated-json"
    case unknownSchemaVersion = "unknown-schema-version"
    case megabyteQuotation = "1mb-quotation"
    case quoteMarks = "100k-quote-marks"
    case nestedQuotes = "nested-quotes"
    case controlCharacters = "control-characters"
    case mixedLineEndings = "mixed-line-endings"
    case rightToLeft = "right-to-left"
    case loneSurrogate = "lone-surrogate-escape"
    case deepJSON = "deeply-nested-json"
    case keyMismatch = "key-not-article-id"
    case keylessTombstone = "keyless-tombstone"

    /// Whether the submitted form is the JSON one.
    var isJSON: Bool { [.truncatedJSON, .unknownSchemaVersion, .loneSurrogate, .deepJSON].contains(self) }

    /// What a submitter sends (HTTP body, file): nil where the kind exists only on a topic.
    func submission(tag: String) -> Data? {
        let said = "\"We will rebuild the harbour,\" said Mayor Ana Lopes (\(tag))."
        switch self {
        case .invalidUTF8: return Data(said.utf8) + Data([0xC3, 0x28, 0xFF, 0xFE]) + Data(" More words.".utf8)
        case .empty: return Data()
        case .fiftyMegabytes: return PoisonTexts.fiftyMegabytes
        case .binary: return PoisonTexts.binary
        case .truncatedJSON: return Data(#"{"text": "We will rebuild the harbour, said Ana Lopes (\#(tag)), and then"#.utf8)
        case .unknownSchemaVersion:
            // The submission form has no schemaVersion: the field is ignored, the article made in the current version.
            return Data(#"{"schemaVersion": 99, "text": "\"We will rebuild,\" said Mayor Ana Lopes (\#(tag))."}"#.utf8)
        case .loneSurrogate: return Data(#"{"text": "\ud800 We will rebuild (\#(tag)), said Ana Lopes."}"#.utf8)
        case .deepJSON: return PoisonTexts.deepJSON
        case .keyMismatch, .keylessTombstone: return nil
        default: return text(tag: tag).map { Data($0.utf8) }
        }
    }

    /// The odd-but-valid article text of the kinds that must come out parsed.
    func text(tag: String) -> String? {
        switch self {
        case .nulBytes:
            return "Harbour Ledger - Nul \(tag)\n\n\"We will\u{0} rebuild the harbour,\" said Mayor Ana\u{0} Lopes.\u{0}\u{0}"
        case .megabyteQuotation:
            let speech = String(repeating: "we will rebuild every quay and every crane of this harbour ", count: 17_500)
            return "Harbour Ledger - Long speech \(tag)\n\n\"\(speech)in time,\" said Mayor Ana Lopes.\n"
        case .quoteMarks:
            let marks = ["\"", "“", "”", "'", "‘", "’", "«", "»", "„"]
            let storm = (0..<100_000).map { marks[$0 % marks.count] }.joined(separator: " ")
            return "Harbour Ledger - Quote storm \(tag)\n\n\(storm)\n\n\"We will rebuild,\" said Mayor Ana Lopes."
        case .nestedQuotes:
            let depth = 5_000
            let opens = (0..<depth).map { $0 % 2 == 0 ? "“" : "‘" }.joined()
            let closes = (0..<depth).reversed().map { $0 % 2 == 0 ? "”" : "’" }.joined()
            return "Harbour Ledger - Nested \(tag)\n\n\(opens)We will rebuild the harbour,\(closes) said Mayor Ana Lopes."
        case .controlCharacters:
            return "Harbour Ledger - Controls \(tag)\u{7}\n\n\"We will\u{1}\u{2} rebuild\u{1B}[31m the harbour,\u{8}\" said Mayor\u{7F} Ana Lopes.\u{85}\u{9B}\u{B}\u{C}\u{1F}"
        case .mixedLineEndings:
            return "Harbour Ledger - Line endings \(tag)\r\n\r\n\"We will rebuild the harbour,\" said Mayor Ana Lopes.\r\rThe council met on Monday.\n\r\nIt approved the plan.\u{2028}Work starts soon.\u{85}The end.\r"
        case .rightToLeft:
            return "חדשות הנמל - \(tag)\n\n\u{202E}\"We will keep the lights on,\"\u{202C} said engineer Dana Levi.\n\n\u{200F}המועצה התכנסה ביום שני. «נבנה מחדש את הנמל» אמר ראש העיר.\u{2067}مرحبا\u{2069}"
        default:
            return nil
        }
    }

    /// Whether the article, once accepted, reads as expected.
    func check(_ article: ParsedArticle) -> String? {
        let texts = article.quotations.map(\.text)
        switch self {
        case .megabyteQuotation:
            return texts.contains { $0.utf8.count >= 1_000_000 } ? nil : "no quotation of a megabyte: \(texts.map(\.count))"
        case .mixedLineEndings:
            let found = article.quotations.contains { $0.text == "We will rebuild the harbour," && $0.speaker == "Ana Lopes" }
            return found ? nil : "the quotation and its speaker were not found: \(article.quotations)"
        case .rightToLeft:
            let found = article.quotations.contains { $0.text.contains("We will keep the lights on") }
            return found ? nil : "the quotation was not found: \(texts)"
        default:
            return article.paragraphs.isEmpty && texts.isEmpty ? "nothing came out of it" : nil
        }
    }
}

/// Large inputs, made once.
enum PoisonTexts {
    /// 50 MB of text: refused at every door.
    static let fiftyMegabytes = Data(repeating: UInt8(ascii: "a"), count: 50 * 1024 * 1024)
    /// A PNG signature and every byte value.
    static let binary = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data((0..<4_096).map { UInt8($0 % 256) })
    /// 100,000 nested JSON arrays.
    static let deepJSON = Data(repeating: UInt8(ascii: "["), count: 100_000)
}
