import Foundation

// Byte-level decoders of the two messages every article passes through (`articles.raw` into
// the parser, `quotes.parsed` into the indexer). Foundation's `JSONDecoder` was the largest
// single cost of the indexer (about a fifth of its CPU) and a large one of the parser; these
// read the same JSON with ``JSONScanner``. They accept only what the Codable path would
// decode to the same value (strict JSON numbers, dates as `WireCoding.encoder()` writes them,
// no repeated keys, lone surrogates refused); anything else makes them give up, and
// ``WireCoding`` decodes the message with Codable instead, which then either succeeds or
// says what is wrong. `WireScanningTests` checks both paths agree.

extension ParsedArticle {
    private static let wireKeys = JSONKeys([
        "schemaVersion", "articleId", "source", "headline", "byline", "caption", "photoCredit", "headings",
        "url", "publishedAt", "receivedAt", "paragraphs", "quotations", "marketQuotes",
    ])

    init(scanning s: inout JSONScanner) throws(JSONObjectError) {
        var seen = 0
        var version: Int?, articleId: String?, headings: [String]?, paragraphs: [String]?
        var quotations: [Quotation]?, marketQuotes: [MarketQuote]?
        var source: String?, headline: String?, byline: String?, caption: String?, photoCredit: String?, url: String?
        var publishedAt: Date?, receivedAt: Date?
        try s.object(Self.wireKeys) { (s, key) throws(JSONObjectError) in
            guard let key else { return try s.skipValue() }
            try s.once(key, &seen)
            switch key {
            case 0: version = try s.int()
            case 1: articleId = try s.string()
            case 2: source = try s.optionalString()
            case 3: headline = try s.optionalString()
            case 4: byline = try s.optionalString()
            case 5: caption = try s.optionalString()
            case 6: photoCredit = try s.optionalString()
            case 7: headings = try s.strings()
            case 8: url = try s.optionalString()
            case 9: publishedAt = try s.optionalDate()
            case 10: receivedAt = try s.optionalDate()
            case 11: paragraphs = try s.strings()
            case 12:
                var list: [Quotation] = []
                try s.array { (s) throws(JSONObjectError) in list.append(try Quotation(scanning: &s)) }
                quotations = list
            default:
                var list: [MarketQuote] = []
                try s.array { (s) throws(JSONObjectError) in list.append(try MarketQuote(scanning: &s)) }
                marketQuotes = list
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
    private static let wireKeys = JSONKeys(["text", "speaker", "speakerMention", "speakerRole", "cue", "kind", "start", "end", "attribution"])

    init(scanning s: inout JSONScanner) throws(JSONObjectError) {
        var seen = 0
        var text: String?, kind: QuotationKind?, start: Int?, end: Int?
        var speaker: String?, mention: String?, role: String?, cue: String?, attribution: String?
        try s.object(Self.wireKeys) { (s, key) throws(JSONObjectError) in
            guard let key else { return try s.skipValue() }
            try s.once(key, &seen)
            switch key {
            case 0: text = try s.string()
            case 1: speaker = try s.optionalString()
            case 2: mention = try s.optionalString()
            case 3: role = try s.optionalString()
            case 4: cue = try s.optionalString()
            case 5:
                let at = s.i
                guard let value = QuotationKind(rawValue: try s.string()) else { throw s.error("unknown quotation kind", at: at) }
                kind = value
            case 6: start = try s.int()
            case 7: end = try s.int()
            default: attribution = try s.optionalString()
            }
        }
        guard let text, let kind, let start, let end else { throw s.error("a required field is missing") }
        self.init(text: text, speaker: speaker, speakerMention: mention, speakerRole: role, cue: cue, kind: kind,
                  start: start, end: end, attribution: attribution)
    }
}

extension MarketQuote {
    private static let wireKeys = JSONKeys(["symbol", "changePercent", "price", "currency", "exchange"])

    init(scanning s: inout JSONScanner) throws(JSONObjectError) {
        var seen = 0
        var symbol: String?, price: Double?, change: Double?, currency: String?, exchange: String?
        try s.object(Self.wireKeys) { (s, key) throws(JSONObjectError) in
            guard let key else { return try s.skipValue() }
            try s.once(key, &seen)
            switch key {
            case 0: symbol = try s.string()
            case 1: change = try s.optionalDouble()
            case 2: price = try s.double()
            case 3: currency = try s.optionalString()
            default: exchange = try s.optionalString()
            }
        }
        guard let symbol, let price else { throw s.error("a required field is missing") }
        self.init(symbol: symbol, changePercent: change, price: price, currency: currency, exchange: exchange)
    }
}

extension RawArticle {
    private static let wireKeys = JSONKeys([
        "schemaVersion", "articleId", "contentType", "body", "url", "source", "publishedAt", "receivedAt",
    ])

    init(scanning s: inout JSONScanner) throws(JSONObjectError) {
        var seen = 0
        var version: Int?, articleId: String?, contentType: ContentType?, body: String?, receivedAt: Date?
        var url: String?, source: String?, publishedAt: Date?
        try s.object(Self.wireKeys) { (s, key) throws(JSONObjectError) in
            guard let key else { return try s.skipValue() }
            try s.once(key, &seen)
            switch key {
            case 0: version = try s.int()
            case 1: articleId = try s.string()
            case 2:
                let at = s.i
                guard let value = ContentType(rawValue: try s.string()) else { throw s.error("unknown content type", at: at) }
                contentType = value
            case 3: body = try s.string()
            case 4: url = try s.optionalString()
            case 5: source = try s.optionalString()
            case 6: publishedAt = try s.optionalDate()
            default:
                guard let date = try s.optionalDate() else { throw s.error("receivedAt is null") }
                receivedAt = date
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
    /// Marks key number `key` as seen; a key seen before is an error (Codable's choice between
    /// two values is not worth copying).
    mutating func once(_ key: Int, _ seen: inout Int) throws(JSONObjectError) {
        guard seen & (1 << key) == 0 else { throw error("repeated key") }
        seen |= 1 << key
    }

    /// An array of strings.
    mutating func strings() throws(JSONObjectError) -> [String] {
        var list: [String] = []
        try array { (s) throws(JSONObjectError) in list.append(try s.string()) }
        return list
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
