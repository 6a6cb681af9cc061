import Foundation

// Byte-level decoders of the two messages every article passes through (`articles.raw` into
// the parser, `quotes.parsed` into the indexer). Foundation's `JSONDecoder` was the largest
// single cost of the indexer (about a fifth of its CPU) and a large one of the parser; these
// read the same JSON with ``JSONScanner``, by the types' own `CodingKeys`. They accept only
// what the Codable path would decode to the same value (strict JSON numbers, dates as
// `WireCoding.encoder()` writes them, no repeated keys, lone surrogates refused); anything
// else makes them give up, and ``WireCoding`` decodes the message with Codable instead, which
// then either succeeds or says what is wrong. `WireScanningTests` checks both paths agree.

/// A wire message the byte-level reader can decode.
protocol WireScannable: Decodable, Versioned {
    init(scanning s: inout JSONScanner) throws(JSONObjectError)
}

extension ParsedArticle: WireScannable {
    private static let wireKeys = JSONKeys<CodingKeys>()

    init(scanning s: inout JSONScanner) throws(JSONObjectError) {
        var version: Int?, articleId: String?, headings: [String]?, paragraphs: [String]?
        var quotations: [Quotation]?, marketQuotes: [MarketQuote]?
        var source: String?, headline: String?, byline: String?, caption: String?, photoCredit: String?, url: String?
        var publishedAt: Date?, receivedAt: Date?
        try s.object(Self.wireKeys, rejectingRepeats: true) { (s, key) throws(JSONObjectError) in
            switch key {
            case nil: try s.skipValue()
            case .schemaVersion: version = try s.int()
            case .articleId: articleId = try s.string()
            case .source: source = try s.optionalString()
            case .headline: headline = try s.optionalString()
            case .byline: byline = try s.optionalString()
            case .caption: caption = try s.optionalString()
            case .photoCredit: photoCredit = try s.optionalString()
            case .headings: headings = try s.strings()
            case .url: url = try s.optionalString()
            case .publishedAt: publishedAt = try s.optionalDate()
            case .receivedAt: receivedAt = try s.optionalDate()
            case .paragraphs: paragraphs = try s.strings()
            case .quotations: quotations = try s.list { (s) throws(JSONObjectError) in try Quotation(scanning: &s) }
            case .marketQuotes: marketQuotes = try s.list { (s) throws(JSONObjectError) in try MarketQuote(scanning: &s) }
            }
        }
        guard let version, let articleId, let headings, let paragraphs, let quotations, let marketQuotes else {
            throw s.error("a required field is missing")
        }
        self.init(
            schemaVersion: version, articleId: articleId, source: source, headline: headline, byline: byline,
            caption: caption, photoCredit: photoCredit, headings: headings, url: url, publishedAt: publishedAt,
            receivedAt: receivedAt, paragraphs: paragraphs, quotations: quotations, marketQuotes: marketQuotes)
    }
}

extension Quotation {
    private static let wireKeys = JSONKeys<CodingKeys>()

    init(scanning s: inout JSONScanner) throws(JSONObjectError) {
        var text: String?, kind: QuotationKind?, start: Int?, end: Int?
        var speaker: String?, mention: String?, role: String?, cue: String?, attribution: String?
        try s.object(Self.wireKeys, rejectingRepeats: true) { (s, key) throws(JSONObjectError) in
            switch key {
            case nil: try s.skipValue()
            case .text: text = try s.string()
            case .speaker: speaker = try s.optionalString()
            case .speakerMention: mention = try s.optionalString()
            case .speakerRole: role = try s.optionalString()
            case .cue: cue = try s.optionalString()
            case .kind: kind = try s.enumeration(QuotationKind.self)
            case .start: start = try s.int()
            case .end: end = try s.int()
            case .attribution: attribution = try s.optionalString()
            }
        }
        guard let text, let kind, let start, let end else { throw s.error("a required field is missing") }
        self.init(text: text, speaker: speaker, speakerMention: mention, speakerRole: role, cue: cue, kind: kind,
                  start: start, end: end, attribution: attribution)
    }
}

extension MarketQuote {
    private static let wireKeys = JSONKeys<CodingKeys>()

    init(scanning s: inout JSONScanner) throws(JSONObjectError) {
        var symbol: String?, price: Double?, change: Double?, currency: String?, exchange: String?
        try s.object(Self.wireKeys, rejectingRepeats: true) { (s, key) throws(JSONObjectError) in
            switch key {
            case nil: try s.skipValue()
            case .symbol: symbol = try s.string()
            case .changePercent: change = try s.optionalDouble()
            case .price: price = try s.double()
            case .currency: currency = try s.optionalString()
            case .exchange: exchange = try s.optionalString()
            }
        }
        guard let symbol, let price else { throw s.error("a required field is missing") }
        self.init(symbol: symbol, changePercent: change, price: price, currency: currency, exchange: exchange)
    }
}

extension RawArticle: WireScannable {
    private static let wireKeys = JSONKeys<CodingKeys>()

    init(scanning s: inout JSONScanner) throws(JSONObjectError) {
        var version: Int?, articleId: String?, contentType: ContentType?, body: String?, receivedAt: Date?
        var url: String?, source: String?, publishedAt: Date?
        try s.object(Self.wireKeys, rejectingRepeats: true) { (s, key) throws(JSONObjectError) in
            switch key {
            case nil: try s.skipValue()
            case .schemaVersion: version = try s.int()
            case .articleId: articleId = try s.string()
            case .contentType: contentType = try s.enumeration(ContentType.self)
            case .body: body = try s.string()
            case .url: url = try s.optionalString()
            case .source: source = try s.optionalString()
            case .publishedAt: publishedAt = try s.optionalDate()
            case .receivedAt: receivedAt = try s.optionalDate()
            }
        }
        guard let version, let articleId, let contentType, let body, let receivedAt else {
            throw s.error("a required field is missing")
        }
        self.init(schemaVersion: version, articleId: articleId, contentType: contentType, body: body, url: url,
                  source: source, publishedAt: publishedAt, receivedAt: receivedAt)
    }
}

extension JSONScanner {
    /// An array, each element read by `element`.
    mutating func list<T>(_ element: (inout JSONScanner) throws(JSONObjectError) -> T) throws(JSONObjectError) -> [T] {
        var list: [T] = []
        try array { (s) throws(JSONObjectError) in list.append(try element(&s)) }
        return list
    }

    /// An array of strings.
    mutating func strings() throws(JSONObjectError) -> [String] {
        try list { (s) throws(JSONObjectError) in try s.string() }
    }

    /// A string naming a case of `type`.
    mutating func enumeration<E: RawRepresentable>(_ type: E.Type) throws(JSONObjectError) -> E where E.RawValue == String {
        let at = i
        guard let value = E(rawValue: try string()) else { throw error("unknown \(type)", at: at) }
        return value
    }

    /// A date as `WireCoding.encoder()` writes it (`2026-01-02T03:04:05Z`), or nil for `null`.
    mutating func optionalDate() throws(JSONObjectError) -> Date? {
        if takeNull() { return nil }
        let at = i
        let seconds = try withString { bytes in WireDate.seconds(bytes) }
        guard let seconds else { throw error("not a date of the form 2026-01-02T03:04:05Z", at: at) }
        return Date(timeIntervalSince1970: seconds)
    }
}
/// The one date form the wire encoder writes: ISO 8601, UTC, whole seconds.
enum WireDate {
    /// Seconds since 1970 of `YYYY-MM-DDTHH:MM:SSZ`, or nil for any other text or an impossible date.
    static func seconds(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A else {
            return nil
        }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for k in from..<(from + count) {
                let d = b[k] &- 0x30
                guard d < 10 else { return nil }
                value = value * 10 + Int(d)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), hour < 24, minute < 60, second < 60
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day >= 1, day <= monthDays[month - 1] else { return nil }
        // Days from 1970-01-01 to the civil date (proleptic Gregorian), as in H. Hinnant's algorithm.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3_600 + minute * 60 + second)
    }
}
