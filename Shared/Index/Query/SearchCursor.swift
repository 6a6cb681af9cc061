import Foundation

/// The opaque paging cursor of a search: where the next page starts, bound to the query.
///
/// It reads as base64url text. A cursor is accepted only for the query that produced it
/// and only up to ``maximumOffset``; anything else (edited, truncated, from another
/// query) is an ``IndexError`` `.invalidArgument`.
public struct SearchCursor: Sendable, Equatable {
    /// How deep paging may go (results skipped).
    public static let maximumOffset = 1_000
    private static let version = "c1"

    /// Results already returned.
    public var offset: Int
    /// A fingerprint of the normalised query.
    public var fingerprint: String

    /// A cursor for `query` after `offset` results.
    public init(offset: Int, query: FTSQuery) {
        self.offset = offset
        self.fingerprint = Self.fingerprint(of: query)
    }

    /// Decodes and checks a cursor given back by a client for `query`.
    public init(decoding text: String, for query: FTSQuery) throws(IndexError) {
        let invalid = IndexError(.invalidArgument, "the cursor is not valid for this query")
        guard text.count <= 128, let data = Self.base64URLDecode(text), let plain = String(data: data, encoding: .utf8)
        else { throw invalid }
        let parts = plain.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.version, let offset = Int(parts[1]), offset > 0,
              offset <= Self.maximumOffset, String(parts[2]) == Self.fingerprint(of: query)
        else { throw invalid }
        self.offset = offset
        self.fingerprint = String(parts[2])
    }

    /// The text handed to clients.
    public var encoded: String {
        Self.base64URLEncode(Data("\(Self.version):\(offset):\(fingerprint)".utf8))
    }

    /// 64-bit FNV-1a of the normalised query, in hex: stable across processes and builds.
    static func fingerprint(of query: FTSQuery) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in query.normalized.utf8 {
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
