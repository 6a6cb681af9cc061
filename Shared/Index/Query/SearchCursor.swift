import Foundation

/// The opaque paging cursor of a search: where the next page starts, bound to the query and
/// its order.
///
/// It reads as base64url text. A cursor is accepted only for the query and sort that produced
/// it and only up to ``maximumOffset``; anything else (edited, truncated, from another
/// query or order) is an ``IndexError`` `.invalidArgument`.
public struct SearchCursor: Sendable, Equatable {
    /// How deep paging may go (results skipped).
    public static let maximumOffset = 1_000
    private static let version = "c1"

    /// Results already returned.
    public var offset: Int
    /// A fingerprint of the normalised query.
    public var fingerprint: String

    /// A cursor for `query` in `sort` order after `offset` results.
    public init(offset: Int, query: SearchQuery, sort: SearchSort) {
        self.offset = offset
        self.fingerprint = Self.fingerprint(of: query.normalized + "|" + sort.rawValue)
    }

    /// Decodes and checks a cursor given back by a client for `query` in `sort` order.
    public init(decoding text: String, for query: SearchQuery, sort: SearchSort) throws(IndexError) {
        let invalid = IndexError(.invalidArgument, "the cursor is not valid for this query")
        guard text.count <= 128, let data = Self.base64URLDecode(text), let plain = String(data: data, encoding: .utf8)
        else { throw invalid }
        let parts = plain.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.version, let offset = Int(parts[1]), offset > 0,
              offset <= Self.maximumOffset,
              String(parts[2]) == Self.fingerprint(of: query.normalized + "|" + sort.rawValue)
        else { throw invalid }
        self.offset = offset
        self.fingerprint = String(parts[2])
    }

    /// The text handed to clients.
    public var encoded: String {
        Self.base64URLEncode(Data("\(Self.version):\(offset):\(fingerprint)".utf8))
    }

    /// 64-bit FNV-1a of `text` (the normalised query and the order), in hex: stable across
    /// processes and builds.
    static func fingerprint(of text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func base64URLEncode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: String) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}

/// The paging cursor of a quotation list: the place of the last quotation returned (its time,
/// partition and row), bound to the parameters of the list. Unlike a search cursor it has no
/// depth limit: each page starts where the last ended, however far in.
struct QuotationCursor: Codable, Sendable, Equatable {
    private static let version = "q1"

    var time: Double
    var partition: Int
    var rowID: Int64
    var fingerprint: String

    init(time: Double, partition: Int, rowID: Int64, fingerprint: String) {
        self.time = time
        self.partition = partition
        self.rowID = rowID
        self.fingerprint = fingerprint
    }

    /// Decodes and checks a cursor given back by a client for parameters with `fingerprint`.
    init(decoding text: String, fingerprint: String) throws(IndexError) {
        let invalid = IndexError(.invalidArgument, "the cursor is not valid for these parameters")
        guard text.count <= 128, let data = SearchCursor.base64URLDecode(text),
              let plain = String(data: data, encoding: .utf8) else { throw invalid }
        let parts = plain.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == Self.version, let bits = UInt64(parts[1], radix: 16),
              let partition = Int(parts[2]), partition >= 0, let rowID = Int64(parts[3]), rowID >= 0,
              String(parts[4]) == fingerprint
        else { throw invalid }
        let time = Double(bitPattern: bits)
        guard time.isFinite else { throw invalid }
        self.init(time: time, partition: partition, rowID: rowID, fingerprint: fingerprint)
    }

    /// The text handed to clients; the time goes as its bits, so it comes back exact.
    var encoded: String {
        SearchCursor.base64URLEncode(Data("\(Self.version):\(String(time.bitPattern, radix: 16)):\(partition):\(rowID):\(fingerprint)".utf8))
    }
}

/// The accepted ranges and defaults of the query parameters.
public enum QueryLimits {
    /// Search results per page: default 20, 1…100.
    public static let search = LimitRange(defaultValue: 20, maximum: 100)
    /// Quotations per request: default 50, 1…500.
    public static let quotations = LimitRange(defaultValue: 50, maximum: 500)
    /// Speakers per request: default 100, 1…1000.
    public static let speakers = LimitRange(defaultValue: 100, maximum: 1_000)
    /// Market quotes per request: default 100, 1…1000.
    public static let tickers = LimitRange(defaultValue: 100, maximum: 1_000)
    /// The longest speaker name filter, in characters.
    public static let maximumSpeakerLength = 200
}

/// A limit's default and bounds.
public struct LimitRange: Sendable, Equatable {
    public var defaultValue: Int
    public var maximum: Int

    /// `value` when it is within 1…maximum, the default when nil.
    /// - Throws: ``IndexError`` `.invalidArgument` otherwise.
    public func validate(_ value: Int?) throws(IndexError) -> Int {
        guard let value else { return defaultValue }
        guard value >= 1, value <= maximum else {
            throw IndexError(.invalidArgument, "limit must be between 1 and \(maximum)")
        }
        return value
    }
}
